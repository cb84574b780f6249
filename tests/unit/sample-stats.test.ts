import { describe, expect, it } from 'vitest';
import {
  MIN_SAMPLES,
  compareSamples,
  finiteSamples,
  formatStat,
  percentile,
  seededRandom,
  summarize,
} from '../../src/lib/metrics/sample-stats';

/** n draws of a normal distribution (Box–Muller over the seeded generator). */
function normal(n: number, seed: number, mean = 0, sd = 1): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    const v = random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

/** n draws of an exponential distribution of the given mean (median = mean · ln 2). */
function exponential(n: number, seed: number, mean = 1): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => -mean * Math.log(1 - random()));
}

describe('percentile', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    const sorted = [1, 2, 3, 4];
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 1)).toBe(4);
    expect(percentile(sorted, 0.5)).toBe(2.5);
    expect(percentile(sorted, 0.25)).toBeCloseTo(1.75, 12);
    expect(percentile(sorted, 0.9)).toBeCloseTo(3.7, 12);
  });

  it('agrees with R and NumPy on 1..100', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    // quantile(1:100, c(.5, .9, .99)) in R: 50.5, 90.1, 99.01
    expect(percentile(sorted, 0.5)).toBeCloseTo(50.5, 12);
    expect(percentile(sorted, 0.9)).toBeCloseTo(90.1, 12);
    expect(percentile(sorted, 0.99)).toBeCloseTo(99.01, 12);
  });

  it('is the value itself for one sample and NaN for none', () => {
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('refuses a q outside [0, 1] (a percent passed by mistake)', () => {
    expect(() => percentile([1, 2], 50)).toThrow(RangeError);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(RangeError);
  });
});

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('is uniform enough: the mean of 10,000 draws is near 0.5', () => {
    const random = seededRandom(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += random();
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });
});

describe('summarize', () => {
  it('gives nothing for no samples', () => {
    expect(summarize([])).toBeNull();
  });

  it('reports min, max, mean and percentiles of unsorted samples', () => {
    const d = summarize([5, 1, 4, 2, 3]);
    expect(d).toMatchObject({ n: 5, min: 1, max: 5, mean: 3, p50: 3 });
    expect(d?.p90).toBeCloseTo(4.6, 12);
    expect(d?.p99).toBeCloseTo(4.96, 12);
  });

  it('gives a one-sample distribution a zero-width interval', () => {
    expect(summarize([12])).toMatchObject({ n: 1, p50: 12, ci95: [12, 12] });
  });

  it('covers the true median of a normal with an interval of the textbook width', () => {
    // Median of 2,000 N(100, 15²) draws: standard error ≈ 1.2533 · 15 / √2000 ≈ 0.42, so a 95%
    // interval is about 2 · 1.96 · 0.42 ≈ 1.65 wide.
    const d = summarize(normal(2000, 11, 100, 15), { seed: 3 })!;
    expect(d.ci95[0]).toBeLessThan(100);
    expect(d.ci95[1]).toBeGreaterThan(100);
    const width = d.ci95[1] - d.ci95[0];
    expect(width).toBeGreaterThan(1.1);
    expect(width).toBeLessThan(2.3);
    expect(d.ci95[0]).toBeLessThanOrEqual(d.p50);
    expect(d.ci95[1]).toBeGreaterThanOrEqual(d.p50);
  });

  it('covers the true median of a skewed (exponential) sample, as TTFTs often are', () => {
    // Exponential of mean 200: median 200 · ln 2 ≈ 138.6; density at the median 1/400, so the
    // median's standard error ≈ 1 / (2 · (1/400) · √2000) ≈ 4.5 and the interval ≈ 17.5 wide.
    const d = summarize(exponential(2000, 5, 200), { seed: 9 })!;
    const trueMedian = 200 * Math.LN2;
    expect(d.ci95[0]).toBeLessThan(trueMedian);
    expect(d.ci95[1]).toBeGreaterThan(trueMedian);
    const width = d.ci95[1] - d.ci95[0];
    expect(width).toBeGreaterThan(11);
    expect(width).toBeLessThan(25);
    expect(d.mean).toBeGreaterThan(d.p50);
  });

  it('covers the true median in about 95% of repeated experiments', () => {
    let covered = 0;
    const experiments = 200;
    for (let i = 0; i < experiments; i++) {
      const { ci95 } = summarize(normal(60, 1000 + i), { resamples: 500, seed: i })!;
      if (ci95[0] <= 0 && ci95[1] >= 0) covered++;
    }
    // Binomial(200, 0.95) lies in [180, 198] with probability > 0.999; a percentile bootstrap
    // of a median runs slightly conservative at this n.
    expect(covered).toBeGreaterThanOrEqual(180);
    expect(covered).toBeLessThanOrEqual(199);
  });

  it('gives the same interval for the same seed, and another for another seed', () => {
    const samples = exponential(300, 21, 50);
    expect(summarize(samples, { seed: 4 })).toEqual(summarize(samples, { seed: 4 }));
    expect(summarize(samples)).toEqual(summarize(samples));
    expect(summarize(samples, { seed: 4 })?.ci95).not.toEqual(summarize(samples, { seed: 5 })?.ci95);
  });

  it('refuses a non-finite sample: the caller drops missing values with finiteSamples', () => {
    expect(() => summarize([1, Number.NaN, 3])).toThrow(RangeError);
    expect(finiteSamples([1, null, Number.NaN, undefined, 3, Infinity])).toEqual([1, 3]);
  });
});

