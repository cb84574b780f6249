import { describe, expect, it } from 'vitest';
import type { Arrival } from '../../src/lib/metrics/metrics';
import {
  PacingTally,
  arrivalProgress,
  histogramPercentile,
  type PacingFigures,
  type Progress,
} from '../../src/lib/metrics/pacing';
import { MAX_LAG_MS, Pacer, nextWordEnd, type PacingMode } from '../../src/lib/state/pacing.svelte';
import { lab as liveMarkdown } from '../../src/labs/live-markdown/lab';

/** The figures of whole records, fed to a tally in the given order. */
function figures(arrived: Progress[], revealed: Progress[], frames: number[] = []): PacingFigures {
  const tally = new PacingTally();
  for (const p of arrived) tally.arrive(p.t, p.chars);
  for (const p of revealed) tally.reveal(p.t, p.chars);
  for (const chars of frames) tally.frame(chars);
  return tally.figures;
}

describe('pacing figures', () => {
  it('turns chunks into cumulative character counts', () => {
    expect(
      arrivalProgress([
        { t: 5, text: 'ab' },
        { t: 9, text: 'cde' },
      ]),
    ).toEqual([
      { t: 5, chars: 2 },
      { t: 9, chars: 5 },
    ]);
  });

  it('gives each character its reveal time minus its arrival time, p50 and p95 over characters', () => {
    // Characters 0–2 wait 5 ms, 3–4 wait 20 ms, 5–9 wait 10 ms.
    const f = figures(
      [
        { t: 10, chars: 5 },
        { t: 20, chars: 10 },
      ],
      [
        { t: 15, chars: 3 },
        { t: 30, chars: 10 },
      ],
    );
    expect(f.delay).toEqual({ p50: 10, p95: 20, max: 20 });
  });

  it('leaves characters not revealed yet out of the delays', () => {
    const f = figures([{ t: 0, chars: 10 }], [{ t: 4, chars: 3 }]);
    expect(f.delay).toEqual({ p50: 4, p95: 4, max: 4 });
  });

  it('matches a reveal with its arrival when the arrival is recorded after it', () => {
    const tally = new PacingTally();
    tally.reveal(16, 4);
    expect(tally.figures.delay).toBeNull();
    tally.arrive(10, 4);
    expect(tally.figures.delay).toEqual({ p50: 6, p95: 6, max: 6 });
  });

  it('ignores reveals that show nothing new', () => {
    const f = figures(
      [{ t: 0, chars: 4 }],
      [
        { t: 1, chars: 0 },
        { t: 2, chars: 2 },
        { t: 3, chars: 2 },
        { t: 5, chars: 4 },
      ],
    );
    expect(f.delay).toEqual({ p50: 2, p95: 5, max: 5 });
  });

  it('takes percentiles by nearest rank over a histogram in tenths of a ms', () => {
    const histogram = new Map([
      [200, 2],
      [50, 3],
      [100, 5],
    ]);
    expect(histogramPercentile(histogram, 50)).toBe(10);
    expect(histogramPercentile(histogram, 95)).toBe(20);
    expect(histogramPercentile(histogram, 0)).toBe(5);
    expect(histogramPercentile(new Map(), 50)).toBeNaN();
  });

  it('counts characters per frame from the first frame that revealed text to the last', () => {
    const b = figures([], [], [0, 0, 5, 5, 10, 10, 10]).burstiness;
    expect(b?.frames).toBe(3);
    expect(b?.idleShare).toBeCloseTo(1 / 3);
    expect(b?.cv).toBeCloseTo(Math.SQRT2 / 2);
  });

  it('calls a steady reveal not bursty at all, and has no burstiness before anything shows', () => {
    expect(figures([], [], [2, 4, 6, 8]).burstiness).toEqual({ frames: 4, cv: 0, idleShare: 0 });
    expect(figures([], [], [0, 0]).burstiness).toBeNull();
  });

  it('puts the first visible token at the first reveal that shows text', () => {
    const f = figures(
      [{ t: 100, chars: 4 }],
      [
        { t: 90, chars: 0 },
        { t: 116, chars: 4 },
      ],
      [4],
    );
    expect(f.firstVisibleMs).toBe(116);
    expect(f.delay).toEqual({ p50: 16, p95: 16, max: 16 });
    expect(figures([], []).delay).toBeNull();
  });
});

describe('nextWordEnd', () => {
  it('takes a word with the spaces after it, only once a space follows it', () => {
    expect(nextWordEnd('one two', 0, false)).toBe(4);
    expect(nextWordEnd('one two', 4, false)).toBeNull();
    expect(nextWordEnd('one two', 4, true)).toBe(7);
    expect(nextWordEnd('one\n\ntwo', 0, false)).toBe(5);
  });

  it('cuts a long run without spaces into pieces', () => {
    expect(nextWordEnd('x'.repeat(100), 0, false)).toBe(24);
    expect(nextWordEnd('x'.repeat(10), 0, false)).toBeNull();
  });
});

