import { describe, expect, it } from 'vitest';
import { percentile, streamMetrics, summarize } from '../../src/lib/metrics/metrics';

const usage = (completion: number) => ({ prompt_tokens: 10, completion_tokens: completion });

describe('streamMetrics', () => {
  it('measures TTFT and E2E from the first and last content events', () => {
    const m = streamMetrics({
      arrivals: [
        { t: 100, text: 'a' },
        { t: 150, text: 'b' },
        { t: 300, text: 'c' },
      ],
      usage: usage(5),
    });
    expect(m.ttftMs).toBe(100);
    expect(m.e2eMs).toBe(300);
    expect(m.tpotMs).toBe(50); // (300 - 100) / (5 - 1)
    expect(m.decodeRate).toBe(20);
    expect(m.e2eRate).toBeCloseTo((5 * 1000) / 300);
    expect(m.tokensEstimated).toBe(false);
  });

  it('leaves TPOT undefined for a single token', () => {
    const m = streamMetrics({ arrivals: [{ t: 80, text: 'Hi' }], usage: usage(1) });
    expect(m.tpotMs).toBeNull();
    expect(m.decodeRate).toBeNull();
    expect(m.gaps).toBeNull();
    expect(m.ttftMs).toBe(80);
    expect(m.e2eMs).toBe(80);
  });

  it('falls back to the tokenizer count, marked estimated, when there is no usage', () => {
    const m = streamMetrics({
      arrivals: [
        { t: 10, text: 'a' },
        { t: 20, text: 'b' },
      ],
      usage: null,
      estimatedTokens: 3,
    });
    expect(m.tokens).toBe(3);
    expect(m.tokensEstimated).toBe(true);
    expect(m.completionTokens).toBeNull();
  });

  it('ignores empty content chunks', () => {
    const m = streamMetrics({
      arrivals: [
        { t: 5, text: '' },
        { t: 40, text: 'x' },
        { t: 90, text: '' },
      ],
      usage: null,
    });
    expect(m.ttftMs).toBe(40);
    expect(m.e2eMs).toBe(40);
    expect(m.chunks).toBe(1);
  });

  it('counts chunks that share one timestamp as zero gaps', () => {
    const m = streamMetrics({
      arrivals: [
        { t: 50, text: 'a' },
        { t: 50, text: 'b' },
        { t: 50, text: 'c' },
        { t: 80, text: 'd' },
      ],
      usage: usage(4),
    });
    expect(m.gaps).toMatchObject({ count: 3, min: 0, max: 30, p50: 0 });
  });

  it('reports no timing at all for an empty stream', () => {
    const m = streamMetrics({ arrivals: [], usage: null });
    expect(m).toMatchObject({
      ttftMs: null,
      e2eMs: null,
      tpotMs: null,
      chunks: 0,
      tokens: null,
      tokensEstimated: false,
    });
  });
});

describe('summarize', () => {
  it('gives nearest-rank percentiles and population std', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summarize(values)!;
    expect(s).toMatchObject({ min: 1, max: 100, p50: 50, p90: 90, p95: 95, p99: 99, mean: 50.5 });
    expect(s.std).toBeCloseTo(28.866, 2);
    expect(percentile([7], 99)).toBe(7);
  });
});
