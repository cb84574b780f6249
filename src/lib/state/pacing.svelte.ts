/**
 * Display pacing: how much of a streamed answer the view shows at each animation frame.
 *
 * - raw: everything that has arrived (the default, so the other figures on the page stay honest).
 * - word: whole words at a steady rate (WORD_RATE_CPS) that rises with the backlog, so the backlog
 *   drains in about CATCH_UP_MS; whatever arrived MAX_LAG_MS ago or earlier is always shown.
 * - line: up to the end of the last completed line; everything once the stream has ended.
 *
 * Invariants:
 * - The shown text is always a prefix of the arrived text; it never shrinks within one answer.
 * - Word by word never shows a character later than MAX_LAG_MS after its arrival, as of the frame
 *   that reveals it (a frame is the unit: the bound holds at every frame, not between them).
 * - Once the stream has ended and the view has caught up, everything is shown.
 * - Frames are sampled in the pacer's own frame callback (the shown length then); reveals are
 *   recorded when the view is handed text, which in raw mode is the run's own frame.
 * - The cost is recorded cheaply: O(1) per chunk, per reveal and per frame, never per character
 *   (metrics/pacing.ts's tally); the live figures are recomputed at most every FIGURES_MS.
 *
 * `Pacer` is the plain core, driven by a caller's clock (tests inject one); `PacedText` runs it on
 * animation frames against a RunState and publishes the shown text and the figures.
 */
import { untrack } from 'svelte';
import type { Arrival } from '../metrics/metrics';
import { NO_FIGURES, PacingTally, type PacingFigures, type Progress } from '../metrics/pacing';
import type { WireLog } from '../engine/wire';
import { loadPreferences, savePreferences } from '../storage/preferences';
import type { Storage } from '../storage/store';
import type { RunState } from './run.svelte';

export type PacingMode = 'raw' | 'word' | 'line';

export const PACING_MODES: readonly { mode: PacingMode; label: string }[] = [
  { mode: 'raw', label: 'Raw (as it arrives)' },
  { mode: 'word', label: 'Word by word' },
  { mode: 'line', label: 'Line by line' },
];

/** Word by word's steady rate when there is little backlog, in characters per second. */
export const WORD_RATE_CPS = 200;
/** Word by word speeds up so a backlog drains in about this long. */
export const CATCH_UP_MS = 300;
/** Word by word never shows a character later than this after it arrived. */
export const MAX_LAG_MS = 500;
/** Longer runs without a space are revealed this many characters at a time. */
const MAX_WORD = 24;
/** A first frame has no previous one to measure from: it counts as one 60 Hz frame. */
const FIRST_FRAME_MS = 1000 / 60;
/** The figures shown while streaming are recomputed at most this often. */
const FIGURES_MS = 250;

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

/**
 * The end of the next word after `from` (the word and the spaces after it), if it is complete in
 * `text`: followed by a space, or the text is final. Capped at MAX_WORD characters.
 */
export function nextWordEnd(text: string, from: number, final: boolean): number | null {
  let i = from;
  while (i < text.length && isSpace(text[i])) i++;
  const cap = from + MAX_WORD;
  while (i < text.length && i < cap && !isSpace(text[i])) i++;
  if (i >= cap) return cap;
  while (i < text.length && isSpace(text[i])) i++;
  if (i < text.length) return i;
  return final && i > from ? i : null;
}

export class Pacer {
  /** Cumulative arrivals, one per chunk. */
  readonly arrived: Progress[] = [];
  readonly #tally = new PacingTally();
  #chars = 0;
  #shown = 0;
  #credit = 0;
  #lastFrame: number | null = null;
  /** Index into `arrived` of the latest arrival older than MAX_LAG_MS at the last frame. */
  #due = -1;

