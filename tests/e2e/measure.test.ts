/**
 * Measurement in real Chromium: exported arrival times against the test server's own send
 * times, the wire inspector, and saved runs (save, compare, import, replay).
 */
import { describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { KEY, connect, useHarness } from './harness';

const h = useHarness();
const chatRequests = () => h.api.requests.filter((r) => r.url === '/v1/chat/completions');

async function readDownload(download: Promise<Download>): Promise<string> {
  let text = '';
  for await (const part of await (await download).createReadStream()) text += part;
  return text;
}

async function runTokenStats(page: Page) {
  await page.getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
}

describe('measurement', () => {
  it('exported arrival times match the server send times within a few ms, and TTFT its first content chunk', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'slow' });
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain('w40');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    const run = JSON.parse(
      await readDownload(
        (async () => {
          const d = page.waitForEvent('download');
          await page.getByRole('button', { name: 'Export JSON' }).click();
          return d;
        })(),
      ),
    );
    const served = chatRequests().at(-1)!;
    // The server's content writes, in order: every write carrying a delta with text.
    const sent = served.writes.filter((w) => /"content":"[^"]+"/.test(w.text));
    expect(run.chunks.length).toBeGreaterThan(30);
    const diffs = run.chunks.map((c: { t: number; text: string }, i: number) => {
      expect(sent[i]!.text).toContain(JSON.stringify(c.text));
      return run.startedAt + c.t - sent[i]!.at;
    });
    // Typically ~0.5 ms: the network worker stamps each read as it arrives, whatever the page is
    // rendering. Every lab exports through this same pipeline; Basic streaming keeps the two cores
    // least busy with rendering, so what is measured is the pipeline, not the machine's load. On a loaded two-core machine the worker thread is now and then scheduled late
    // for a single read (seen up to 9 ms while every neighbour is ~0.5 ms), so the tail is
    // bounded by count, not by one chunk.
    const errors = diffs.map(Math.abs).sort((a: number, b: number) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(1.5);
    expect(errors[Math.floor(errors.length * 0.95)]).toBeLessThan(3);
    expect(errors.filter((e: number) => e > 5).length).toBeLessThanOrEqual(1);
    expect(errors.at(-1)).toBeLessThan(15);
    expect(Math.abs(run.startedAt + run.metrics.ttftMs - sent[0]!.at)).toBeLessThan(5);
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
    await wire.getByRole('button', { name: 'Network reads' }).click();
    expect(await wire.getByRole('row').count()).toBeGreaterThan(1);
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

    const csv = await readDownload(
      (async () => {
        const d = page.waitForEvent('download');
        await saved
          .getByRole('button', { name: /^CSV of/ })
          .first()
          .click();
        return d;
      })(),
    );
    expect(csv.split('\n')[0]).toBe('index,t_ms,gap_ms,chars,text');
    expect(csv).toContain('"10\n"');

    const recorded = {
      version: 1,
      lab: 'token-stats',
      startedAt: 1,
      request: {
        model: 'gpt-4o',
        baseURL: 'https://api.openai.com/v1',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      },
      chunks: [
        { t: 400, text: 'Recorded' },
        { t: 700, text: ' stream' },
        { t: 1000, text: ' replayed.' },
      ],
      metrics: { ttftMs: 400, e2eMs: 1000, chunks: 3, chars: 25 },
      usage: null,
      finishReason: 'stop',
      error: null,
      text: 'Recorded stream replayed.',
    };
    await saved.getByLabel('Import (JSON)').setInputFiles({
      name: 'recorded.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(recorded)),
    });
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
    expect(ttft).toBeGreaterThanOrEqual(395);
    expect(ttft).toBeLessThan(550);
    expect(total - ttft).toBeGreaterThanOrEqual(590);
    expect(total - ttft).toBeLessThan(750);
  });
});
