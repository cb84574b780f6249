import { describe, expect, it } from 'vitest';
import {
  chunkGaps,
  emptyTallies,
  maxOf,
  metricsOf,
  percentile,
  streamMetrics,
  summarize,
  type Arrival,
  type MetricsInput,
} from '../../src/lib/metrics/metrics';

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

/** Arrivals at the given times, each with one character of text. */
const at = (...times: number[]) => times.map((t) => ({ t, text: 'x' }));

describe('streamMetrics for reasoning models and tool calls', () => {
  // A reasoning model: 900 reasoning tokens from 50 ms to 1000 ms, then a 100-token answer from
  // 1000 ms to 1100 ms. usage.completion_tokens = 1000 counts both.
  const reasoningRun = {
    reasoning: Array.from({ length: 900 }, (_, i) => ({ t: 50 + (950 * i) / 899, text: 'r' })),
    arrivals: Array.from({ length: 100 }, (_, i) => ({ t: 1000 + (100 * i) / 99, text: 'a' })),
    usage: {
      prompt_tokens: 20,
      completion_tokens: 1000,
      completion_tokens_details: { reasoning_tokens: 900 },
    },
  };

  it('times TPOT over every generated token, not from the first answer token (lobehub#7721)', () => {
    const m = streamMetrics(reasoningRun);
    // The old formula, (E2E − TTFT) / (N − 1), spreads 1000 tokens over the answer's 100 ms:
    const oldTpot = (m.e2eMs! - m.ttftMs!) / (m.tokens! - 1);
    expect(1000 / oldTpot).toBeCloseTo(9990, 0); // ~10,000 tok/s: ten times too fast
    // Ours spreads them over the 1050 ms between the first reasoning and the last answer token.
    expect(m.firstGeneratedMs).toBe(50);
    expect(m.lastGeneratedMs).toBe(1100);
    expect(m.tpotMs).toBeCloseTo(1050 / 999);
    expect(m.decodeRate).toBeCloseTo(951.4, 1);
    expect(m.decodeRate! * 9).toBeLessThan(1000 / oldTpot);
    expect(m.e2eRate).toBeCloseTo((1000 * 1000) / 1100);
  });

  it('reports first reasoning token, TTFT of the answer and the reasoning duration apart', () => {
    const m = streamMetrics({ ...reasoningRun, headersMs: 30, firstVisibleMs: 70 });
    expect(m).toMatchObject({
      headersMs: 30,
      firstReasoningMs: 50,
      ttftMs: 1000,
      firstVisibleMs: 70,
      reasoningMs: 950,
      e2eMs: 1100,
      chunks: 100,
      chars: 100,
      reasoningChunks: 900,
      reasoningChars: 900,
      toolChunks: 0,
    });
  });

  it('splits N into reasoning and answer tokens when usage carries reasoning_tokens', () => {
    const m = streamMetrics(reasoningRun);
    expect(m).toMatchObject({
      tokens: 1000,
      reasoningTokens: 900,
      answerTokens: 100,
      tokensEstimated: false,
    });
    const noDetails = streamMetrics({
      ...reasoningRun,
      usage: { prompt_tokens: 20, completion_tokens: 1000 },
    });
    expect(noDetails).toMatchObject({ tokens: 1000, reasoningTokens: null, answerTokens: null });
  });

  it('reports cached prompt tokens only when usage carries them', () => {
    const cached = streamMetrics({
      arrivals: at(10, 20),
      usage: { prompt_tokens: 2000, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 1536 } },
    });
    expect(cached.cachedTokens).toBe(1536);
    expect(streamMetrics({ arrivals: at(10, 20), usage: usage(2) }).cachedTokens).toBeNull();
  });

  it('ends the reasoning duration at the last reasoning event when no answer followed', () => {
    const m = streamMetrics({ arrivals: [], reasoning: at(40, 90, 160), usage: usage(3) });
    expect(m).toMatchObject({
      firstReasoningMs: 40,
      reasoningMs: 120,
      ttftMs: null,
      e2eMs: null,
      firstGeneratedMs: 40,
      lastGeneratedMs: 160,
      tpotMs: 60, // (160 − 40) / (3 − 1)
      chunks: 0,
      gaps: null,
    });
  });

  it('ends the reasoning duration at the first tool-call argument when the answer is a tool call', () => {
    const m = streamMetrics({
      arrivals: [],
      reasoning: at(40, 90),
      toolArgs: at(200, 230, 260),
      usage: usage(6),
    });
    expect(m).toMatchObject({ reasoningMs: 160, firstGeneratedMs: 40, lastGeneratedMs: 260, toolChunks: 3 });
    expect(m.tpotMs).toBe(44); // (260 − 40) / 5
  });

  it('times a tool-call-only stream from its argument pieces, with no TTFT and no reasoning', () => {
    const m = streamMetrics({
      arrivals: [],
      toolArgs: [
        { t: 100, text: '' }, // the piece that carries the name: no argument text yet
        { t: 120, text: '{"city":' },
        { t: 180, text: '"Paris"}' },
      ],
      usage: usage(7),
    });
    expect(m).toMatchObject({
      ttftMs: null,
      firstReasoningMs: null,
      reasoningMs: null,
      firstGeneratedMs: 120,
      lastGeneratedMs: 180,
      toolChunks: 2,
      toolArgChars: 16,
      tpotMs: 10, // (180 − 120) / 6
    });
    expect(m.e2eRate).toBeCloseTo((7 * 1000) / 180);
  });

  it('uses the tokenizer estimate of everything generated when there is no usage', () => {
    const m = streamMetrics({
      arrivals: at(300, 400),
      reasoning: at(100, 200),
      usage: null,
      estimatedTokens: 5,
    });
    expect(m).toMatchObject({ tokens: 5, tokensEstimated: true, reasoningTokens: null, answerTokens: null });
    expect(m.tpotMs).toBe(75); // (400 − 100) / (5 − 1)
    expect(m.reasoningMs).toBe(200);
  });

  it('leaves every reasoning and tool metric n/a for a plain answer, and the rest as before', () => {
    const m = streamMetrics({ arrivals: at(100, 150, 300), usage: usage(5) });
    expect(m).toMatchObject({
      headersMs: null,
      firstVisibleMs: null,
      firstReasoningMs: null,
      reasoningMs: null,
      reasoningChunks: 0,
      toolChunks: 0,
      reasoningTokens: null,
      answerTokens: null,
      cachedTokens: null,
      firstGeneratedMs: 100,
      lastGeneratedMs: 300,
      tpotMs: 50,
    });
  });

  it('does not count an answer chunk that arrived before the reasoning as its end', () => {
    const m = streamMetrics({ arrivals: at(10, 500), reasoning: at(100, 300), usage: usage(4) });
    expect(m.reasoningMs).toBe(400);
    expect(m.firstGeneratedMs).toBe(10);
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

  it('finds the same order statistics as a sort, however many values are equal', () => {
    const next = random(11);
    const shapes: [string, (i: number) => number][] = [
      ['distinct', () => next() * 50],
      ['a burst: mostly 0', () => (next() < 0.9 ? 0 : Math.round(next() * 20) / 10)],
      ['a handful of values', () => Math.floor(next() * 4)],
      ['all equal', () => 16.7],
      ['ascending', (i) => i],
      ['descending', (i) => -i],
    ];
    for (const [shape, value] of shapes)
      for (const n of [1, 2, 3, 7, 100, 1001, 20_000]) {
        const values = Array.from({ length: n }, (_, i) => value(i));
        const sorted = [...values].sort((a, b) => a - b);
        const s = summarize(values)!;
        const expected = {
          count: n,
          min: sorted[0],
          max: sorted[n - 1],
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
        };
        expect(s, `${shape}, n = ${n}`).toMatchObject(expected);
        expect(s.mean, `${shape}, n = ${n}`).toBeCloseTo(values.reduce((a, b) => a + b, 0) / n, 9);
      }
    // The values passed in are left as they were.
    const input = [3, 1, 2];
    summarize(input);
    expect(input).toEqual([3, 1, 2]);
  });
});

/** A deterministic pseudo-random source (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The figures that depend on the arrival lists, by their definitions in docs/METRICS.md. */
function byDefinition({ arrivals, reasoning = [], toolArgs = [] }: MetricsInput) {
  const text = (list: readonly Arrival[]) => list.filter((a) => a.text !== '');
  const [content, thought, tools] = [text(arrivals), text(reasoning), text(toolArgs)];
  const times = [...content, ...thought, ...tools].map((a) => a.t);
  const first = thought[0];
  const answerAt = first ? [content, tools].flatMap((list) => list.find((a) => a.t >= first.t)?.t ?? []) : [];
  return {
    ttftMs: content[0]?.t ?? null,
    e2eMs: content.at(-1)?.t ?? null,
    firstReasoningMs: first?.t ?? null,
    reasoningMs: first ? (answerAt.length ? Math.min(...answerAt) : thought.at(-1)!.t) - first.t : null,
    firstGeneratedMs: times.length ? Math.min(...times) : null,
    lastGeneratedMs: times.length
      ? Math.max(...[content.at(-1), thought.at(-1), tools.at(-1)].flatMap((a) => a?.t ?? []))
      : null,
    chunks: content.length,
    chars: content.reduce((n, a) => n + a.text.length, 0),
    reasoningChunks: thought.length,
    reasoningChars: thought.reduce((n, a) => n + a.text.length, 0),
    toolChunks: tools.length,
    toolArgChars: tools.reduce((n, a) => n + a.text.length, 0),
    gaps: summarize(chunkGaps(content)),
  };
}

describe('metrics kept as the stream arrives', () => {
  it("equal the whole lists' metrics and their definitions at every point of random streams", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rand = random(seed);
      const lists: Record<'content' | 'reasoning' | 'toolArgs', Arrival[]> = {
        content: [],
        reasoning: [],
        toolArgs: [],
      };
      const tallies = emptyTallies();
      const usage =
        rand() < 0.5 ? { prompt_tokens: 3, completion_tokens: 1 + Math.floor(rand() * 400) } : null;
      let t = rand() * 50;
      const events = 1 + Math.floor(rand() * 300);
      for (let i = 0; i < events; i++) {
        // Several events often share one read's time; some carry no text at all.
        if (rand() < 0.6) t += Math.floor(rand() * 4) * 0.25;
        const kind = rand() < 0.5 ? 'content' : rand() < 0.5 ? 'reasoning' : 'toolArgs';
        const arrival = { t, text: rand() < 0.15 ? '' : 'xyz'.slice(0, 1 + Math.floor(rand() * 3)) };
        lists[kind].push(arrival);
        tallies[kind].push(arrival);
        if (rand() < 0.2 || i === events - 1) {
          const input = {
            arrivals: lists.content,
            reasoning: lists.reasoning,
            toolArgs: lists.toolArgs,
            usage,
          };
          const kept = metricsOf(tallies, { usage });
          expect(kept).toEqual(streamMetrics(input));
          expect(kept).toMatchObject(byDefinition(input));
        }
      }
    }
  });
});

describe('maxOf', () => {
  it('finds the largest of more values than Math.max takes spread, and the floor when none is larger', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 100_003);
    expect(() => Math.max(...many)).toThrow(RangeError);
    expect(maxOf(many)).toBe(100_002);
    expect(maxOf([])).toBe(0);
    expect(maxOf([-3, -1], -Infinity)).toBe(-1);
    expect(maxOf([-3, -1])).toBe(0);
  });
});
