/**
 * Importing saved runs in real Chromium, against the built app: the same file twice, files that
 * carry a key or broken messages, and what a re-export of an imported run contains.
 */
import { describe, expect, it } from 'vitest';
import { RECORDED_RUN as recorded, downloadText, importRunFile as importFile, useHarness } from './harness';

const h = useHarness();

describe('importing runs', () => {
  it('the same file imported twice gives two runs that compare side by side, chart and table', async () => {
    const page = await h.open('#/token-stats');
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await importFile(page, 'recorded.json', recorded);
    await saved.getByText('Imported “recorded”.').waitFor();
    await importFile(page, 'recorded.json', recorded);
    await saved.getByText('Imported “recorded (2)”.').waitFor();

    for (const box of await saved.getByRole('checkbox', { name: 'Compare' }).all()) await box.check();
    const comparison = saved.getByRole('table', { name: 'Run comparison' });
    expect(await comparison.getByRole('row', { name: /TTFT/ }).textContent()).toBe('TTFT400 ms400 ms');
    const chart = saved.getByRole('figure');
    await expect.poll(() => chart.locator('[data-points]').getAttribute('data-points')).toBe('3');
    await chart.getByText('Data table').click();
    const rows = chart.locator('details').getByRole('table').getByRole('row');
    // A header row and three chunks for each of the two runs.
    await expect.poll(() => rows.count()).toBe(7);
    expect(await rows.nth(1).textContent()).toContain('recorded (2)');
    expect(await rows.nth(4).textContent()).toMatch(/^recorded1/);
    expect(h.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('one run saved twice (two runs with the same name) compares without breaking the chart', async () => {
    const page = await h.open('#/token-stats');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByRole('button', { name: 'Save to library' }).click();
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await expect.poll(() => saved.getByRole('checkbox', { name: 'Compare' }).count()).toBe(2);
    const names = await saved
      .getByRole('checkbox', { name: 'Compare' })
      .evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-describedby')));
    expect(new Set(names).size).toBe(2);
    for (const box of await saved.getByRole('checkbox', { name: 'Compare' }).all()) await box.check();
    const chart = saved.getByRole('figure');
    await chart.getByText('Data table').click();
    const chunks = Number(
      await saved
        .getByRole('table', { name: 'Run comparison' })
        .getByRole('row', { name: /Chunks/ })
        .locator('td')
        .first()
        .textContent(),
    );
    expect(chunks).toBeGreaterThan(0);
    await expect
      .poll(() => chart.locator('details').getByRole('table').getByRole('row').count())
      .toBe(1 + 2 * chunks);
    expect(h.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('a file carrying a key and a base URL with credentials imports without them, and re-exports clean', async () => {
    const page = await h.open('#/token-stats');
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await importFile(page, 'leaky.json', {
      ...recorded,
      request: {
        ...recorded.request,
        apiKey: 'sk-proj-LEAKED0123456789abcdef',
        baseURL: 'https://user:sk-proj-LEAKED0123456789abcdef@api.openai.com/v1?key=LEAKED#LEAKED',
      },
    });
    await saved.getByText('Imported “leaky”.').waitFor();
    const json = await downloadText(page, () => saved.getByRole('button', { name: 'JSON of leaky' }).click());
    expect(json).not.toContain('LEAKED');
    expect(JSON.parse(json).request).toEqual({ ...recorded.request, baseURL: 'https://api.openai.com/v1' });
  });

  it('a file with a broken message is refused with a clear alert, and nothing is saved', async () => {
    const page = await h.open('#/token-stats');
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await importFile(page, 'broken.json', {
      ...recorded,
      request: { ...recorded.request, messages: [null] },
    });
    await expect
      .poll(() => saved.getByRole('alert').textContent())
      .toBe(
        'broken.json: The run’s request.messages[0] is not a message: each needs a role (system, user or assistant) and a text content.',
      );
    expect(await saved.getByRole('checkbox', { name: 'Compare' }).count()).toBe(0);
  });
});
