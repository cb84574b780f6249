/**
 * What display pacing costs, from two cumulative records of one answer — when its characters
 * arrived and when they were handed to the view — and the shown length at every frame. All times
 * are ms since t0.
 *
 * Definitions (the concept text and the glossary say the same in words):
 * - time to first visible token: the first reveal that shows any answer text − t0.
 * - added display delay of a character: when it was revealed − when it arrived (the network read
 *   that carried it). Reported as p50 and p95 over characters (nearest rank, each character one
 *   sample), so a long chunk weighs as much as its length.
 * - burstiness of what the eye sees: over the animation frames from the first that revealed text
 *   to the last, the number of characters each frame revealed. `cv` is the coefficient of
 *   variation of those counts (standard deviation ÷ mean: 0 for a perfectly steady reveal, above 1
 *   for a few big jumps between still frames); `idleShare` is the share of those frames that
 *   revealed nothing.
 *
 * Invariants:
 * - The records are cumulative: an entry that does not move its count forward is ignored.
 * - A character that was not revealed yet has no delay; one whose arrival is not recorded yet is
 *   matched when it is (a view may be handed text before its arrival reaches the tally).
 * - Cheap while streaming: every entry is taken in once (O(1) each); figures cost O(distinct
 *   delays at Chromium's 0.1 ms resolution), never O(characters) or O(chunks).
 * - Nothing here knows about Svelte, the DOM or the clock.
 */
import type { Arrival } from './metrics';

/** By time `t` (ms since t0), `chars` characters had arrived, been revealed or been shown. */
export interface Progress {
  t: number;
  chars: number;
}

export interface Burstiness {
  /** Frames from the first that revealed text to the last. */
  frames: number;
  /** Coefficient of variation of the characters revealed per frame. */
  cv: number;
  /** Share (0–1) of those frames that revealed nothing. */
  idleShare: number;
}

export interface PacingFigures {
  firstVisibleMs: number | null;
  /** Added display delay over characters; null until a character is revealed. */
  delay: { p50: number; p95: number; max: number } | null;
  burstiness: Burstiness | null;
}

export const NO_FIGURES: PacingFigures = { firstVisibleMs: null, delay: null, burstiness: null };

/** Delays are counted in tenths of a ms, Chromium's timer resolution. */
const TICKS_PER_MS = 10;

/** Cumulative character counts of the chunks as they arrived. */
export function arrivalProgress(arrivals: readonly Arrival[]): Progress[] {
  let chars = 0;
  return arrivals.map(({ t, text }) => ({ t, chars: (chars += text.length) }));
}

/** Nearest-rank percentile (q in [0, 100]) of a histogram of delay (in ticks) → characters. */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, q: number): number {
  const keys = [...histogram.keys()].sort((a, b) => a - b);
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((q / 100) * total));
  let seen = 0;
  for (const key of keys) {
    seen += histogram.get(key) as number;
    if (seen >= rank) return key / TICKS_PER_MS;
  }
  return (keys.at(-1) as number) / TICKS_PER_MS;
}

/** Takes in arrivals, reveals and frames as they happen, and gives the figures at any time. */
export class PacingTally {
  #arrived: Progress[] = [];
  #revealed: Progress[] = [];
  /** The merge of the two records: next entry of each, and characters already given a delay. */
  #a = 0;
  #r = 0;
  #pos = 0;
  /** Delay in ticks → characters that waited that long. */
  #delays = new Map<number, number>();
  #maxDelay = -Infinity;
  // Frames: the shown length before, and sums over the frames from the first reveal to the last.
  #before = 0;
  #frames = 0;
  #idle = 0;
  #idlePending = 0;
  #sum = 0;
  #sumSq = 0;

  arrive(t: number, chars: number): void {
    if (chars > (this.#arrived.at(-1)?.chars ?? 0)) this.#arrived.push({ t, chars });
  }

  reveal(t: number, chars: number): void {
    if (chars > (this.#revealed.at(-1)?.chars ?? 0)) this.#revealed.push({ t, chars });
  }

  /** One frame, at which the view showed `chars` characters. */
  frame(chars: number): void {
    const revealed = Math.max(0, chars - this.#before);
    this.#before = Math.max(this.#before, chars);
    if (revealed === 0) {
      if (this.#frames > 0) this.#idlePending++;
      return;
    }
    // Frames that revealed nothing count once a later frame reveals something: the window ends at
    // the last frame that revealed text.
    this.#frames += this.#idlePending + 1;
    this.#idle += this.#idlePending;
    this.#idlePending = 0;
    this.#sum += revealed;
    this.#sumSq += revealed * revealed;
  }

  get figures(): PacingFigures {
    this.#merge();
    const mean = this.#sum / this.#frames;
    return {
      firstVisibleMs: this.#revealed[0]?.t ?? null,
      delay: this.#delays.size
        ? {
            p50: histogramPercentile(this.#delays, 50),
            p95: histogramPercentile(this.#delays, 95),
            max: this.#maxDelay,
          }
        : null,
      burstiness: this.#frames
        ? {
            frames: this.#frames,
            cv: Math.sqrt(Math.max(0, this.#sumSq / this.#frames - mean * mean)) / mean,
            idleShare: this.#idle / this.#frames,
          }
        : null,
    };
  }

  /** Gives a delay to every character that is both recorded as arrived and as revealed. */
  #merge(): void {
    while (this.#a < this.#arrived.length && this.#r < this.#revealed.length) {
      const arrival = this.#arrived[this.#a] as Progress;
      const reveal = this.#revealed[this.#r] as Progress;
      const end = Math.min(arrival.chars, reveal.chars);
      const delay = reveal.t - arrival.t;
      const key = Math.round(delay * TICKS_PER_MS);
      this.#delays.set(key, (this.#delays.get(key) ?? 0) + end - this.#pos);
      this.#maxDelay = Math.max(this.#maxDelay, delay);
      this.#pos = end;
      if (arrival.chars === end) this.#a++;
      if (reveal.chars === end) this.#r++;
    }
  }
}
