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
 * - A stream's metrics can be kept as it arrives (ArrivalTally, one per kind, fed each arrival
 *   once; metricsOf) at O(1) an update, with exactly the figures streamMetrics gives for the whole
 *   lists — streamMetrics is that same computation over tallies built from the lists.
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
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  // A typed array sorts numerically without a comparator call per comparison: same order.
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / sorted.length;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const variance = squares / sorted.length;
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
  return timeGaps(arrivals.map((a) => a.t));
}

/**
 * The largest of `values`, or `floor` when none is larger, in one pass: spreading them into
 * Math.max overflows the stack past about 150,000 (a long run's chunk gaps).
 */
export function maxOf(values: readonly number[], floor = 0): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The differences between consecutive times. */
function timeGaps(times: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
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

/**
 * What the metrics need of one kind of arrivals (answer, reasoning or tool arguments), kept as they
 * come: the times of those with text, in arrival order, and their characters. Empty texts are not
 * events and are not counted.
 */
export class ArrivalTally {
  /** Arrival times of the events with text, in arrival order. */
  readonly times: number[] = [];
  chars = 0;
  // firstAtOrAfter's search, resumed where it stopped: it is always asked about the same time.
  #wanted = Number.NaN;
  #scanned = 0;
  #found: number | undefined;

  static of(arrivals: readonly Arrival[]): ArrivalTally {
    const tally = new ArrivalTally();
    for (const arrival of arrivals) tally.push(arrival);
    return tally;
  }

  /** Counts one arrival; call in arrival order, once for each. */
  push({ t, text }: Arrival): void {
    if (text === '') return;
    this.times.push(t);
    this.chars += text.length;
  }

  get count(): number {
    return this.times.length;
  }
  get first(): number | undefined {
    return this.times[0];
  }
  get last(): number | undefined {
    return this.times[this.times.length - 1];
  }

  /** The first time, in arrival order, at or after `t`; amortised O(1) when asked about one `t`. */
  firstAtOrAfter(t: number): number | undefined {
    if (t !== this.#wanted) {
      this.#wanted = t;
      this.#scanned = 0;
      this.#found = undefined;
    }
    while (this.#found === undefined && this.#scanned < this.times.length) {
      const time = this.times[this.#scanned++] as number;
      if (time >= t) this.#found = time;
    }
    return this.#found;
  }
}

/** A stream's arrivals, tallied by kind. */
export interface MetricsTallies {
  content: ArrivalTally;
  reasoning: ArrivalTally;
  toolArgs: ArrivalTally;
}

export function emptyTallies(): MetricsTallies {
  return { content: new ArrivalTally(), reasoning: new ArrivalTally(), toolArgs: new ArrivalTally() };
}

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
 * after it, else to the last reasoning event.
 */
function reasoningDuration(reasoning: ArrivalTally, ...answers: ArrivalTally[]): number | null {
  const first = reasoning.first;
  if (first === undefined) return null;
  const answerAt = earliest(...answers.map((answer) => answer.firstAtOrAfter(first)));
  return (answerAt ?? (reasoning.last as number)) - first;
}

export function streamMetrics({
  arrivals,
  reasoning = [],
  toolArgs = [],
  ...rest
}: MetricsInput): StreamMetrics {
  return metricsOf(
    {
      content: ArrivalTally.of(arrivals),
      reasoning: ArrivalTally.of(reasoning),
      toolArgs: ArrivalTally.of(toolArgs),
    },
    rest,
  );
}

/** streamMetrics from tallies kept as the stream arrived: O(1), but for the gap statistics. */
export function metricsOf(
  { content, reasoning, toolArgs: tools }: MetricsTallies,
  {
    usage,
    estimatedTokens = null,
    headersMs = null,
    firstVisibleMs = null,
    gaps = true,
  }: Omit<MetricsInput, 'arrivals' | 'reasoning' | 'toolArgs'>,
): StreamMetrics {
  const ttftMs = content.first ?? null;
  const e2eMs = content.last ?? null;
  const firstGeneratedMs = earliest(content.first, reasoning.first, tools.first);
  const lastGeneratedMs = latest(content.last, reasoning.last, tools.last);
  const tokens = usage ? usage.completion_tokens : estimatedTokens;
  const tpotMs =
    firstGeneratedMs !== null && lastGeneratedMs !== null && tokens !== null && tokens > 1
      ? (lastGeneratedMs - firstGeneratedMs) / (tokens - 1)
      : null;
  const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens ?? null;
  return {
    headersMs,
    firstReasoningMs: reasoning.first ?? null,
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
    chunks: content.count,
    chars: content.chars,
    reasoningChunks: reasoning.count,
    reasoningChars: reasoning.chars,
    toolChunks: tools.count,
    toolArgChars: tools.chars,
    tokens,
    tokensEstimated: usage === null && tokens !== null,
    promptTokens: usage ? usage.prompt_tokens : null,
    completionTokens: usage ? usage.completion_tokens : null,
    reasoningTokens,
    answerTokens: usage && reasoningTokens !== null ? usage.completion_tokens - reasoningTokens : null,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
    gaps: gaps ? summarize(timeGaps(content.times)) : null,
  };
}
