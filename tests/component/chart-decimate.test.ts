/**
 * The arrival chart draws a bounded number of points however many chunks arrived, and the points
 * it draws are the data's own (decimated for drawing only; the data and CSV keep every chunk).
 */
import { describe, expect, it } from 'vitest';
import { DRAW_BUCKETS, decimate } from '../../src/lib/components/ArrivalChart.svelte';

/** `n` chunks, several sharing a time (one network read), with the characters received so far. */
function arrivals(n: number): number[][] {
  const xs = Array.from({ length: n }, (_, i) => Math.floor(i / 3) * 0.7);
  return [xs, xs.map((_, i) => i * 2 + 1)];
}

describe('decimate', () => {
  it('keeps 100,000 chunks to a bounded number of drawn points, all of them the data’s own', () => {
    const data = arrivals(100_000);
    const drawn = decimate(data);
    expect(drawn.whole).toBe(false);
    expect(drawn.index.length).toBeLessThanOrEqual(DRAW_BUCKETS * 3);
    expect(drawn.data[0]).toHaveLength(drawn.index.length);
    // Each drawn point is the data's point at its index, in order; first and last are kept.
    for (const [k, i] of drawn.index.entries()) {
      expect(drawn.data[0]![k]).toBe(data[0]![i]);
      expect(drawn.data[1]![k]).toBe(data[1]![i]);
      if (k) expect(i).toBeGreaterThan(drawn.index[k - 1]!);
    }
    expect(drawn.index[0]).toBe(0);
    expect(drawn.index.at(-1)).toBe(99_999);
    // The data itself is untouched.
    expect(data[0]).toHaveLength(100_000);
  });

  it('keeps every line’s last point in each span, so no line loses its height', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i);
    // A second line with points only at odd times (null elsewhere, as merged runs have).
    const a = xs.map((x) => x);
    const b = xs.map((x) => (x % 2 ? x * 3 : null));
    const drawn = decimate([xs, a, b], 100);
    const heights = drawn.data[2]!.filter((y): y is number => y !== null);
    expect(Math.max(...heights)).toBe(9_999 * 3);
    expect(drawn.index.length).toBeLessThanOrEqual(100 * 4);
  });

  it('draws small data whole', () => {
    const data = arrivals(500);
    const drawn = decimate(data);
    expect(drawn.whole).toBe(true);
    expect(drawn.data).toEqual(data);
  });
});
