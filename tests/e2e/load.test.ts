/**
 * Load in Chromium: a 100,000-token answer and a burst of 5,000 chunks a second. The page must
 * stay usable (typing in the prompt box lands while the stream runs) and count exactly.
 *
 * Order, not speed: the test server holds each stream open at two gates the test controls — after
 * the first batch (so text is on screen) and before the finish chunk (so the stream cannot end) —
 * and typing happens between them, with the flood released. How long typing takes on this
 * machine is a figure for `npm run bench`, not an assertion here.
 */
import { describe, expect, it } from 'vitest';
import { KEY, connect, exportRun, useHarness } from './harness';

const h = useHarness();

async function typeWhileStreaming(model: 'huge' | 'burst', expectedChunks: number) {
  const page = await h.open('#/token-stats');
  await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model });
  const start = h.api.hold(`${model}:start`);
  const end = h.api.hold(`${model}:end`);
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  const served = await start.reached;
  await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toMatch(/\S/);
  // Let the flood go, and type into it; every keystroke needs the main thread.
  start.release();
  const prompt = page.getByRole('textbox', { name: 'Prompt' });
  await prompt.fill('');
  await prompt.pressSequentially('still typing', { delay: 0 });
  expect(await prompt.inputValue()).toBe('still typing');
  // The stream was provably open for every keystroke: its end is still held by the server,
  // nothing after the content has been written, and the page still shows it running.
  expect(served.closedAt).toBeNull();
  expect(served.writes.some((w) => w.text.includes('"finish_reason":"stop"'))).toBe(false);
  expect(await run.isDisabled()).toBe(true);
  end.release();
  await expect.poll(() => run.isEnabled(), { timeout: 120_000 }).toBe(true);

  const stats = page.getByRole('table', { name: 'Statistics' });
  const row = async (name: string) =>
    (await stats.getByRole('row', { name: new RegExp(name) }).textContent()) ?? '';
  expect(await row('Chunks received')).toContain(`(${expectedChunks} with text)`);
  expect(await row('Completion tokens')).toContain(String(expectedChunks));
  // The live chart kept up and holds every chunk, drawing a bounded number of them.
  const chart = page.getByRole('slider', { name: /Chunk arrival chart/ });
  await expect.poll(() => chart.getAttribute('data-points')).toBe(String(expectedChunks));
  const drawn = Number(await chart.getAttribute('data-drawn'));
  expect(drawn).toBeGreaterThan(0);
  // 1,000 x spans, each keeping at most its first, its last and the line's last point.
  expect(drawn).toBeLessThanOrEqual(3_000);
  // And the export carries every one of them.
  const exported = (await exportRun(page)) as {
    chunks: unknown[];
    metrics: { chunks: number };
    text: string;
  };
  expect(exported.chunks).toHaveLength(expectedChunks);
  // Output reads and copies (innerText) exactly as the text, though it is drawn in sealed blocks
  // (innerText drops a last line break at the very end, as it does for any element).
  const shown = await page.getByRole('region', { name: 'Output' }).locator('pre').innerText();
  expect(shown).toBe(exported.text.replace(/\n$/, ''));
  expect(exported.metrics.chunks).toBe(expectedChunks);
}

describe('load', () => {
  it('a 100,000-token answer: typing lands while it streams, and every chunk is counted, charted and exported', async () => {
    await typeWhileStreaming('huge', 100_000);
  }, 180_000);

  it('a burst of 5,000 chunks a second: typing lands while it streams, and every chunk is counted, charted and exported', async () => {
    await typeWhileStreaming('burst', 5_000);
  }, 60_000);
});
