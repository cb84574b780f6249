/**
 * RunState: one streamed request from Run to its end — status, text, chunks, usage, error.
 *
 * Invariants:
 * - Every content event is recorded with its exact arrival time in a plain array; the reactive
 *   `text` and `chunks` are published from it at most once per animation frame.
 * - A stop is an outcome ("stopped"), not an error. An error keeps the text received so far, and
 *   the run is then `incomplete`.
 * - `exportRun()` never contains the key.
 */
import { createSubscriber } from 'svelte/reactivity';
import { countTokens } from '../engine/token-count';
import { streamChat } from '../engine/stream-chat';
import { offlineError, type LabError } from '../engine/errors';
import type { ChatRequest, Connection, StreamEvent, TokenLogprob, Usage } from '../engine/types';
import { WireLog } from '../engine/wire';
import { streamMetrics, type Arrival, type StreamMetrics } from '../metrics/metrics';
import { exportRun, type ExportedRun } from '../run-file/format';

const METRICS_MS = 200;

export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

export interface ChunkRecord extends Arrival {
  /** Index of the SDK chunk that carried this content (StreamEvent's `sdkChunk`). */
  sdkChunk: number;
}

/** Per-run options for `start`. */
export interface StartOptions {
  /** Called with each event as it arrives, before batching (for labs that react per chunk). */
  onEvent?: (event: StreamEvent, text: string) => void;
}

const nextFrame: (cb: () => void) => void =
  typeof requestAnimationFrame === 'function'
    ? (cb) => requestAnimationFrame(() => cb())
    : (cb) => setTimeout(cb, 16);

