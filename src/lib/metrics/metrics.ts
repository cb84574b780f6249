/**
 * Stream metrics exactly as DESIGN.md defines them, as pure functions over arrival records.
 * All times in ms since t0. Nothing here knows about Svelte, the SDK or the DOM.
 *
 * Invariants:
 * - Answer (content), reasoning and tool-argument events come in apart and stay apart: TTFT, E2E,
 *   chunks, chars and gaps are about the answer only, as before reasoning models existed.
 * - N counts every generated token, so TPOT runs from the first generated event of any kind to the
 *   last (lobehub#7721: timing from the first answer token with N including reasoning inflates the
 *   decode rate). A run with answer text only gets exactly the numbers it always got.
 * - Empty texts are not events. docs/METRICS.md states every definition.
 */

/** An event's arrival (ms since t0) and its text: a content, reasoning or tool-argument piece. */
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
  /** Response headers arrived − t0 (null when not known). */
  headersMs: number | null;
  /** First reasoning event − t0; null when the stream carried no reasoning text. */
  firstReasoningMs: number | null;
  /** TTFT: first content event (first answer token) − t0. */
  ttftMs: number | null;
  /** When the first text (reasoning or answer) had been painted − t0; measured by the page. */
  firstVisibleMs: number | null;
  /**
   * Reasoning duration: from the first reasoning event to the first answer event (content or
   * tool-call arguments) at or after it, or to the last reasoning event if no answer followed;
   * null without reasoning text.
   */
  reasoningMs: number | null;
  /** First generated event of any kind (reasoning, content, tool-call arguments) − t0. */
  firstGeneratedMs: number | null;
  /** Last generated event of any kind − t0. */
  lastGeneratedMs: number | null;
  /** Last content event − t0. */
  e2eMs: number | null;
  /**
   * (last generated − first generated) / (N − 1), N counting every generated token (reasoning and
   * answer); null for N ≤ 1. Without reasoning or tool calls this is (E2E − TTFT) / (N − 1).
   */
  tpotMs: number | null;
  /** 1000 / TPOT, tokens per second after the first. */
  decodeRate: number | null;
  /** N / last generated event in tokens per second (N / E2E when only answer text came). */
  e2eRate: number | null;
  /** Content events (answer chunks). */
  chunks: number;
  /** Characters of answer text. */
  chars: number;
  /** Reasoning events with text. */
  reasoningChunks: number;
  reasoningChars: number;
  /** Tool-call argument pieces with text. */
  toolChunks: number;
  toolArgChars: number;
  /** N: usage.completion_tokens, else the tokenizer's count (of reasoning, answer and arguments). */
  tokens: number | null;
  tokensEstimated: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  /** usage.completion_tokens_details.reasoning_tokens, when the stream reported it. */
  reasoningTokens: number | null;
  /** completion_tokens − reasoning_tokens, when the split is known. */
  answerTokens: number | null;
  /** usage.prompt_tokens_details.cached_tokens, when the stream reported it. */
  cachedTokens: number | null;
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

/** The usage a stream reports (engine's Usage, by shape: metrics imports nothing). */
export interface MetricsUsage {
  prompt_tokens: number;
  completion_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
  prompt_tokens_details?: { cached_tokens: number };
}

export interface MetricsInput {
  /** Content events (answer text). */
  arrivals: readonly Arrival[];
  /** Reasoning events; never content events. */
  reasoning?: readonly Arrival[];
  /** Tool-call argument pieces, every call's, in arrival order. */
  toolArgs?: readonly Arrival[];
  usage: MetricsUsage | null;
  /** Tokenizer count of everything generated (reasoning, answer, arguments), used without usage. */
  estimatedTokens?: number | null;
  /** Response headers arrived, ms since t0. */
  headersMs?: number | null;
  /** First text painted, ms since t0. */
  firstVisibleMs?: number | null;
  /** Compute the gap statistics (a sort of every gap); default true. */
  gaps?: boolean;
}

const withText = (arrivals: readonly Arrival[]) => arrivals.filter((a) => a.text !== '');
const chars = (arrivals: readonly Arrival[]) => arrivals.reduce((n, a) => n + a.text.length, 0);

function earliest(...times: (number | undefined)[]): number | null {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.min(...known) : null;
}
function latest(...times: (number | undefined)[]): number | null {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.max(...known) : null;
}

/**
 * From the first reasoning event to the first answer event (content or tool-call arguments) at or
 * after it, else to the last reasoning event. Each list is in arrival order, so times never fall.
 */
function reasoningDuration(reasoning: readonly Arrival[], ...answers: (readonly Arrival[])[]): number | null {
  const first = reasoning[0];
  if (!first) return null;
  const answerAt = earliest(...answers.map((list) => list.find((a) => a.t >= first.t)?.t));
  return (answerAt ?? (reasoning[reasoning.length - 1] as Arrival).t) - first.t;
}

export function streamMetrics({
  arrivals,
  reasoning: reasoningEvents = [],
  toolArgs: toolEvents = [],
  usage,
  estimatedTokens = null,
  headersMs = null,
  firstVisibleMs = null,
  gaps = true,
}: MetricsInput): StreamMetrics {
  const content = withText(arrivals);
  const reasoning = withText(reasoningEvents);
  const tools = withText(toolEvents);
  const ttftMs = content[0]?.t ?? null;
  const e2eMs = content[content.length - 1]?.t ?? null;
  const firstGeneratedMs = earliest(content[0]?.t, reasoning[0]?.t, tools[0]?.t);
  const lastGeneratedMs = latest(
    content[content.length - 1]?.t,
    reasoning[reasoning.length - 1]?.t,
    tools[tools.length - 1]?.t,
  );
  const tokens = usage ? usage.completion_tokens : estimatedTokens;
  const tpotMs =
    firstGeneratedMs !== null && lastGeneratedMs !== null && tokens !== null && tokens > 1
      ? (lastGeneratedMs - firstGeneratedMs) / (tokens - 1)
      : null;
  const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens ?? null;
  return {
    headersMs,
    firstReasoningMs: reasoning[0]?.t ?? null,
    ttftMs,
    firstVisibleMs,
    reasoningMs: reasoningDuration(reasoning, content, tools),
    firstGeneratedMs,
    lastGeneratedMs,
    e2eMs,
    tpotMs,
    decodeRate: tpotMs !== null && tpotMs > 0 ? 1000 / tpotMs : null,
    e2eRate:
      tokens !== null && lastGeneratedMs !== null && lastGeneratedMs > 0
        ? (tokens * 1000) / lastGeneratedMs
        : null,
    chunks: content.length,
    chars: chars(content),
    reasoningChunks: reasoning.length,
    reasoningChars: chars(reasoning),
    toolChunks: tools.length,
    toolArgChars: chars(tools),
    tokens,
    tokensEstimated: usage === null && tokens !== null,
    promptTokens: usage ? usage.prompt_tokens : null,
    completionTokens: usage ? usage.completion_tokens : null,
    reasoningTokens,
    answerTokens: usage && reasoningTokens !== null ? usage.completion_tokens - reasoningTokens : null,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
    gaps: gaps ? summarize(chunkGaps(content)) : null,
  };
}
