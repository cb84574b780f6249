/**
 * Accessibility in Chromium: every lab, after a run, passes axe-core with no violations, and
 * the main flows work from the keyboard alone.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEY, chatOnce, connect, connectHeld, openTab, tourLabs, useHarness } from './harness';

const h = useHarness();
const require = createRequire(import.meta.url);

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

async function axe(page: Page): Promise<string[]> {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so the page's CSP still applies to the app itself.
  await page.evaluate(source);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as AxeResult;
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

describe('accessibility', () => {
  it('every lab passes axe-core after a run, and so does the connection panel', async () => {
    const page = await h.open('#/generate');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'markdown' });
    const failures: string[] = [];
    await tourLabs(page, async (lab) => {
      for (const v of await axe(page)) failures.push(`${lab}: ${v}`);
    });
    await chatOnce(page, 'Hello', 'Title');
    for (const v of await axe(page)) failures.push(`Chat: ${v}`);
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    // The panel's code loads when it first opens: check the panel, not its loading line.
    await page.getByRole('form', { name: 'Connection' }).waitFor();
    for (const v of await axe(page)) failures.push(`Connection panel: ${v}`);
    expect(failures).toEqual([]);
  });

  it('runs a lab from the keyboard alone: tabs by arrow keys, Run by Enter, Stop by Enter', async () => {
    const page = await h.open('#/generate');
    await connectHeld(page, h.api.baseURL, 'slow');
    await page.getByRole('tab', { name: 'How LLMs generate' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.url()).toMatch(/#\/basic-streaming$/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Basic streaming');
    await page.getByRole('tabpanel').getByRole('heading', { name: 'Basic streaming' }).waitFor();
    await page.getByRole('textbox', { name: 'Prompt' }).focus();
    // The server holds each stream open after " w50", so Stop always finds it running.
    let gate = h.api.hold('slow');
    await page.keyboard.press('Control+Enter');
    await gate.reached;
    await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain('w50');
    await page.getByRole('button', { name: 'Stop', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('incomplete').waitFor();
    gate.release();
    // The chart can be inspected from the keyboard too.
    await openTab(page, 'Token stats');
    await page.getByRole('button', { name: 'Run', exact: true }).focus();
    gate = h.api.hold('slow');
    await page.keyboard.press('Enter');
    await gate.reached;
    await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain('w50');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    gate.release();
    const chart = page.getByRole('slider', { name: /Chunk arrival chart/ });
    await chart.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await chart.getAttribute('aria-valuenow')).toBe('2');
    expect(await page.getByText(/Chunk 2 at [\d.]+ ms, gap/).count()).toBe(1);
  });
});
