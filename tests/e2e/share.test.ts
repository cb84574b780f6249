/**
 * Sharing a run as a link: a saved run's link opens in a fresh browser (no IndexedDB, nothing
 * shared with the page that made it) as a read-only run that replays to the same text; a run too
 * large for a link says so and offers its JSON file; a cut link says it is incomplete.
 */
import { describe, expect, it } from 'vitest';
import { downloadText, importRunFile, openTab, RECORDED_RUN, useHarness } from './harness';

const h = useHarness();

/** A run too large for a link: 6,000 chunks of varied words (they compress like real text). */
function largeRun() {
  const words = ['stream', 'token', 'chunk', 'latency', 'model', 'server', 'event', 'arrives'];
  const chunks = Array.from({ length: 6000 }, (_, i) => ({
    t: 100 + i * 7.3,
    text: ` ${words[(i * 7) % words.length]}${i % 13}${i % 5 ? '' : '.'}`,
  }));
  return { ...RECORDED_RUN, lab: 'basic-streaming', chunks, text: chunks.map((c) => c.text).join('') };
}

describe('share links', () => {
  it('a saved run opens from its link in a fresh browser, read-only, and replays to the same text', async () => {
    const page = await h.open('#/basic-streaming');
    // A short answer: the run and its replay each take the simulator's time per token.
    await page.getByLabel('Max tokens').fill('15');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    const panel = page.getByRole('tabpanel');
    const text = await panel.getByRole('region', { name: 'Output' }).innerText();
    expect(text.length).toBeGreaterThan(20);
    await panel.getByRole('button', { name: 'Save to library' }).click();
    await openTab(page, 'Token stats');
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await saved.getByRole('button', { name: /^Share link of / }).click();
    const link = await saved.getByLabel('Link to share').inputValue();
    expect(link.startsWith(`${h.app.url}#/shared/1.`)).toBe(true);

    const fresh = await h.open(new URL(link).hash);
    const dialog = fresh.getByRole('dialog', { name: 'Shared run: Basic streaming' });
    await dialog.waitFor();
    expect(await fresh.evaluate(() => indexedDB.databases().then((dbs) => dbs.length))).toBeLessThanOrEqual(
      1,
    );
    await expect.poll(() => dialog.getByRole('region', { name: 'Output' }).innerText()).toBe(text);
    expect(await dialog.getByRole('button', { name: 'Run', exact: true }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Replay' }).click();
    await dialog.getByText('Replayed with the recorded chunks and timing.').waitFor();
    expect(await dialog.getByRole('region', { name: 'Output' }).innerText()).toBe(text);

    await dialog.getByRole('link', { name: 'Back to the labs' }).click();
    await fresh.getByRole('tabpanel').getByRole('heading', { name: 'Basic streaming', level: 2 }).waitFor();
    expect(await fresh.getByRole('dialog').count()).toBe(0);
    expect(h.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('a run too large for a link says so and offers its JSON file; a cut link says it is incomplete', async () => {
    const page = await h.open('#/token-stats');
    await importRunFile(page, 'large.json', largeRun());
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await saved.getByRole('button', { name: 'Share link of large' }).click();
    await saved.getByText(/This run is too large for a link \(\d+ KB; a link holds up to 16 KB\)/).waitFor();
    expect(await saved.getByLabel('Link to share').count()).toBe(0);
    const json = await downloadText(page, () =>
      saved.getByRole('button', { name: 'Download the JSON file' }).click(),
    );
    expect((JSON.parse(json) as { chunks: unknown[] }).chunks).toHaveLength(6000);

    await importRunFile(page, 'small.json', RECORDED_RUN);
    await saved.getByRole('button', { name: 'Share link of small' }).click();
    const hash = new URL(await saved.getByLabel('Link to share').inputValue()).hash;
    const cut = await h.open(hash.slice(0, Math.floor(hash.length * 0.7)));
    await cut
      .getByRole('dialog')
      .getByRole('alert')
      .getByText(/incomplete or damaged/)
      .waitFor();
  });
});
