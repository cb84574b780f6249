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

/** Index of the nearest-rank q-th percentile (q in [0, 100]) among n ascending values. */
function rankIndex(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil((q / 100) * n) - 1));
}

/** Nearest-rank percentile of an ascending array; q in [0, 100]. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[rankIndex(sorted.length, q)] as number;
}

/**
 * Moves the k-th smallest of a[lo..hi] to a[k], with none larger before it and none smaller after:
 * quickselect around a random pivot, partitioned three ways so that values equal to the pivot are
 * settled at once. Linear on average, also when most values are equal (most of a burst's gaps are
 * 0), where the built-in sort is slowest. Values must not be NaN.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const pivot = a[lo + Math.floor(Math.random() * (hi - lo + 1))] as number;
    // a[lo..lt-1] < pivot, a[lt..i-1] = pivot, a[gt+1..hi] > pivot; a[i..gt] not yet seen.
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i] as number;
      if (v < pivot) {
        a[i++] = a[lt] as number;
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[gt] as number;
        a[gt--] = v;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return;
  }
}

/**
 * Summary statistics of finite values. Its percentiles are order statistics found by selection,
 * not by sorting: the gaps of a 100,000-chunk burst, mostly equal, took the built-in sort about
 * 16 ms, in the task that ends the stream; selecting the four takes about 1 to 6.
 */
export function summarize(values: readonly number[]): Summary | null {
  const n = values.length;
  if (n === 0) return null;
  const a = Float64Array.from(values);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of a) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let squares = 0;
  for (const v of a) squares += (v - mean) ** 2;
  // Ascending ranks: each selection leaves the next one's rank in the part above it.
  const at: number[] = [];
  let from = 0;
  for (const q of [50, 90, 95, 99]) {
    const k = rankIndex(n, q);
    select(a, k, from, n - 1);
    at.push(a[k] as number);
    from = k;
  }
  const [p50, p90, p95, p99] = at as [number, number, number, number];
  return { count: n, mean, std: Math.sqrt(squares / n), min, max, p50, p90, p95, p99 };
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
  /** Compute the gap statistics (they read every gap); default true. */
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