describe('compareSamples', () => {
  it('says two clearly shifted samples differ, by how much and in which direction', () => {
    const a = normal(30, 1, 400, 40);
    const b = normal(30, 2, 612, 40);
    const verdict = compareSamples(a, b, { unit: 'ms', label: 'TTFT' })!;
    expect(verdict.differ).toBe(true);
    expect(verdict.diffCI[0]).toBeGreaterThan(0);
    expect(verdict.ratio).toBeGreaterThan(1.3);
    expect(verdict.text).toMatch(
      /^B's median TTFT is \d+ ms higher than A's \(95% CI \d+ to \d+ ms\): more than the noise\.$/,
    );
  });

  it('says a lower median is lower, with the given names', () => {
    const verdict = compareSamples(normal(20, 3, 50, 2), normal(20, 4, 40, 2), {
      unit: 'tokens/s',
      label: 'decode rate',
      names: ['gpt-4o', 'llama'],
    })!;
    expect(verdict.differ).toBe(true);
    expect(verdict.diffCI[1]).toBeLessThan(0);
    expect(verdict.text).toMatch(/^llama's median decode rate is [\d.]+ tokens\/s lower than gpt-4o's/);
    expect(verdict.text).toContain('−');
  });

  it('says two draws of the same distribution are within the noise', () => {
    const verdict = compareSamples(exponential(40, 31, 300), exponential(40, 32, 300), {
      unit: 'ms',
    })!;
    expect(verdict.differ).toBe(false);
    expect(verdict.diffCI[0]).toBeLessThan(0);
    expect(verdict.diffCI[1]).toBeGreaterThan(0);
    expect(verdict.text).toMatch(/within the noise \(95% CI −[\d.]+ to [\d.]+ ms\); run more/);
  });

  it('says identical samples are identical, and asks for no more requests', () => {
    const same = Array<number>(10).fill(120);
    const verdict = compareSamples(same, same, { unit: 'ms', label: 'TTFT', names: ['a', 'b'] })!;
    expect(verdict.differ).toBe(false);
    expect(verdict.diffCI).toEqual([0, 0]);
    expect(verdict.text).toBe(
      "b's median TTFT equals a's: 120 ms, identical in every sample, so there is no noise to tell a difference from.",
    );
  });

  it('with a 95% CI of 0 to 0 but some spread, says so and asks for no more requests', () => {
    const mostlyFive = [1, ...Array<number>(18).fill(5), 9];
    const verdict = compareSamples(mostlyFive, [...mostlyFive].reverse(), { unit: 'ms' })!;
    expect(verdict.differ).toBe(false);
    expect(verdict.diffCI).toEqual([0, 0]);
    expect(verdict.text).toBe("B's median equals A's (95% CI 0 to 0 ms): no difference beyond the noise.");
  });

  it('gives no verdict below the minimum and says how many more are needed', () => {
    const verdict = compareSamples([100, 101, 99], [500, 510, 490, 505, 495, 502, 498], {
      names: ['fast', 'slow'],
    })!;
    expect(verdict.differ).toBe(false);
    expect(verdict.text).toBe(
      `Too few samples to tell (fast 3, slow 7): run at least ${MIN_SAMPLES} of each (2 more for fast).`,
    );
  });

  it('is deterministic for the same seed and compares nothing to nothing', () => {
    const a = normal(25, 8, 10, 1);
    const b = normal(25, 9, 10.5, 1);
    expect(compareSamples(a, b, { seed: 2 })).toEqual(compareSamples(a, b, { seed: 2 }));
    expect(compareSamples([], b)).toBeNull();
    expect(compareSamples(a, [])).toBeNull();
  });
});

describe('formatStat', () => {
  it('prints whole numbers above 100, one decimal above 1, two below, with a real minus', () => {
    expect(formatStat(1234.4)).toBe('1,234');
    expect(formatStat(12.345)).toBe('12.3');
    expect(formatStat(0.1234)).toBe('0.12');
    expect(formatStat(-30.04)).toBe('−30');
    expect(formatStat(-0.001)).toBe('0');
  });
});
