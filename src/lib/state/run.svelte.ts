/**
 * RunState: one streamed request from Run to its end — status, text, chunks, usage, error.
 *
 * Invariants:
 * - Every content event is recorded with its exact arrival time in a plain array; the reactive
 *   `text` and `chunks` are published from it at most once per animation frame. A list is
 *   published as a new array (readers see the change by identity), so once it is long
 *   (LIST_EVERY_FRAME_MAX) it is copied only at the metrics' pace and at the end.
 * - Metrics are tallied as events arrive (metrics.ts, ArrivalTally): no work per event or per
 *   publication grows with the length of the answer, but the gap statistics, taken once at the end.
 * - A stop is an outcome ("stopped"), not an error. An error keeps the text received so far, and
 *   the run is then `incomplete`.
 * - `exportRun()` never contains the key.
 * - A run goes by its connection's wire format (`api`): streamChat for Chat Completions,
 *   streamResponse for Responses; both give the same events, so everything below is shared.
 * - A resumed run is still one run: every connection's wire log is kept in order (`connections`;
 *   `wire` is the latest), and the resumed connection's event times are shifted onto the first
 *   connection's t0, so metrics and the chart see one timeline with the gap where the drop was.
 *   Content chunk numbers continue across connections; an event's `sdkChunk` stays the index in
 *   its own connection's wire log.
 */
import { createSubscriber } from 'svelte/reactivity';
import { countTokens } from '../engine/token-count';
import { streamChat } from '../engine/stream-chat';
import { resumeResponse, streamResponse } from '../engine/stream-response';
import { offlineError, type LabError } from '../engine/errors';
import type {
  Api,
  ChatRequest,
  Connection,
  ResumePoint,
  StreamEvent,
  RunStatus,
  TokenLogprob,
  Usage,
} from '../engine/types';
import { WireLog } from '../engine/wire';
import { emptyTallies, metricsOf, type Arrival, type StreamMetrics } from '../metrics/metrics';
import { exportRun, type ExportedRun } from '../run-file/format';

const METRICS_MS = 200;
/**
 * Lists (chunks, logprobs, reasoning and tool chunks) up to this long are republished every frame;
 * a longer one only when the metrics are (every METRICS_MS) and at the end. Copied every frame,
 * a 100,000-chunk answer's list is about 100 MB of garbage over an 8-second stream (4-byte
 * pointers), and the heap it grows brings full garbage collections of 50 ms and more into it.
 */
const LIST_EVERY_FRAME_MAX = 4096;

export type { RunStatus };

export interface ChunkRecord extends Arrival {
  /** Index of the SDK chunk that carried this content (StreamEvent's `sdkChunk`). */
  sdkChunk: number;
}

/** One tool call as it has arrived so far; `args` grows piece by piece. */
export interface ToolCall {
  /** The call's `index` in the stream (parallel calls have different ones). */
  index: number;
  id: string;
  name: string;
  type: 'function' | 'custom';
  args: string;
}

/** One piece of a tool call's arguments as it arrived. */
export interface ToolChunkRecord extends Arrival {
  /** Which call (ToolCall.index). */
  index: number;
  sdkChunk: number;
}

/** Per-run options for `start`. */
export interface StartOptions {
  /**
   * Called with each event as it arrives, before batching (for labs that react per chunk); a
   * resumed connection's events come shifted onto the run's timeline, chunk numbers continued.
   */
  onEvent?: (event: StreamEvent, text: string) => void;
  /** Cut the connection after the SDK has yielded this many events, as a network drop would. */
  dropAfter?: number;
}

/** A stream event that reports a sequence_number out of order. */
export interface SequenceIssue {
  expected: number;
  got: number;
  /** When it arrived, ms since the run's t0. */
  t: number;
}

/** `event` moved `shift` ms later, content chunks numbered on from `chunksBefore`. */
function shifted(event: StreamEvent, shift: number, chunksBefore: number): StreamEvent {
  if (shift === 0 && chunksBefore === 0) return event;
  const moved = { ...event, t: event.t + shift };
  return moved.kind === 'content' ? { ...moved, contentChunk: moved.contentChunk + chunksBefore } : moved;
}

