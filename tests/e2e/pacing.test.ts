/**
 * Display pacing end to end in Chromium against the local SSE server: raw by default, word by
 * word holding text back after a burst and catching up while the stream is still held, the cost
 * figures shown, and Chat keeping the choice. Order, not speed: the stream is held at a gate.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openOnServer, useHarness } from './harness';

const h = useHarness();

/** The visible lab's control (a lab visited before stays mounted, hidden). */
const pacing = (page: Page) => page.getByLabel('Display pacing', { exact: true }).locator('visible=true');
const stats = (page: Page) => page.getByRole('group', { name: 'Display pacing cost' });
/** A figure in the stats: a number of ms, never the dash of "not measured yet". */
const MEASURED =
  /first visible token \d+(\.\d)? ms.*p50 \d+(\.\d)? ms, p95 \d+(\.\d)? ms.*CV \d+\.\d\d, \d+% of \d+ frames/;

describe('display pacing', () => {
  it('Live markdown: raw by default; word by word shows less than has arrived after a burst, then catches up while the stream is held', async () => {
    const page = await openOnServer(h, '#/live-markdown', 'markdown-cursor');
    expect(await pacing(page).inputValue()).toBe('raw');
    await pacing(page).selectOption({ label: 'Word by word' });
    await page.getByLabel('Show the raw markdown beside it').check();
    const gate = h.api.hold('markdown-cursor');
    await page.getByRole('button', { name: 'Run' }).click();
    await gate.reached;

    // The burst "… keep `code` small" has arrived (Raw markdown shows it) while the Output's view
    // still holds back its last word: checked on every animation frame until seen.
    await page.waitForFunction(
      () => {
        const raw = document.querySelector('[aria-label="Raw markdown"]')?.textContent ?? '';
        const shown =
          document.querySelector('[aria-label="Ours (incremental)"] .markdown')?.textContent ?? '';
        return raw.includes('small') && shown.includes('Good') && !shown.includes('small');
      },
      undefined,
      { polling: 'raf', timeout: 15_000 },
    );
    // Still held at the gate: the view catches up with everything that arrived. Its last word,
    // not its markup: on a busy machine the renderer's watchdog may show the live tail as plain
    // text (markdown/incremental.ts), which is right, and the final render below is markdown.
    const view = page.getByRole('group', { name: 'Ours (incremental)' });
    await expect.poll(() => view.textContent()).toContain('small');
    expect(await page.getByLabel('Raw markdown', { exact: true }).textContent()).not.toContain('and clear.');

    gate.release();
    await expect.poll(() => view.textContent()).toContain('keep code small and clear.');
    await expect.poll(() => stats(page).textContent()).toMatch(MEASURED);
    expect(await stats(page).textContent()).toContain('Word by word');
  });

  it('Chat keeps the choice made in Live markdown, paces its reply with it and shows the cost', async () => {
    const page = await openOnServer(h, '#/live-markdown', 'markdown-cursor');
    await pacing(page).selectOption({ label: 'Line by line' });
    await page.getByRole('tab', { name: 'Chat' }).click();
    expect(await pacing(page).inputValue()).toBe('line');

    await page.getByLabel('Message').fill('Principles?');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('region', { name: 'Output (conversation)' });
    await expect.poll(() => log.textContent()).toContain('keep code small and clear.');
    await expect.poll(() => stats(page).textContent()).toMatch(MEASURED);
    expect(await stats(page).textContent()).toContain('Line by line');
    expect(await pacing(page).inputValue()).toBe('line');
  });
});
