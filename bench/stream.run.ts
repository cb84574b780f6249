/**
 * `npm run bench`: how faithfully the app records arrival times, and how usable the page stays
 * under a flood — the figures the end-to-end tests deliberately do not assert.
 *
 * 1. Arrival error: the built app (Basic streaming, exported JSON) against the test server's own
 *    send times, with the page quiet and with its main thread blocked 200 ms every frame; and in
 *    the same run the baseline, the bare openai SDK stamping chunks on the main thread.
 * 2. Typing: 12 characters typed into the Prompt box with no stream (baseline), and while a
 *    100,000-token answer and a 5,000 chunks/s burst stream (held open by the server's gates).
 *
 * Prints a table with ratios and writes its section of bench/results.json.
 */
import { it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { percentile } from '../src/lib/metrics/metrics';
import { launch } from '../tests/e2e/browser';
import { startBusy, stopBusy } from '../tests/e2e/busy';
import { KEY, connect, exportRun } from '../tests/e2e/harness';
import { serveRendererPage } from '../tests/e2e/renderer-page';
import { serveDist } from '../tests/e2e/static-server';
import { startServer, type TestServer } from '../tests/server/sse-server';
import { saveResults } from './results';

const RUNS = 5;
const BUSY_MS = 200;
const TYPED = 'still typing';

interface ErrorStats {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

function errorStats(errors: number[]): ErrorStats {
  const sorted = errors.map(Math.abs).sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? NaN,
  };
}

/** Send times (epoch ms) of the last chat request's content writes. */
function sentTimes(api: TestServer): number[] {
  const served = api.requests.filter((r) => r.url === '/v1/chat/completions').at(-1)!;
  return served.writes.filter((w) => /"content":"[^"]+"/.test(w.text)).map((w) => w.at);
}

async function appPage(browser: Browser, url: string, api: TestServer, model: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${url}#/basic-streaming`);
  await connect(page, { provider: 'Custom', baseURL: api.baseURL, key: KEY, model });
  return page;
}

/** Arrival errors of one app run: exported chunk times against the server's send times. */
async function appArrivals(page: Page, api: TestServer, busy: boolean): Promise<number[]> {
  const run = page.getByRole('button', { name: 'Run', exact: true });
  const before = api.requests.length;
  await run.click();
  if (busy) await startBusy(page, BUSY_MS);
  for (;;) {
    const served = api.requests.slice(before).find((r) => r.url === '/v1/chat/completions');
    if (served?.closedAt) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (busy) await stopBusy(page);
  await run.waitFor({ state: 'visible' });
  while (!(await run.isEnabled())) await new Promise((r) => setTimeout(r, 50));
  const exported = (await exportRun(page)) as { startedAt: number; chunks: { t: number }[] };
  const sent = sentTimes(api);
  return exported.chunks.map((c, i) => exported.startedAt + c.t - sent[i]!);
}

/** Arrival errors of one bare-SDK run on the benchmark page. */
async function bareArrivals(page: Page, api: TestServer, busy: boolean): Promise<number[]> {
  if (busy) await startBusy(page, BUSY_MS);
  const arrivals = await page.evaluate(
    ([baseURL, key]) =>
      (window as unknown as { bench: { bareSdk: (...a: string[]) => Promise<number[]> } }).bench.bareSdk(
        baseURL!,
        key!,
        'steady',
      ),
    [api.baseURL, KEY],
  );
  if (busy) await stopBusy(page);
  const sent = sentTimes(api);
  return arrivals.map((t, i) => t - sent[i]!);
}

/** Milliseconds to type TYPED into the Prompt box; with a model, while that stream is open. */
async function typingMs(page: Page, api: TestServer, model?: 'huge' | 'burst'): Promise<number> {
  const prompt = page.getByRole('textbox', { name: 'Prompt' });
  const run = page.getByRole('button', { name: 'Run', exact: true });
  let end: { release(): void } | undefined;
  if (model) {
    const start = api.hold(`${model}:start`);
    end = api.hold(`${model}:end`);
    await run.click();
    await start.reached;
    await page.getByRole('region', { name: 'Output' }).getByText(/\S/).first().waitFor();
    start.release();
  }
  await prompt.fill('');
  const started = performance.now();
  await prompt.pressSequentially(TYPED, { delay: 0 });
  const ms = performance.now() - started;
  if ((await prompt.inputValue()) !== TYPED) throw new Error('Typing was lost.');
  end?.release();
  while (!(await run.isEnabled())) await new Promise((r) => setTimeout(r, 100));
  return ms;
}

const f = (v: number, d = 1) => v.toFixed(d);

it('arrival timing and typing under load', async () => {
  const browser = await launch();
  const app = await serveDist();
  const benchPage = await serveRendererPage();
  const api = await startServer({ keys: [KEY] });
  const arrival: Record<string, { ours: ErrorStats; bareSdk: ErrorStats }> = {};
  const typing: Record<string, { runs: number[]; median: number }> = {};
  try {
    const ours = await appPage(browser, app.url, api, 'steady');
    const bare = await (await browser.newContext()).newPage();
    await bare.goto(benchPage.url);
    await bare.waitForFunction(() => 'bench' in window);
    for (const load of ['quiet', 'busy'] as const) {
      const o: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        o.push(...(await appArrivals(ours, api, load === 'busy')));
        b.push(...(await bareArrivals(bare, api, load === 'busy')));
      }
      arrival[load] = { ours: errorStats(o), bareSdk: errorStats(b) };
    }

    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, c) => a - c),
        50,
      );
    for (const model of [undefined, 'burst', 'huge'] as const) {
      const page = await appPage(browser, app.url, api, model ?? 'test-model');
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push(await typingMs(page, api, model));
      typing[model ?? 'idle'] = { runs, median: median(runs) };
      await page.context().close();
    }
  } finally {
    await browser.close();
    await app.close();
    await benchPage.close();
    await api.close();
  }

  const rows = Object.entries(arrival).map(([load, { ours, bareSdk }]) => {
    const label =
      load === 'busy' ? `main thread blocked ${BUSY_MS} ms/frame` : 'quiet page (no injected work)';
    return `| ${label} | ${f(ours.p50, 2)} / ${f(ours.p95, 2)} / ${f(ours.max, 2)} | ${f(bareSdk.p50, 2)} / ${f(bareSdk.p95, 2)} / ${f(bareSdk.max, 2)} | ${f(bareSdk.p50 / Math.max(ours.p50, 0.05))}× / ${f(bareSdk.p95 / Math.max(ours.p95, 0.05))}× |`;
  });
  const idle = typing.idle!.median;
  const typingRows = Object.entries(typing).map(
    ([what, t]) =>
      `| ${what === 'idle' ? 'no stream (baseline)' : what === 'huge' ? 'during a 100,000-token answer' : 'during a 5,000 chunks/s burst'} | ${t.runs.map((r) => f(r, 0)).join(', ')} | ${f(t.median, 0)} | ${f(t.median / idle)}× |`,
  );
  process.stdout.write(
    [
      '',
      `Arrival error, |exported time − server send time| in ms, p50 / p95 / max over ${RUNS} runs of 60 chunks (headless Chromium)`,
      '',
      '| page | ours (network worker) | bare SDK on the main thread | bare / ours |',
      '|---|---|---|---|',
      ...rows,
      '',
      `Typing "${TYPED}" (${TYPED.length} keys) into the Prompt box, ms`,
      '',
      '| while | runs | median | vs baseline |',
      '|---|---|---|---|',
      ...typingRows,
      '',
    ].join('\n'),
  );
  await saveResults('stream', { busyMs: BUSY_MS, runs: RUNS, arrival, typing });
});