/** A stream as (time, text) chunks; the pacer is run on 60 Hz frames from 0 until `until`. */
function drive(mode: PacingMode, chunks: Arrival[], endT: number, until: number) {
  const pacer = new Pacer();
  const frames: { now: number; arrived: string; shown: number; ended: boolean }[] = [];
  for (let now = 0; now <= until; now += 1000 / 60) {
    const arrivedChunks = chunks.filter((c) => c.t <= now);
    const arrived = arrivedChunks.map((c) => c.text).join('');
    pacer.arrive(arrivedChunks);
    const ended = now >= endT;
    frames.push({ now, arrived, shown: pacer.frame(now, arrived, mode, ended), ended });
  }
  return { pacer, frames };
}

const WORDS = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
/** Bursty: a third of the answer at once, a pause, the rest in a second burst, then the end. */
const BURSTY: Arrival[] = [
  { t: 50, text: WORDS.slice(0, 240) },
  { t: 900, text: WORDS.slice(240, 700) },
  { t: 910, text: WORDS.slice(700) },
];
const LINES: Arrival[] = [
  { t: 10, text: 'first line\nsecond ' },
  { t: 200, text: 'line\nthird' },
  { t: 400, text: ' line\nno newline at the end' },
];

/** Characters that had arrived by time `t`. */
const arrivedBy = (chunks: Arrival[], t: number) =>
  chunks.filter((c) => c.t <= t).reduce((n, c) => n + c.text.length, 0);

describe('Pacer', () => {
  it('raw shows everything that has arrived, every frame', () => {
    const { frames } = drive('raw', BURSTY, 1000, 1100);
    for (const f of frames) expect(f.shown).toBe(f.arrived.length);
  });

  it('word by word never shows what has not arrived, and never goes back', () => {
    const { frames } = drive('word', BURSTY, 1000, 2000);
    let before = 0;
    for (const f of frames) {
      expect(f.shown).toBeLessThanOrEqual(f.arrived.length);
      expect(f.shown).toBeGreaterThanOrEqual(before);
      before = f.shown;
    }
  });

  it('word by word shows less than has arrived right after a burst, in whole words', () => {
    const { frames } = drive('word', BURSTY, 1000, 2000);
    const afterBurst = frames.filter((f) => f.now >= 50 && f.now < 150);
    expect(afterBurst.some((f) => f.shown > 0)).toBe(true);
    for (const f of afterBurst) {
      expect(f.shown).toBeLessThan(f.arrived.length);
      if (f.shown > 0) expect(f.arrived[f.shown - 1]).toBe(' ');
    }
  });

  it(`word by word never falls more than ${MAX_LAG_MS} ms behind arrival`, () => {
    const { frames } = drive('word', BURSTY, 1000, 2000);
    for (const f of frames) expect(f.shown).toBeGreaterThanOrEqual(arrivedBy(BURSTY, f.now - MAX_LAG_MS));
  });

  it('word by word ends showing everything', () => {
    const { frames } = drive('word', BURSTY, 1000, 2000);
    expect(frames.at(-1)?.shown).toBe(WORDS.length);
  });

  it('word by word catches up during a pause in the stream', () => {
    const { frames } = drive('word', BURSTY, 1000, 2000);
    const pause = frames.filter((f) => f.now > 50 + MAX_LAG_MS && f.now < 900);
    for (const f of pause) expect(f.shown).toBe(240);
  });

  it('line by line shows only whole lines until the end, then everything', () => {
    const { frames } = drive('line', LINES, 500, 600);
    const total = LINES.map((c) => c.text).join('');
    for (const f of frames) {
      if (f.ended) expect(f.shown).toBe(total.length);
      else if (f.shown > 0) expect(f.arrived[f.shown - 1]).toBe('\n');
    }
    const beforeEnd = frames.filter((f) => !f.ended).at(-1);
    expect(beforeEnd?.shown).toBe(total.indexOf('no newline'));
  });

  it('measures its own reveals: raw adds no delay beyond the frame, word by word adds some', () => {
    for (const mode of ['raw', 'word'] as const) {
      const pacer = new Pacer();
      for (let now = 0; now <= 2000; now += 1000 / 60) {
        const arrivedChunks = BURSTY.filter((c) => c.t <= now);
        pacer.arrive(arrivedChunks);
        const text = arrivedChunks.map((c) => c.text).join('');
        pacer.reveal(now, pacer.frame(now, text, mode, now >= 1000));
      }
      const f = pacer.figures;
      expect(f.firstVisibleMs).toBeLessThan(50 + 1000 / 60);
      // Delays are counted in tenths of a ms.
      if (mode === 'raw') expect(f.delay?.p95).toBeLessThanOrEqual(1000 / 60 + 0.05);
      else expect(f.delay?.p50).toBeGreaterThan(1000 / 60);
      expect(f.delay?.max).toBeLessThanOrEqual(MAX_LAG_MS + 1000 / 60);
    }
  });
});

it("Live markdown's concept text states word by word's lag bound as the pacer has it", () => {
  // lab.ts is in the first-load bundle, so it states the number instead of importing the pacer.
  expect(liveMarkdown.concept.join(' ')).toContain(`never more than ${MAX_LAG_MS} ms behind`);
});
