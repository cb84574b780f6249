/**
 * Measurement in real Chromium: exported arrival times against the test server's own send
 * times, the wire inspector, and saved runs (save, compare, import, replay).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBusy, stopBusy } from './busy';
import { KEY, RECORDED_RUN, connect, downloadText, exportRun, importRunFile, useHarness } from './harness';

const h = useHarness();
const chatRequests = () => h.api.requests.filter((r) => r.url === '/v1/chat/completions');

async function runTokenStats(page: Page) {
  await page.getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
}

describe('measurement', () => {
  it('rendering cannot skew arrival times: with the main thread blocked 400 ms a frame, exported times still follow the server, and TTFT is the first content chunk', async () => {
    // Long blocks, so the bounds below stay far above what scheduling costs on a busy machine
    // (at 200 ms they were 25 and 50 ms) and far below what a main-thread stamp would cost.
    const BUSY_MS = 400;
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'steady' });
    await page.getByRole('button', { name: 'Run' }).click();
    await startBusy(page, BUSY_MS);
    // The server decides when the stream is over; the page is too busy to be asked.
    await expect.poll(() => chatRequests().at(-1)?.closedAt ?? null, { timeout: 30_000 }).not.toBeNull();
    const busyFrames = await stopBusy(page);
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    const run = (await exportRun(page)) as {
      startedAt: number;
      chunks: { t: number; text: string }[];
      metrics: { ttftMs: number };
    };
    const served = chatRequests().at(-1)!;
    // The server's content writes, in order: every write carrying a delta with text.
    const sent = served.writes.filter((w) => /"content":"[^"]+"/.test(w.text));
    expect(run.chunks).toHaveLength(60);
    expect(sent).toHaveLength(60);
    // The stream (1.2 s) really ran under the load: whole blocked frames, one after another.
    expect(busyFrames).toBeGreaterThanOrEqual(2);
    const errors = run.chunks.map((c, i) => {
      expect(sent[i]!.text).toContain(JSON.stringify(c.text));
      return Math.abs(run.startedAt + c.t - sent[i]!.at);
    });
    // Stamped on the main thread, a chunk would be late by up to 400 ms, about 200 ms on average
    // (the bench measures the bare SDK at p50 ~130 ms here). Stamped by the network worker as it
    // arrives, it is late only by the OS's scheduling: bounds far below the work injected, on the
    // bulk of the chunks so one badly scheduled read on a loaded machine cannot decide the test.
    // The fine figures (p50, p95, max, against the bare SDK) are in `npm run bench`.
    const sorted = [...errors].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.5)]).toBeLessThan(BUSY_MS / 8);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(BUSY_MS / 4);
    // TTFT is, by definition, the first content chunk's arrival.
    expect(run.metrics.ttftMs).toBe(run.chunks[0]!.t);
  });

  it('the wire inspector shows reads, frames, comments and [DONE]', async () => {
    const page = await h.open('#/token-stats');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'comments' });
    await runTokenStats(page);
    const wire = page.getByRole('region', { name: 'Wire inspector' });
    const text = (await wire.textContent()) ?? '';
    expect(text).toContain(': keep-alive');
    expect(text).toContain('comment (ignored by the SDK)');
    expect(text).toContain('data: [DONE]');
    expect(text).toContain('+ " ignored"');
    // Rows are grids on one column template, not table rows: every cell starts under its header.
    const offsets = () =>
      wire.evaluate((section) => {
        const left = (el: Element) => el.getBoundingClientRect().left;
        const headers = [...section.querySelectorAll('thead th')].map(left);
        return [...section.querySelectorAll('tbody tr')].flatMap((row) =>
          [...row.children].map((cell, i) => Math.round(left(cell) - headers[i]!)),
        );
      });
    expect(await wire.getByRole('columnheader').allTextContents()).toEqual([
      '#',
      'ms',
      'read',
      'frame as sent',
      'kind',
      'parsed',
    ]);
    const frames = await offsets();
    expect(frames.length).toBeGreaterThan(6 * 5);
    expect(new Set(frames)).toEqual(new Set([0]));
    await wire.getByRole('button', { name: 'Network reads' }).click();
    expect(await wire.getByRole('row').count()).toBeGreaterThan(1);
    const reads = await offsets();
    expect(reads.length).toBeGreaterThanOrEqual(4);
    expect(new Set(reads)).toEqual(new Set([0]));
  });

  it('saves runs, compares two, exports CSV, imports a run and replays it with its timing', async () => {
    const page = await h.open('#/token-stats');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'count' });
    await runTokenStats(page);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await runTokenStats(page);
    await page.getByRole('button', { name: 'Save to library' }).click();
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await expect.poll(() => saved.getByRole('checkbox').count()).toBe(2);
    for (const box of await saved.getByRole('checkbox').all()) await box.check();
    const comparison = saved.getByRole('table', { name: 'Run comparison' });
    expect(await comparison.getByRole('row', { name: /TTFT/ }).textContent()).toMatch(/\d+ ms.*\d+ ms/);

    const csv = await downloadText(page, () =>
      saved
        .getByRole('button', { name: /^CSV of/ })
        .first()
        .click(),
    );
    expect(csv.split('\n')[0]).toBe('index,t_ms,gap_ms,chars,text');
    expect(csv).toContain('"10\n"');
    // The comparison chart's CSV comes from the same writer: both runs, each indexed from 0.
    const chartCsv = await downloadText(page, () =>
      saved.getByRole('button', { name: 'Download CSV' }).click(),
    );
    expect(chartCsv.split('\n')[0]).toBe('series,index,t_ms,gap_ms,text');
    expect(chartCsv.split('\n').filter((row) => /^"[^"]+",0,/.test(row))).toHaveLength(2);
    expect(chartCsv).toContain('"10\n"');

    await importRunFile(page, 'recorded.json', RECORDED_RUN);
    await saved.getByText('Imported “recorded”.').waitFor();
    await saved
      .getByLabel('Import (JSON)')
      .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    expect(await saved.getByRole('alert').textContent()).toContain('not a Streaming Lab run');

    const before = h.requests.length;
    await saved
      .getByRole('row', { name: /recorded/ })
      .getByRole('button', { name: 'Replay' })
      .click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Output' }).textContent())
      .toContain('Recorded stream replayed.');
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    // The replay ran offline: no request left the page.
    expect(h.requests.slice(before).filter((u) => !u.startsWith(h.app.url))).toEqual([]);
    const stats = page.getByRole('table', { name: 'Statistics' });
    const ttft = Number(
      /(\d+(?:\.\d)?) ms/.exec(
        (await stats.getByRole('row', { name: /Time to first token/ }).textContent()) ?? '',
      )![1],
    );
    const total = Number(
      /(\d+(?:\.\d)?) ms/.exec(
        (await stats.getByRole('row', { name: /Total time/ }).textContent()) ?? '',
      )![1],
    );
    // The replay waits out the recorded times (lower bounds: a faster machine cannot beat them)
    // and reads them as times since t0, not as gaps (gaps would put the last chunk 1,700 ms after
    // the first instead of 600: the upper bound is far from both, so only that mistake fails it).
    expect(ttft).toBeGreaterThanOrEqual(395);
    expect(total - ttft).toBeGreaterThanOrEqual(590);
    expect(ttft).toBeLessThan(400 + 700);
    expect(total - ttft).toBeLessThan(600 + 800);
  });
});