const nextFrame: (cb: () => void) => void =
  typeof requestAnimationFrame === 'function'
    ? (cb) => requestAnimationFrame(() => cb())
    : (cb) => setTimeout(cb, 16);
/** Runs `cb` once the next frame has painted: a task queued from inside its callback runs after it. */
const afterNextPaint = (cb: () => void) => nextFrame(() => setTimeout(cb, 0));

export class RunState {
  #status = $state<RunStatus>('idle');
  #text = $state('');
  #chunks = $state.raw<ChunkRecord[]>([]);
  #logprobs = $state.raw<TokenLogprob[]>([]);
  #reasoning = $state('');
  #reasoningChunks = $state.raw<ChunkRecord[]>([]);
  #toolCalls = $state.raw<ToolCall[]>([]);
  #toolChunks = $state.raw<ToolChunkRecord[]>([]);
  #otherChoices = $state.raw<number[]>([]);
  /** When the first answer or reasoning text had been painted (ms since t0). */
  #firstVisibleMs = $state<number | null>(null);
  #usage = $state.raw<Usage | null>(null);
  #finishReason = $state<string | null>(null);
  #error = $state.raw<LabError | null>(null);
  #estimatedTokens = $state<number | null>(null);
  #endT = $state<number | null>(null);
  #request = $state.raw<ChatRequest | null>(null);
  #api = $state<Api>('chat');
  #responseId = $state<string | null>(null);
  #sequenceIssues = $state.raw<SequenceIssue[]>([]);
  #resumable = $state.raw<ResumePoint | null>(null);
  /** Every connection's wire log, in order; the last is `#wire`. */
  #connections = $state.raw<WireLog[]>([]);
  #onEvent: StartOptions['onEvent'];
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
  /** Bumped at most every METRICS_MS while streaming (and at the end): the stats panel's pace. */
  #metricsTick = $state(0);
  #metricsAt = 0;
  /** Every content, reasoning and tool-argument event, tallied as it lands in the plain copies. */
  #tallies = emptyTallies();
  /**
   * The gap statistics read every gap: they are computed once the stream is over, not while it
   * runs, and in a task after the frame that shows its end, not in the one that renders the final
   * answer (with them, that task took 56-63 ms on a 100,000-chunk answer; without, 20-32).
   * `exportRun()` never waits for them.
   */
  #gapsDue = $state(false);
  readonly #metrics = $derived.by(() => {
    void this.#metricsTick;
    return this.#metricsWith(this.#gapsDue);
  });
  #metricsWith(gaps: boolean): StreamMetrics {
    return metricsOf(this.#tallies, {
      usage: this.#usage,
      estimatedTokens: this.#estimatedTokens,
      headersMs: this.#connections[0]?.headersAt ?? this.#wire.headersAt,
      firstVisibleMs: this.#firstVisibleMs,
      gaps,
    });
  }

  // The plain copies every event lands in, each named after the reactive field it is published to
  // (at most once per animation frame).
  #plainText = '';
  #plainChunks: ChunkRecord[] = [];
  #plainLogprobs: TokenLogprob[] = [];
  #plainReasoning = '';
  #plainReasoningChunks: ChunkRecord[] = [];
  #plainToolCalls: ToolCall[] = [];
  #plainToolChunks: ToolChunkRecord[] = [];
  #plainOtherChoices: number[] = [];
  /** How many content chunks were in the list when the text was last published (every frame). */
  #chunksWithText = 0;
  /** How many tool-argument pieces `toolCalls` was last published with. */
  #toolPiecesPublished = 0;
  #watchingPaint = false;
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
  /**
   * The content chunks that went out with the text, every frame however long the list is (a long
   * `chunks` is copied less often): `list` is the run's own append-only list, of which the first
   * `count` are published. For a reader that takes them by index as they come (the pacer); never
   * to be kept or changed.
   */
  get arrivedChunks(): { list: readonly ChunkRecord[]; count: number } {
    return { list: this.#plainChunks, count: this.#chunksWithText };
  }
  get logprobs(): TokenLogprob[] {
    return this.#logprobs;
  }
  /** Reasoning text, kept apart from the answer: it never reaches `text`. */
  get reasoning(): string {
    return this.#reasoning;
  }
  get reasoningChunks(): ChunkRecord[] {
    return this.#reasoningChunks;
  }
  /** Tool calls in the order their first piece arrived. */
  get toolCalls(): ToolCall[] {
    return this.#toolCalls;
  }
  get toolChunks(): ToolChunkRecord[] {
    return this.#toolChunks;
  }
  /** Indexes of the choices other than 0 the stream carried (n > 1); only choice 0 is shown. */
  get otherChoices(): number[] {
    return this.#otherChoices;
  }
  /** When the first text (answer or reasoning) had been painted, ms since t0. */
  get firstVisibleMs(): number | null {
    return this.#firstVisibleMs;
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
  /** The run's (latest connection's) wire log; a reactive read re-runs whenever a frame is published. */
  get wire(): WireLog {
    this.#subscribeWire();
    return this.#wire;
  }
  /** Every connection's wire log in order (more than one once resumed); reactive like `wire`. */
  get connections(): WireLog[] {
    this.#subscribeWire();
    return this.#connections;
  }
  /** The wire format this run went by. */
  get api(): Api {
    return this.#api;
  }
  /** The Responses API's id for this run's response, once response.created said it. */
  get responseId(): string | null {
    return this.#responseId;
  }
  /** Every sequence_number gap or reordering the stream reported, in arrival order. */
  get sequenceIssues(): SequenceIssue[] {
    return this.#sequenceIssues;
  }
  /** Where a dropped background response can be picked up again (`resume`), else null. */
  get resumable(): ResumePoint | null {
    return this.#resumable;
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
  /** `metrics.ttftMs` alone, for a reader that needs none of the gap statistics `metrics` computes. */
  get ttftMs(): number | null {
    void this.#metricsTick;
    return this.#tallies.content.first ?? null;
  }
  /** How many times the SDK sent the request (retries + 1). */
  get attempts(): number {
    return this.#attempts;
  }
  /** Time the stream closed (ms since t0). */
  get endT(): number | null {
    return this.#endT;
  }

  /**
   * Starts a run in the connection's wire format; resolves when it has ended, however it ended.
   * `onEvent` belongs to this run (and its resumed connections).
   */
  async start(
    request: ChatRequest,
    connection: Connection,
    { onEvent, dropAfter }: StartOptions = {},
  ): Promise<void> {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    const wire = new WireLog();
    wire.onRead = () => this.#schedule();
    this.#reset(request, connection, wire);
    this.#onEvent = onEvent;
    const options = {
      connection,
      signal: controller.signal,
      wire,
      ...(dropAfter !== undefined ? { dropAfter } : {}),
    };
    const events =
      this.#api === 'responses' ? streamResponse(request, options) : streamChat(request, options);
    await this.#consume(events, controller, wire);
  }

  /**
   * Continues a dropped background response (`resumable`) over `connection`, as the same run:
   * text, chunks, reasoning and tool calls append, times go on from the first connection's t0,
   * and the status runs again until the resumed stream ends; `onEvent` from `start` sees it too.
   * Does nothing when not resumable.
   */
  async resume(connection: Connection): Promise<void> {
    const point = this.#resumable;
    if (!point || this.running) return;
    const controller = new AbortController();
    this.#controller = controller;
    const wire = new WireLog();
    wire.onRead = () => this.#schedule();
    this.#resumable = null;
    this.#error = null;
    this.#finishReason = null;
    this.#endT = null;
    this.#connections = [...this.#connections, wire];
    this.#wire = wire;
    this.#status = 'running';
    this.#gapsDue = false;
    await this.#consume(
      resumeResponse(point, { connection, signal: controller.signal, wire }),
      controller,
      wire,
    );
  }

  /** Applies one connection's events to the run, then settles what only the end can tell. */
  async #consume(
    events: AsyncGenerator<StreamEvent, void, undefined>,
    controller: AbortController,
    wire: WireLog,
  ): Promise<void> {
    const first = this.#connections[0] ?? wire;
    const chunksBefore = this.#plainChunks.length;
    const onEvent = this.#onEvent;
    // Going offline does not always fail an open connection: end the run and say so.
    let offline = false;
    const onOffline = () => {
      offline = true;
      controller.abort();
    };
    globalThis.addEventListener?.('offline', onOffline);
    try {
      for await (const raw of events) {
        if (this.#controller !== controller) return; // superseded by a newer run
        // t0 is set once the request is sent: read it per event, not before the first.
        const event = shifted(raw, wire === first ? 0 : wire.t0 - first.t0, chunksBefore);
        this.#apply(offline && event.kind === 'end' ? { ...event, outcome: 'error' } : event, wire === first);
        if (offline && event.kind === 'end') this.#error = offlineError();
        onEvent?.(event, this.#plainText);
      }
    } finally {
      globalThis.removeEventListener?.('offline', onOffline);
    }
    this.#controller = null;
    this.#flush();
    // Without usage, N is estimated from everything generated: reasoning, answer and arguments.
    const generated = [this.#plainReasoning, this.#plainText, ...this.#plainToolCalls.map((c) => c.args)];
    if (this.#usage === null && generated.some((text) => text !== '')) {
      // Counted in a worker: a long answer without spaces is slow to tokenize.
      const chunks = this.#plainChunks;
      // No tokenizer (offline before it was ever loaded): the run ends without an estimate.
      const counts = await countTokens(generated).catch(() => null);
      if (counts && this.#plainChunks === chunks && this.#usage === null) {
        this.#estimatedTokens = counts.reduce((sum, n) => sum + n, 0);
      }
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
      metrics: this.#gapsDue || this.running ? this.metrics : this.#metricsWith(true),
      usage: this.#usage,
      finishReason: this.#finishReason,
      error: this.#error,
      text: this.#plainText,
      reasoning: { text: this.#plainReasoning, chunks: this.#plainReasoningChunks },
      api: this.#api,
      toolCalls: this.#plainToolCalls,
      toolChunks: this.#plainToolChunks,
    });
  }

  #reset(request: ChatRequest, connection: Connection, wire: WireLog): void {
    this.#plainText = '';
    this.#plainChunks = [];
    this.#plainLogprobs = [];
    this.#plainReasoning = '';
    this.#plainReasoningChunks = [];
    this.#plainToolCalls = [];
    this.#plainToolChunks = [];
    this.#plainOtherChoices = [];
    this.#tallies = emptyTallies();
    this.#reasoning = '';
    this.#reasoningChunks = [];
    this.#toolCalls = [];
    this.#toolChunks = [];
    this.#chunksWithText = 0;
    this.#toolPiecesPublished = 0;
    this.#otherChoices = [];
    this.#firstVisibleMs = null;
    this.#watchingPaint = false;
    this.#text = '';
    this.#chunks = [];
    this.#logprobs = [];
    this.#usage = null;
    this.#finishReason = null;
    this.#error = null;
    this.#estimatedTokens = null;
    this.#endT = null;
    this.#request = request;
    this.#api = connection.api ?? 'chat';
    this.#responseId = null;
    this.#sequenceIssues = [];
    this.#resumable = null;
    this.#baseURL = connection.baseURL;
    this.#startedAt = 0;
    this.#wire = wire;
    this.#connections = [wire];
    this.#status = 'running';
    this.#gapsDue = false;
    this.#metricsTick++;
  }

  /** `firstConnection`: the event came over the run's first connection (not a resumed one). */
  #apply(event: StreamEvent, firstConnection: boolean): void {
    switch (event.kind) {
      case 'open':
        if (!firstConnection) break; // t0 and the attempt count are the first connection's
        this.#attempts = event.attempts;
        this.#startedAt = performance.timeOrigin + this.#wire.t0;
        break;
      case 'response':
        this.#responseId = event.id;
        break;
      case 'sequence':
        this.#sequenceIssues = [
          ...this.#sequenceIssues,
          { expected: event.expected, got: event.got, t: event.t },
        ];
        break;
      case 'content':
        this.#plainText += event.text;
        this.#plainChunks.push({ t: event.t, text: event.text, sdkChunk: event.sdkChunk });
        this.#tallies.content.push(event);
        this.#schedule();
        break;
      case 'reasoning':
        this.#plainReasoning += event.text;
        this.#plainReasoningChunks.push({ t: event.t, text: event.text, sdkChunk: event.sdkChunk });
        this.#tallies.reasoning.push(event);
        this.#schedule();
        break;
      case 'tool_call':
        this.#applyToolCall(event);
        this.#schedule();
        break;
      case 'other_choice':
        if (!this.#plainOtherChoices.includes(event.index)) this.#plainOtherChoices.push(event.index);
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
        this.#resumable = event.resume ?? null;
        this.#status =
          event.outcome === 'complete' ? 'done' : event.outcome === 'aborted' ? 'stopped' : 'error';
        this.#gapsAfterNextFrame();
        break;
      case 'refusal':
        this.#plainText += event.text;
        break;
    }
  }

  #applyToolCall(event: Extract<StreamEvent, { kind: 'tool_call' }>): void {
    let call = this.#plainToolCalls.find((c) => c.index === event.index);
    if (!call) {
      call = { index: event.index, id: '', name: '', type: event.type, args: '' };
      this.#plainToolCalls.push(call);
    }
    if (event.id) call.id = event.id;
    if (event.name) call.name += event.name;
    call.args += event.args;
    this.#plainToolChunks.push({
      t: event.t,
      text: event.args,
      index: event.index,
      sdkChunk: event.sdkChunk,
    });
    this.#tallies.toolArgs.push({ t: event.t, text: event.args });
  }

  /** Lets the metrics compute the gap statistics in a task after the next frame, if still over. */
  #gapsAfterNextFrame(): void {
    const wire = this.#wire;
    afterNextPaint(() => {
      if (this.#wire === wire && !this.running) this.#gapsDue = true;
    });
  }

  /** Notes when the first text reaches the screen: the frame after it was published has painted. */
  #watchFirstPaint(): void {
    if (this.#watchingPaint || this.#firstVisibleMs !== null) return;
    this.#watchingPaint = true;
    const first = this.#connections[0] ?? this.#wire;
    afterNextPaint(() => {
      if (this.#connections[0] === first) this.#firstVisibleMs = performance.now() - first.t0;
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    nextFrame(() => this.#flush());
  }

  #flush(final = false): void {
    this.#scheduled = false;
    const now = performance.now();
    const due = final || now - this.#metricsAt >= METRICS_MS;
    if (due) {
      this.#metricsAt = now;
      this.#metricsTick++;
    }
    let heldBack = false;
    /** Whether `plain` has grown past `published` and is to be copied now (always, once over). */
    const publish = (published: readonly unknown[], plain: readonly unknown[]) => {
      if (published.length === plain.length) return false;
      if (due || !this.running || plain.length <= LIST_EVERY_FRAME_MAX) return true;
      heldBack = true;
      return false;
    };
    if (this.#text.length !== this.#plainText.length) this.#text = this.#plainText;
    this.#chunksWithText = this.#plainChunks.length;
    if (publish(this.#chunks, this.#plainChunks)) this.#chunks = this.#plainChunks.slice();
    if (publish(this.#logprobs, this.#plainLogprobs)) this.#logprobs = this.#plainLogprobs.slice();
    if (this.#reasoning.length !== this.#plainReasoning.length) this.#reasoning = this.#plainReasoning;
    if (publish(this.#reasoningChunks, this.#plainReasoningChunks))
      this.#reasoningChunks = this.#plainReasoningChunks.slice();
    if (publish(this.#toolChunks, this.#plainToolChunks)) this.#toolChunks = this.#plainToolChunks.slice();
    // The calls' argument text is text: every frame (a copy per call, not per piece).
    if (this.#toolPiecesPublished !== this.#plainToolChunks.length) {
      this.#toolPiecesPublished = this.#plainToolChunks.length;
      this.#toolCalls = this.#plainToolCalls.map((c) => ({ ...c }));
    }
    // A list held back goes out when due even if no event comes to schedule a frame (a pause).
    if (heldBack) this.#schedule();
    if (this.#otherChoices.length !== this.#plainOtherChoices.length)
      this.#otherChoices = this.#plainOtherChoices.slice();
    if (this.#text || this.#reasoning || this.#toolCalls.length) this.#watchFirstPaint();
    this.#wireGrew();
  }
}
