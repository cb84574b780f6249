/**
 * Model race in real Chromium against the built app: simulator lanes side by side with a lane on
 * the local server, a benchmark with its distributions, and the key never in anything exported or
 * shared.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeShare } from '../../src/lib/run-file/share';
import { KEY, connect, downloadText, openTab, useHarness } from './harness';

const h = useHarness();

/** Opens the race lab and sets the request small, so simulator lanes end quickly. */
async function openRace(page: Page, { maxTokens = 20 } = {}): Promise<void> {
  await openTab(page, 'Model race');
  await field(page, 'Max tokens').fill(String(maxTokens));
}

/** A number field of the race lab (roles skip the labs opened before, which stay in the page hidden). */
const field = (page: Page, label: string) => page.getByRole('spinbutton', { name: label, exact: true });
const lane = (page: Page, n: number) => page.getByRole('article', { name: `Lane ${n} output` });
const runButton = (page: Page) => page.getByRole('button', { name: 'Run', exact: true });

/** Every piece of `key` at least 8 characters long. */
function keyPieces(key: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i + 8 <= key.length; i++) pieces.push(key.slice(i, i + 8));
  return pieces;
}

describe('Model race', () => {
  it('races three simulator lanes and a lane answered 429: three finish, the 429 shows in its own lane', async () => {
    const page = await h.open();
    // The learner's profile on the test server: it becomes lane 1; the built-in simulators fill the rest.
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'rate-limit' });
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('Retries (SDK maxRetries)').fill('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await openRace(page);
    await page.getByRole('button', { name: 'Add lane' }).click();
    await page.getByRole('button', { name: 'Add lane' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Add lane' }).isDisabled()).toBe(true);
    await runButton(page).click();
    await expect.poll(() => runButton(page).isEnabled()).toBe(true);

    const output = page.getByRole('region', { name: 'Output' });
    expect(await output.getByRole('article').count()).toBe(4);
    const limited = lane(page, 1);
    expect(await limited.getByRole('alert').innerText()).toMatch(/429|rate limit/i);
    for (const n of [2, 3, 4]) {
      expect(await lane(page, n).getByRole('alert').count(), `lane ${n}`).toBe(0);
      expect((await lane(page, n).innerText()).length, `lane ${n}`).toBeGreaterThan(40);
      expect(await lane(page, n).innerText()).toContain('done');
    }
    const table = page.getByRole('table', { name: 'Lane comparison' });
    expect(await table.getByRole('row').nth(1).innerText()).toContain('failed');
    for (const n of [2, 3, 4]) expect(await table.getByRole('row').nth(n).innerText()).toMatch(/\d+ ms/);
    // One chart overlays every lane.
    expect(await page.getByRole('figure').count()).toBe(1);
  });

  it('benchmarks each lane 10 times and shows the distribution and a verdict', async () => {
    const page = await h.open();
    await openRace(page, { maxTokens: 8 });
    await field(page, 'Repeat').fill('10');
    await field(page, 'Concurrency').fill('5');
    await runButton(page).click();
    const progress = page.getByRole('progressbar', { name: 'Benchmark progress' });
    await expect.poll(() => progress.getAttribute('max')).toBe('20');
    await expect.poll(() => progress.getAttribute('value'), { timeout: 60_000 }).toBe('20');
    await expect.poll(() => runButton(page).isEnabled()).toBe(true);
    const ttft = page.getByRole('table', { name: 'TTFT distribution' });
    const rows = ttft.getByRole('row');
    expect(await rows.count()).toBe(3);
    for (const n of [1, 2]) expect(await rows.nth(n).getByRole('cell').first().innerText()).toBe('10');
    expect(await page.getByRole('region', { name: 'Distribution' }).innerText()).toMatch(
      /Lane 2's median TTFT (is|equals)/,
    );
  });

  it('never puts the key, or any 8-character piece of it, in the exported JSON, CSV or share link', async () => {
    const page = await h.open();
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    await openRace(page);
    // 11 requests to a provider other than the simulator: asked first, and told they are billed.
    await field(page, 'Repeat').fill('11');
    await field(page, 'Concurrency').fill('4');
    await runButton(page).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm billed requests' });
    expect(await confirm.innerText()).toMatch(/11 requests[\s\S]*billed/);
    await confirm.getByRole('button', { name: 'Send 11 billed requests' }).click();
    await expect.poll(() => runButton(page).isEnabled(), { timeout: 60_000 }).toBe(true);
    const sent = h.api.requests.filter((r) => r.body?.model === 'test-model');
    expect(sent).toHaveLength(11);
    expect(sent.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);

    const json = await downloadText(page, () => page.getByRole('button', { name: 'Export JSON' }).click());
    const csv = await downloadText(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
    const file = JSON.parse(json) as { race: { lanes: unknown[]; benchmark: { samples: unknown[] } } };
    expect(file.race.lanes).toHaveLength(2);
    expect(file.race.benchmark.samples).toHaveLength(22);
    expect(csv.trim().split('\n')).toHaveLength(23);
    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByLabel('Link to share').inputValue();
    const shared = JSON.stringify(await decodeShare(link.split('#/shared/')[1]!));
    expect(shared).toContain('"race"');
    for (const artefact of [json, csv, link, shared])
      for (const piece of keyPieces(KEY)) expect(artefact).not.toContain(piece);
  });
});
