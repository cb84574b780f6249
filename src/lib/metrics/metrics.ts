/**
 * Stream metrics exactly as DESIGN.md defines them, as pure functions over arrival records.
 * All times in ms since t0. Nothing here knows about Svelte, the SDK or the DOM.
 */

/** A content event: a chunk whose delta.content was non-empty. */
export interface Arrival {
  t: number;
  text: string;
}

export interface Summary {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface StreamMetrics {
  /** First content event − t0. */
  ttftMs: number | null;
  /** Last content event − t0. */
  e2eMs: number | null;
  /** (E2E − TTFT) / (N − 1); null for N ≤ 1. */
  tpotMs: number | null;
  /** 1000 / TPOT, tokens per second after the first. */
  decodeRate: number | null;
  /** N / E2E in tokens per second. */
  e2eRate: number | null;
  chunks: number;
  chars: number;
  /** N: usage.completion_tokens, else the tokenizer's count. */
  tokens: number | null;
  tokensEstimated: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Time between consecutive content events (per chunk, not per token). */
  gaps: Summary | null;
}

/** Nearest-rank percentile of an ascending array; q in [0, 100]. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const variance = sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / sorted.length;
  return {
    count: sorted.length,
    mean,
    std: Math.sqrt(variance),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export function chunkGaps(arrivals: readonly Arrival[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < arrivals.length; i++) {
    gaps.push((arrivals[i] as Arrival).t - (arrivals[i - 1] as Arrival).t);
  }
  return gaps;
}

export interface MetricsInput {
  arrivals: readonly Arrival[];
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  /** Tokenizer count of the text, used when the stream carried no usage. */
  estimatedTokens?: number | null;
  /** Compute the gap statistics (a sort of every gap); default true. */
  gaps?: boolean;
}

export function streamMetrics({
  arrivals,
  usage,
  estimatedTokens = null,
  gaps = true,
}: MetricsInput): StreamMetrics {
  const content = arrivals.filter((a) => a.text !== '');
  const first = content[0];
  const last = content[content.length - 1];
  const ttftMs = first ? first.t : null;
  const e2eMs = last ? last.t : null;
  const tokens = usage ? usage.completion_tokens : estimatedTokens;
  const tpotMs =
    ttftMs !== null && e2eMs !== null && tokens !== null && tokens > 1
      ? (e2eMs - ttftMs) / (tokens - 1)
      : null;
  return {
    ttftMs,
    e2eMs,
    tpotMs,
    decodeRate: tpotMs !== null && tpotMs > 0 ? 1000 / tpotMs : null,
    e2eRate: tokens !== null && e2eMs !== null && e2eMs > 0 ? (tokens * 1000) / e2eMs : null,
    chunks: content.length,
    chars: content.reduce((n, a) => n + a.text.length, 0),
    tokens,
    tokensEstimated: usage === null && tokens !== null,
    promptTokens: usage ? usage.prompt_tokens : null,
    completionTokens: usage ? usage.completion_tokens : null,
    gaps: gaps ? summarize(chunkGaps(content)) : null,
  };
}
