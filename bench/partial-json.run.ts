/**
 * `npm run bench`: partial JSON while it streams — the incremental parser against the naive
 * heal-and-reparse of the whole buffer, in the same headless Chromium run, on a 200 KB tool-call
 * argument stream delivered in 4–20 character deltas. Prints per-delta p50 / p95 / max, totals and
 * the ratios, and writes its section of bench/results.json. Nothing is asserted but correctness.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { percentile } from '../src/lib/metrics/metrics';
import { launch } from '../tests/e2e/browser';
import type { DeltaRun } from './json-page/main';
import { saveResults } from './results';
import { servePage } from './serve-page';

const TARGET_CHARS = 200_000;
/** Incremental pushes are timed across this many parsers in lockstep (see json-page/main.ts). */
const COPIES = 32;
/** The naive parse is timed on every 10th delta; its total is estimated from that sample. */
const NAIVE_SAMPLE = 10;

/** A small seeded generator, so every run streams the same document in the same deltas. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Paris', 'Tokyo', 'Lagos', 'Lima', 'Québec', 'Zürich', '東京', 'São Paulo', 'Kraków', 'Oslo'];

/** Tool-call arguments as a model would write them: records with text, escapes, numbers, literals. */
function argumentDocument(rand: () => number, chars: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const rows: unknown[] = [];
  let size = 0;
  while (size < chars) {
    const row = {
      id: rows.length + 1,
      city: pick(WORDS),
      note: `Forecast for ${pick(WORDS)}: "${pick(['sunny', 'rain', 'fog'])}"\n\tthen ${pick(WORDS)} 😀`,
      temperature: Math.round((rand() * 60 - 20) * 10) / 10,
      pressure: Number((rand() * 1e5).toExponential(3)),
      alert: rand() < 0.2 ? null : rand() < 0.5,
      hours: Array.from({ length: 4 }, () => Math.round(rand() * 30)),
      tags: rand() < 0.5 ? [] : [pick(WORDS), pick(WORDS)],
      extra: {},
    };
    rows.push(row);
    size += JSON.stringify(row).length + 1;
  }
  return JSON.stringify({ query: 'weather', rows });
}

function deltas(doc: string, rand: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < doc.length;) {
    const n = 4 + Math.floor(rand() * 17);
    out.push(doc.slice(i, i + n));
    i += n;
  }
  return out;
}

// Cross-origin isolation gives performance.now() its finer (5 µs) resolution.
const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

type Bench = {
  incremental(d: string[], copies: number): DeltaRun;
  naive(d: string[], every: number): DeltaRun;
};

function runIn(page: Page, mode: 'incremental' | 'naive', pieces: string[], arg: number): Promise<DeltaRun> {
  return page.evaluate(
    ([m, p, a]) => {
      const bench = (window as unknown as { jsonBench: Bench }).jsonBench;
      return m === 'incremental' ? bench.incremental(p, a) : bench.naive(p, a);
    },
    [mode, pieces, arg] as const,
  );
}

function summary(run: DeltaRun, deltaCount: number) {
  const sorted = [...run.times].sort((a, b) => a - b);
  return {
    deltas: deltaCount,
    timed: run.timed,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1) ?? NaN,
    totalMs: run.totalMs,
    totalEstimated: run.timed < deltaCount,
    charsExamined: run.chars,
  };
}

it('partial JSON: incremental vs naive re-parse on a 200 KB argument stream', async () => {
  const rand = random(12);
  const doc = argumentDocument(rand, TARGET_CHARS);
  const pieces = deltas(doc, rand);
  const warmup = deltas(argumentDocument(random(7), 20_000), random(8));
  const server = await servePage('json-page', { headers: ISOLATED });
  const browser = await launch();
  let incremental: DeltaRun;
  let naive: DeltaRun;
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'jsonBench' in window);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await runIn(page, 'incremental', warmup, COPIES);
    await runIn(page, 'naive', warmup, 1);
    incremental = await runIn(page, 'incremental', pieces, COPIES);
    naive = await runIn(page, 'naive', pieces, NAIVE_SAMPLE);
  } finally {
    await browser.close();
    await server.close();
  }
  expect(incremental.correct).toBe(true);
  expect(naive.correct).toBe(true);

  const ours = summary(incremental, pieces.length);
  const them = summary(naive, pieces.length);
  const ratio = {
    total: them.totalMs / ours.totalMs,
    p95: them.p95Ms / ours.p95Ms,
    charsExamined: them.charsExamined / ours.charsExamined,
  };
  const us = (ms: number) => (ms * 1000).toFixed(2);
  const row = (name: string, s: typeof ours) =>
    `| ${name} | ${s.deltas}${s.timed < s.deltas ? ` (${s.timed} timed)` : ''} | ${us(s.p50Ms)} | ${us(s.p95Ms)} | ${us(s.maxMs)} | ${s.totalMs.toFixed(1)}${s.totalEstimated ? ' (est.)' : ''} | ${s.charsExamined.toLocaleString('en-US')} |`;
  process.stdout.write(
    [
      '',
      `Partial JSON while streaming (headless Chromium, main thread): ${doc.length.toLocaleString('en-US')} characters in ${pieces.length} deltas of 4–20`,
      '',
      '| parser | deltas | p50 µs | p95 µs | max µs | total ms | characters examined |',
      '|---|---|---|---|---|---|---|',
      row('incremental', ours),
      row('naive heal + JSON.parse', them),
      `| naive / incremental | | | ${ratio.p95.toFixed(0)}× | | ${ratio.total.toFixed(0)}× | ${ratio.charsExamined.toFixed(0)}× |`,
      '',
      `Incremental times are per delta, averaged over ${COPIES} parsers fed in lockstep; naive timed on every ${NAIVE_SAMPLE}th delta.`,
      '',
    ].join('\n'),
  );
  await saveResults('partialJson', {
    chars: doc.length,
    deltas: pieces.length,
    incremental: ours,
    naive: them,
    ratio,
    method: { incrementalCopies: COPIES, naiveSampleEvery: NAIVE_SAMPLE, crossOriginIsolated: true },
  });
});
