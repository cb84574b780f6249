/**
 * What display pacing costs, as pure functions over two cumulative records of one answer: when
 * its characters arrived and when they were handed to the view. All times are ms since t0.
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
 * Invariants: the inputs are cumulative (`chars` never goes down; equal or lower entries are
 * ignored); a character that was never revealed has no delay yet; nothing here knows about
 * Svelte, the DOM or the clock.
 */
import type { Arrival } from './metrics';

/** By time `t` (ms since t0), `chars` characters had arrived, been revealed or been on screen. */
export interface Progress {
  t: number;
  chars: number;
}

/** A run of `chars` consecutive characters that all waited `delay` ms between arrival and reveal. */
export interface DelayRun {
  delay: number;
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

/** Cumulative character counts of the chunks as they arrived. */
export function arrivalProgress(arrivals: readonly Arrival[]): Progress[] {
  let chars = 0;
  return arrivals.map(({ t, text }) => ({ t, chars: (chars += text.length) }));
}

/** The entries that move the count forward: a cumulative record with repeats dropped. */
function forward(record: readonly Progress[]): Progress[] {
  const out: Progress[] = [];
  for (const p of record) if (p.chars > (out.at(-1)?.chars ?? 0)) out.push(p);
  return out;
}

/** Each revealed character's delay, as runs of characters that share arrival and reveal. */
export function revealDelays(arrived: readonly Progress[], revealed: readonly Progress[]): DelayRun[] {
  const a = forward(arrived);
  const r = forward(revealed);
  const runs: DelayRun[] = [];
  let i = 0;
  let j = 0;
  let pos = 0;
  while (i < a.length && j < r.length) {
    const arrival = a[i] as Progress;
    const reveal = r[j] as Progress;
    const end = Math.min(arrival.chars, reveal.chars);
    runs.push({ delay: reveal.t - arrival.t, chars: end - pos });
    pos = end;
    if (arrival.chars === end) i++;
    if (reveal.chars === end) j++;
  }
  return runs;
}

/** Nearest-rank percentile (q in [0, 100]) over characters, each run weighing its length. */
export function weightedPercentile(runs: readonly DelayRun[], q: number): number {
  const sorted = [...runs].sort((x, y) => x.delay - y.delay);
  const total = sorted.reduce((n, run) => n + run.chars, 0);
  if (total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((q / 100) * total));
  let seen = 0;
  for (const run of sorted) {
    seen += run.chars;
    if (seen >= rank) return run.delay;
  }
  return (sorted.at(-1) as DelayRun).delay;
}

/** Characters revealed by each frame, from the first frame that revealed any to the last. */
export function revealsPerFrame(frames: readonly Progress[]): number[] {
  const counts: number[] = [];
  let before = 0;
  for (const { chars } of frames) {
    counts.push(Math.max(0, chars - before));
    before = Math.max(before, chars);
  }
  const first = counts.findIndex((n) => n > 0);
  if (first < 0) return [];
  let last = counts.length - 1;
  while ((counts[last] as number) === 0) last--;
  return counts.slice(first, last + 1);
}

export function burstiness(frames: readonly Progress[]): Burstiness | null {
  const counts = revealsPerFrame(frames);
  if (counts.length === 0) return null;
  const mean = counts.reduce((s, n) => s + n, 0) / counts.length;
  const variance = counts.reduce((s, n) => s + (n - mean) ** 2, 0) / counts.length;
  return {
    frames: counts.length,
    cv: Math.sqrt(variance) / mean,
    idleShare: counts.filter((n) => n === 0).length / counts.length,
  };
}

/** The three figures for one answer: arrivals, reveals (each time the view got more) and frames. */
export function pacingFigures(
  arrived: readonly Progress[],
  revealed: readonly Progress[],
  frames: readonly Progress[],
): PacingFigures {
  const runs = revealDelays(arrived, revealed);
  return {
    firstVisibleMs: revealed.find((p) => p.chars > 0)?.t ?? null,
    delay: runs.length
      ? {
          p50: weightedPercentile(runs, 50),
          p95: weightedPercentile(runs, 95),
          max: runs.reduce((m, run) => Math.max(m, run.delay), -Infinity),
        }
      : null,
    burstiness: burstiness(frames),
  };
}
