/** Temperature as softmax(logprob / T) over the alternatives a run received. */
import { describe, expect, it } from 'vitest';
import { reweight, softmaxAt } from '../../src/lib/metrics/temperature';

const lp = (...ps: number[]) => ps.map(Math.log);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('softmax with temperature', () => {
  it('at T = 1 gives back the probabilities, renormalised over the listed alternatives', () => {
    const p = softmaxAt(lp(0.6, 0.2, 0.1), 1);
    expect(p[0]).toBeCloseTo(0.6 / 0.9, 10);
    expect(p[1]).toBeCloseTo(0.2 / 0.9, 10);
    expect(sum(p)).toBeCloseTo(1, 12);
  });

  it('a low temperature sharpens: the favourite gains, the others lose', () => {
    const [a, b, c] = softmaxAt(lp(0.6, 0.3, 0.1), 0.5);
    // p^(1/T) renormalised: 0.36, 0.09, 0.01 over 0.46.
    expect(a).toBeCloseTo(0.36 / 0.46, 10);
    expect(b).toBeCloseTo(0.09 / 0.46, 10);
    expect(c).toBeCloseTo(0.01 / 0.46, 10);
  });

  it('a high temperature flattens towards equal chances', () => {
    const p = softmaxAt(lp(0.9, 0.05, 0.05), 100);
    for (const x of p) expect(x).toBeCloseTo(1 / 3, 1);
    expect(p[0]).toBeGreaterThan(p[1]!);
  });

  it('T = 0 is greedy: all weight on the most likely, the first of a tie', () => {
    expect(softmaxAt(lp(0.2, 0.5, 0.5), 0)).toEqual([0, 1, 0]);
  });

  it('does not overflow at a tiny temperature or with very negative logprobs', () => {
    const p = softmaxAt([-0.1, -0.2, -900], 0.001);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(1, 10);
  });

  it('keeps an empty list empty', () => {
    expect(softmaxAt([], 0.7)).toEqual([]);
  });
});

describe('reweight', () => {
  it('pairs each alternative with its share at 1 and at the chosen temperature, in order', () => {
    const rows = reweight(
      [
        { token: ' Paris', logprob: Math.log(0.8) },
        { token: ' Lyon', logprob: Math.log(0.2) },
      ],
      2,
    );
    expect(rows.map((r) => r.token)).toEqual([' Paris', ' Lyon']);
    expect(rows[0]!.atOne).toBeCloseTo(0.8, 10);
    // sqrt(0.8) : sqrt(0.2) = 2 : 1
    expect(rows[0]!.atT).toBeCloseTo(2 / 3, 10);
    expect(rows[1]!.atT).toBeCloseTo(1 / 3, 10);
  });
});
