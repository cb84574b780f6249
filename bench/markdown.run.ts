/**
 * `npm run bench`: markdown rendering while streaming, naive full re-render against the
 * incremental renderer, in the same headless Chromium run, on 1k, 5k and 20k-token documents.
 * Prints a table and ratios, reports the gzipped size of the app's initial JS and CSS, and writes
 * its section of bench/results.json. Targets (issue #5) are printed next to the numbers, not asserted.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { it } from 'vitest';
import { loadTokenizer } from '../src/lib/engine/tokenizer';
import { launch } from '../tests/e2e/browser';
import { serveRendererPage } from '../tests/e2e/renderer-page';
import { generateDocument } from '../tests/fixtures/markdown-docs';
import { percentile } from '../src/lib/metrics/metrics';
import { saveResults } from './results';

interface UpdateRun {
  times: number[];
  indices: number[];
  longTasks: number;
  finalMs: number;
}

const SIZES = [1_000, 5_000, 20_000];
/** Naive at 20k tokens takes minutes per full pass; time every 20th update, all of the others. */
const NAIVE_SAMPLE: Record<number, number> = { 1000: 1, 5000: 1, 20000: 20 };

function stats(run: UpdateRun, updates: number) {
  const sorted = [...run.times].sort((a, b) => a - b);
  const tenth = Math.max(1, Math.floor(run.times.length / 10));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sampled = run.times.length < updates;
  return {
    updates,
    timed: run.times.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    // A uniform sample of a stateless render estimates the total as mean × updates.
    totalMs: sampled ? mean(run.times) * updates : run.times.reduce((s, x) => s + x, 0) + run.finalMs,
    totalEstimated: sampled,
    lastOverFirstTenth: mean(run.times.slice(-tenth)) / mean(run.times.slice(0, tenth)),
    longTasks: run.longTasks,
    finalMs: run.finalMs,
  };
}

async function initialBundle(dist: string) {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] as string,
  );
  const size = async (ext: string) => {
    let total = 0;
    for (const f of files.filter((f) => f.endsWith(ext)))
      total += gzipSync(await readFile(path.join(dist, f)), { level: 9 }).length;
    return total;
  };
  return { files, jsGzip: await size('.js'), cssGzip: await size('.css') };
}

const f = (v: number, d = 2) => v.toFixed(d);

it('markdown rendering: naive vs incremental', async () => {
  const server = await serveRendererPage();
  const browser = await launch();
  const tokenizer = await loadTokenizer();
  const results: Record<string, unknown>[] = [];
  const rows: string[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'bench' in window);
    for (const tokens of SIZES) {
      // Grow a generated document until it holds `tokens` tokens, then cut it to exactly that.
      let doc = generateDocument(tokens, tokens * 3);
      while (tokenizer.count(doc) < tokens) doc += generateDocument(tokens + doc.length, tokens);
      const pieces = tokenizer
        .pieces(doc)
        .slice(0, tokens)
        .map((p) => p.text);
      const chars = pieces.join('').length;
      const runs: Record<string, ReturnType<typeof stats>> = {};
      for (const mode of ['naive', 'ours'] as const) {
        const sample = mode === 'naive' ? (NAIVE_SAMPLE[tokens] ?? 1) : 1;
        const run = (await page.evaluate(
          ([p, m, s]) =>
            (
              window as unknown as { bench: { updates: (...a: unknown[]) => Promise<UpdateRun> } }
            ).bench.updates(p, m, s),
          [pieces, mode, sample] as const,
        )) as UpdateRun;
        runs[mode] = stats(run, pieces.length);
      }
      const lag = (await page.evaluate(
        ([p]) =>
          (
            window as unknown as {
              bench: { lag: (...a: unknown[]) => Promise<{ lags: number[]; frames: number }> };
            }
          ).bench.lag(p, 1000),
        [pieces] as const,
      )) as { lags: number[]; frames: number };
      const sortedLag = [...lag.lags].sort((a, b) => a - b);
      const naive = runs.naive!;
      const ours = runs.ours!;
      const result = {
        tokens,
        chars,
        naive,
        ours,
        ratio: { total: naive.totalMs / ours.totalMs, p95: naive.p95 / ours.p95 },
        lagAt1000TokPerS: {
          p50: percentile(sortedLag, 50),
          p95: percentile(sortedLag, 95),
          frames: lag.frames,
        },
      };
      results.push(result);
      for (const [mode, s] of Object.entries(runs)) {
        rows.push(
          `| ${tokens} | ${chars} | ${mode} | ${s.updates}${s.timed < s.updates ? ` (${s.timed} timed)` : ''} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.totalMs / 1000, 2)}${s.totalEstimated ? ' (est.)' : ''} | ${f(s.lastOverFirstTenth)} | ${s.longTasks} |`,
        );
      }
      rows.push(
        `| ${tokens} | | naive / ours | | | ${f(result.ratio.p95, 1)}× | | ${f(result.ratio.total, 1)}× | | |`,
        `| ${tokens} | | display lag @1000 tok/s | p50 ${f(result.lagAt1000TokPerS.p50)} ms | p95 ${f(result.lagAt1000TokPerS.p95)} ms | | | | | |`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const bundle = await initialBundle(path.resolve('dist'));
  const table = [
    '',
    'Markdown rendering while streaming (headless Chromium, per-update main-thread ms: parse + sanitize + DOM + layout)',
    '',
    '| tokens | chars | renderer | updates | p50 ms | p95 ms | p99 ms | total s | last/first tenth | long tasks |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Initial bundle (gzip -9): JS ${f(bundle.jsGzip / 1024, 1)} KB, CSS ${f(bundle.cssGzip / 1024, 1)} KB (${bundle.files.join(', ')})`,
    'Targets at 20k tokens: ours p95 ≤ 2 ms, last/first tenth ≤ 1.5, no long task, total ≥ 50× below naive; lag p95 ≤ 16.7 ms; initial JS ≤ 100 KB.',
    '',
  ].join('\n');
  process.stdout.write(table);
  await saveResults('markdown', { results, bundle });
});