export class RunState {
  #status = $state<RunStatus>('idle');
  #text = $state('');
  #chunks = $state.raw<ChunkRecord[]>([]);
  #logprobs = $state.raw<TokenLogprob[]>([]);
  #usage = $state.raw<Usage | null>(null);
  #finishReason = $state<string | null>(null);
  #error = $state.raw<LabError | null>(null);
  #estimatedTokens = $state<number | null>(null);
  #endT = $state<number | null>(null);
  #request = $state.raw<ChatRequest | null>(null);
  #baseURL = '';
  #startedAt = 0;
  #attempts = $state(0);
  #wire = $state.raw<WireLog>(new WireLog());
  /** Tells readers of the wire log (a plain object that grows) that it grew; set while read. */
  #wireGrew = () => {};
  readonly #subscribeWire = createSubscriber((update) => {
    this.#wireGrew = update;
    return () => (this.#wireGrew = () => {});
  });
  /** Bumped at most every METRICS_MS while streaming (and at the end): metrics are O(n). */
  #metricsTick = $state(0);
  #metricsAt = 0;
  readonly #metrics = $derived.by(() => {
    void this.#metricsTick;
    return streamMetrics({
      arrivals: this.#plainChunks,
      usage: this.#usage,
      estimatedTokens: this.#estimatedTokens,
      // Percentiles sort every gap: computed once the stream is over, not while it runs.
      gaps: this.#status !== 'running',
    });
  });

  // The plain copies every event lands in, each named after the reactive field it is published to
  // (at most once per animation frame).
  #plainText = '';
  #plainChunks: ChunkRecord[] = [];
  #plainLogprobs: TokenLogprob[] = [];
  #scheduled = false;
  #controller: AbortController | null = null;

  constructor(readonly lab: string) {}

  get status(): RunStatus {
    return this.#status;
  }
  get running(): boolean {
    return this.#status === 'running';
  }
  get text(): string {
    return this.#text;
  }
  get chunks(): ChunkRecord[] {
    return this.#chunks;
  }
  get logprobs(): TokenLogprob[] {
    return this.#logprobs;
  }
  get usage(): Usage | null {
    return this.#usage;
  }
  get finishReason(): string | null {
    return this.#finishReason;
  }
  get error(): LabError | null {
    return this.#error;
  }
  get request(): ChatRequest | null {
    return this.#request;
  }
  /** The run's wire log; a reactive read re-runs whenever a frame is published. */
  get wire(): WireLog {
    this.#subscribeWire();
    return this.#wire;
  }
  /** The run ended without its whole answer: stopped or failed. */
  get incomplete(): boolean {
    return this.#status === 'stopped' || this.#status === 'error';
  }
  get hasRun(): boolean {
    return this.#status !== 'idle';
  }
  get metrics(): StreamMetrics {
    return this.#metrics;
  }
  /** How many times the SDK sent the request (retries + 1). */
  get attempts(): number {
    return this.#attempts;
  }
  /** Time the stream closed (ms since t0). */
  get endT(): number | null {
    return this.#endT;
  }

  /** Starts a run; resolves when it has ended, however it ended. `onEvent` belongs to this run. */
  async start(request: ChatRequest, connection: Connection, { onEvent }: StartOptions = {}): Promise<void> {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    const wire = new WireLog();
    wire.onRead = () => this.#schedule();
    this.#reset(request, connection.baseURL, wire);

    // Going offline does not always fail an open connection: end the run and say so.
    let offline = false;
    const onOffline = () => {
      offline = true;
      controller.abort();
    };
    globalThis.addEventListener?.('offline', onOffline);
    try {
      for await (const event of streamChat(request, { connection, signal: controller.signal, wire })) {
        if (this.#controller !== controller) return; // superseded by a newer run
        this.#apply(offline && event.kind === 'end' ? { ...event, outcome: 'error' } : event);
        if (offline && event.kind === 'end') this.#error = offlineError();
        onEvent?.(event, this.#plainText);
      }
    } finally {
      globalThis.removeEventListener?.('offline', onOffline);
    }
    this.#controller = null;
    this.#flush();
    if (this.#usage === null && this.#plainText) {
      // Counted in a worker: a long answer without spaces is slow to tokenize.
      const text = this.#plainText;
      const [count] = await countTokens([text]);
      if (this.#plainText === text && this.#usage === null) this.#estimatedTokens = count ?? null;
    }
  }

  /** Aborts the request: the connection closes and the run ends as stopped. */
  stop(): void {
    this.#controller?.abort();
  }

  exportRun(): ExportedRun {
    return exportRun({
      lab: this.lab,
      startedAt: this.#startedAt,
      request: this.#request,
      baseURL: this.#baseURL,
      stream: true,
      chunks: this.#plainChunks,
      metrics: this.metrics,
      usage: this.#usage,
      finishReason: this.#finishReason,
      error: this.#error,
      text: this.#plainText,
    });
  }

  #reset(request: ChatRequest, baseURL: string, wire: WireLog): void {
    this.#plainText = '';
    this.#plainChunks = [];
    this.#plainLogprobs = [];
    this.#text = '';
    this.#chunks = [];
    this.#logprobs = [];
    this.#usage = null;
    this.#finishReason = null;
    this.#error = null;
    this.#estimatedTokens = null;
    this.#endT = null;
    this.#request = request;
    this.#baseURL = baseURL;
    this.#startedAt = 0;
    this.#wire = wire;
    this.#status = 'running';
    this.#metricsTick++;
  }

  #apply(event: StreamEvent): void {
    switch (event.kind) {
      case 'open':
        this.#attempts = event.attempts;
        this.#startedAt = performance.timeOrigin + this.#wire.t0;
        break;
      case 'content':
        this.#plainText += event.text;
        this.#plainChunks.push({ t: event.t, text: event.text, sdkChunk: event.sdkChunk });
        this.#schedule();
        break;
      case 'logprobs':
        for (const token of event.tokens) this.#plainLogprobs.push(token);
        break;
      case 'finish':
        this.#finishReason = event.reason;
        break;
      case 'usage':
        this.#usage = event.usage;
        break;
      case 'error':
        if (!this.#startedAt) this.#startedAt = performance.timeOrigin + this.#wire.t0;
        this.#error = event.error;
        break;
      case 'end':
        // The final text is published before the status says the run is over.
        this.#flush(true);
        this.#endT = event.t;
        this.#status =
          event.outcome === 'complete' ? 'done' : event.outcome === 'aborted' ? 'stopped' : 'error';
        break;
      case 'refusal':
        this.#plainText += event.text;
        break;
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    nextFrame(() => this.#flush());
  }

  #flush(final = false): void {
    this.#scheduled = false;
    const now = performance.now();
    if (final || now - this.#metricsAt >= METRICS_MS) {
      this.#metricsAt = now;
      this.#metricsTick++;
    }
    if (this.#text.length !== this.#plainText.length) this.#text = this.#plainText;
    if (this.#chunks.length !== this.#plainChunks.length) this.#chunks = this.#plainChunks.slice();
    if (this.#logprobs.length !== this.#plainLogprobs.length) this.#logprobs = this.#plainLogprobs.slice();
    this.#wireGrew();
  }
}
