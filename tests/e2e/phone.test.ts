/**
 * The app on a phone (390×844) in real Chromium: after a run, no tab is wider than the screen;
 * the Saved runs actions stay on screen; the wire inspector gives the frame text room to read.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chatOnce, openTab, tourLabs, useHarness } from './harness';

const h = useHarness();
const PHONE = { width: 390, height: 844 };

/** How far the page scrolls sideways, and the elements that stick out past the right edge. */
function overflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  return page.evaluate((width) => {
    // Inside a box that scrolls or clips sideways, sticking out does not widen the page.
    const clipped = (node: Node) => {
      for (let p = node.parentElement; p && p !== document.body; p = p.parentElement)
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    const name = (el: Element | null) =>
      `${el?.tagName.toLowerCase()}.${[...(el?.classList ?? [])].join('.')}`;
    const culprits: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (
        r.width > 0 &&
        r.right > width + 0.5 &&
        !clipped(el) &&
        !(el.parentElement && culprits.includes(name(el.parentElement)))
      )
        culprits.push(`${name(el)} right=${Math.round(r.right)}`);
    }
    // Text too: an unbreakable word overflows its box without the box growing.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5 && !clipped(n))
        culprits.push(
          `text in ${name(n.parentElement)} right=${Math.round(r.right)}: ${(n.textContent ?? '').slice(0, 40)}`,
        );
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 12) };
  }, PHONE.width);
}

describe('phone layout', () => {
  it('no tab is wider than a 390 px phone after a run', async () => {
    const page = await h.open('', (p) => p.setViewportSize(PHONE));
    const wide: Record<string, { scrollWidth: number; culprits: string[] }> = {};
    const check = async (lab: string) => {
      const o = await overflow(page);
      if (o.scrollWidth > PHONE.width) wide[lab] = o;
    };
    await tourLabs(page, check);
    await chatOnce(page, 'Hello there', ' ');
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await expect.poll(() => stop.isDisabled()).toBe(true);
    await check('Chat');
    expect(wide).toEqual({});
  });

  it('Saved runs keeps Replay, JSON, CSV and Delete on screen, and the page as wide as the phone', async () => {
    const page = await h.open('#/token-stats', (p) => p.setViewportSize(PHONE));
    await openTab(page, 'Token stats');
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.click();
    await expect.poll(() => run.isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByRole('button', { name: 'Save to library' }).click();
    const saved = page.getByRole('region', { name: 'Saved runs' });
    await expect.poll(() => saved.getByRole('button', { name: /^Delete / }).count()).toBe(2);
    for (const box of await saved.getByRole('checkbox', { name: 'Compare' }).all()) await box.check();
    await saved.getByRole('table', { name: 'Run comparison' }).waitFor();

    for (const name of [/^Replay /, /^JSON of /, /^CSV of /, /^Delete /]) {
      for (const button of await saved.getByRole('button', { name }).all()) {
        const box = (await button.boundingBox())!;
        expect(box.x, `${String(name)} left edge`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${String(name)} right edge`).toBeLessThanOrEqual(PHONE.width);
      }
    }
    expect(await overflow(page)).toMatchObject({ culprits: [] });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });

  it('the wire inspector gives the frame text most of a 390 px screen', async () => {
    const page = await h.open('#/token-stats', (p) => p.setViewportSize(PHONE));
    await openTab(page, 'Token stats');
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.click();
    await expect.poll(() => run.isEnabled()).toBe(true);
    const wire = page.getByRole('region', { name: 'Wire inspector' });
    const frame = wire.locator('code.raw').filter({ hasText: 'data: {' }).first();
    await frame.waitFor();
    const box = (await frame.locator('xpath=ancestor::td[1]').boundingBox())!;
    // The frame's cell gets the width (≥ 250 px), and all of it is on screen.
    expect(box.width).toBeGreaterThanOrEqual(250);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    // Still labelled: the frame's number, time and kind stay beside it.
    const row = frame.locator('xpath=ancestor::tr[1]');
    const cells = row.locator('td');
    expect(await cells.nth(1).textContent()).toMatch(/^\d+\.\d$/);
    for (const cell of await cells.all()) {
      const b = (await cell.boundingBox())!;
      expect(b.x + b.width, 'every cell on screen').toBeLessThanOrEqual(PHONE.width);
    }
    expect(await row.locator('.tag').count()).toBeGreaterThan(0);
    expect(await row.locator('.tag').first().isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });
});