  /**
   * Takes in chunks: the run's whole list, of which the first `count` have arrived (only the ones
   * not seen yet are read).
   */
  arrive(chunks: readonly Arrival[], count = chunks.length): void {
    for (let i = this.arrived.length; i < count; i++) {
      const chunk = chunks[i] as Arrival;
      this.arrived.push({ t: chunk.t, chars: (this.#chars += chunk.text.length) });
      this.#tally.arrive(chunk.t, this.#chars);
    }
  }

  /**
   * One animation frame at `now` (ms since t0): how many characters of `text` (all that has
   * arrived) to show. `ended`: no more will arrive.
   */
  frame(now: number, text: string, mode: PacingMode, ended: boolean): number {
    const dt = this.#lastFrame === null ? FIRST_FRAME_MS : now - this.#lastFrame;
    this.#lastFrame = now;
    const shown = Math.min(text.length, this.#next(now, text, mode, ended, dt));
    this.#shown = Math.max(this.#shown, shown);
    this.#tally.frame(this.#shown);
    return this.#shown;
  }

  /** Records that the view was handed `chars` characters at `t`. */
  reveal(t: number, chars: number): void {
    this.#tally.reveal(t, chars);
  }

  get figures(): PacingFigures {
    return this.#tally.figures;
  }

  #next(now: number, text: string, mode: PacingMode, ended: boolean, dt: number): number {
    if (mode === 'raw' || (ended && mode === 'line')) return text.length;
    if (mode === 'line') return text.lastIndexOf('\n') + 1;
    const backlog = text.length - this.#shown;
    if (backlog === 0) {
      this.#credit = 0;
      return this.#shown;
    }
    this.#credit += dt * Math.max(WORD_RATE_CPS / 1000, backlog / CATCH_UP_MS);
    let shown = this.#shown;
    for (let end = nextWordEnd(text, shown, ended); end !== null && end - shown <= this.#credit;) {
      this.#credit -= end - shown;
      shown = end;
      end = nextWordEnd(text, shown, ended);
    }
    const due = this.#dueChars(now);
    if (shown < due) {
      shown = due;
      this.#credit = 0;
    }
    return shown;
  }

  /** Characters that arrived MAX_LAG_MS or more before `now`. */
  #dueChars(now: number): number {
    while (
      this.#due + 1 < this.arrived.length &&
      (this.arrived[this.#due + 1] as Progress).t <= now - MAX_LAG_MS
    )
      this.#due++;
    return this.arrived[this.#due]?.chars ?? 0;
  }
}

const isPacingMode = (value: unknown): value is PacingMode => PACING_MODES.some((m) => m.mode === value);

/**
 * The learner's choice, one for the whole page: Chat keeps what Live markdown was set to, and a
 * reload keeps it (storage/preferences.ts). Attached to storage once; a choice made before storage
 * has opened wins over the stored one and is written as soon as it has. Every later choice is
 * written at once.
 */
export class PacingChoice {
  #mode = $state<PacingMode>('raw');
  #storage: Storage | null = null;
  #attaching: Promise<void> | null = null;
  #chosen = false;

  get mode(): PacingMode {
    return this.#mode;
  }
  set mode(mode: PacingMode) {
    this.#mode = mode;
    this.#chosen = true;
    if (this.#storage) void savePreferences(this.#storage, { pacing: mode });
  }

  /** Reads the stored choice (once per page, whoever asks first). */
  attach(storage: Storage): Promise<void> {
    this.#attaching ??= (async () => {
      const { pacing } = await loadPreferences(storage);
      if (!this.#chosen && isPacingMode(pacing)) this.#mode = pacing;
      this.#storage = storage;
      if (this.#chosen) await savePreferences(storage, { pacing: this.#mode });
    })();
    return this.#attaching;
  }
}
export const pacingChoice = new PacingChoice();

const nextFrame: (cb: () => void) => () => void =
  typeof requestAnimationFrame === 'function'
    ? (cb) => {
        const id = requestAnimationFrame(() => cb());
        return () => cancelAnimationFrame(id);
      }
    : (cb) => {
        const id = setTimeout(cb, 16);
        return () => clearTimeout(id);
      };

/**
 * A run's answer as the chosen pacing shows it. Create it while a component initialises (it runs
 * its frame loop in an effect owned by that component): `new PacedText(() => run)`.
 */
export class PacedText {
  readonly #source: () => RunState;
  readonly #mode: () => PacingMode;
  #pacer = new Pacer();
  /** The connection the pacer's records belong to (times are ms since its t0); a new run starts new records. */
  #first: WireLog | null = null;
  #shown = $state(0);
  #figures = $state.raw<PacingFigures>(NO_FIGURES);
  #figuresAt = -Infinity;
  readonly #text = $derived.by(() => {
    const text = this.#run().text;
    return this.#mode() === 'raw' ? text : text.slice(0, this.#shown);
  });
  /** Frames are needed while the run streams or the view is behind it. */
  readonly #active = $derived(this.#run().running || this.behind);

  constructor(source: () => RunState, mode: () => PacingMode = () => pacingChoice.mode) {
    this.#source = source;
    this.#mode = mode;
    $effect(() => {
      if (!this.#active) return;
      const tick = () => {
        this.#tick();
        cancel = nextFrame(tick);
      };
      let cancel = nextFrame(tick);
      return () => cancel();
    });
    // Reveals are recorded as the view is handed text (after the run's own frame published it),
    // and the figures are published once more when the frames stop.
    $effect(() => {
      const chars = this.text.length;
      const active = this.#active;
      untrack(() => {
        const first = this.#reset();
        if (!first) return;
        const now = performance.now() - first.t0;
        this.#pacer.reveal(now, chars);
        if (active) return;
        // The frames have stopped: the run's own last frame (which may have ended it) counts too.
        const run = this.#run();
        this.#arrive(run);
        this.#shown = this.#pacer.frame(now, run.text, this.#mode(), true);
        this.#figures = this.#pacer.figures;
      });
    });
  }

  /** The text to show: a prefix of the run's text. */
  get text(): string {
    return this.#text;
  }
  /** The view shows less than has arrived. */
  get behind(): boolean {
    return this.text.length < this.#run().text.length;
  }
  get figures(): PacingFigures {
    return this.#figures;
  }

  #run(): RunState {
    return this.#source();
  }

  /** The run's first connection, with new records when it is a new one (a new run). */
  #reset(): WireLog | null {
    const first = this.#run().connections[0] ?? null;
    if (first === this.#first) return first;
    this.#first = first;
    this.#pacer = new Pacer();
    this.#shown = 0;
    this.#figures = NO_FIGURES;
    this.#figuresAt = -Infinity;
    return first;
  }

  /** The run's chunks that went out with its text: every frame, however long its list. */
  #arrive(run: RunState): void {
    const { list, count } = run.arrivedChunks;
    this.#pacer.arrive(list, count);
  }

  #tick(): void {
    const first = this.#reset();
    if (!first) return;
    const run = this.#run();
    const now = performance.now() - first.t0;
    this.#arrive(run);
    this.#shown = this.#pacer.frame(now, run.text, this.#mode(), !run.running);
    if (now - this.#figuresAt >= FIGURES_MS) {
      this.#figuresAt = now;
      this.#figures = this.#pacer.figures;
    }
  }
}
