/**
 * Guided learning in Chromium: each lab's "Try this" steps, ticks kept across a reload, checks
 * that quote the learner's own run, the Recap, the two-layer statistics, and definitions reached
 * by keyboard focus.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEY, connect, openTab, useHarness, storedRecord } from './harness';

const h = useHarness();
const require = createRequire(import.meta.url);

const tryThis = (page: Page) => page.getByRole('tabpanel').getByRole('region', { name: /Try this/ });

async function runAndWait(page: Page): Promise<void> {
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  await expect.poll(() => run.isEnabled()).toBe(true);
}

/** The progress record as IndexedDB holds it (what a reload will read). */
const storedProgress = (page: Page): Promise<unknown> => storedRecord(page, 'progress:guide');

describe('guided learning', () => {
  it('shows a lab its numbered steps and keeps a tick across a reload', async () => {
    const page = await h.open('#/basic-streaming');
    const guide = tryThis(page);
    // The app mounts after the shell has painted (src/main.ts): wait for the steps, then count.
    await guide.getByRole('listitem').first().waitFor();
    expect(await guide.getByRole('listitem').count()).toBe(3);
    const second = guide.getByRole('checkbox').nth(1);
    expect(await second.isChecked()).toBe(false);
    await second.check();
    await expect.poll(() => storedProgress(page)).toEqual({ version: 1, data: { 'basic-streaming': [2] } });
    await page.reload();
    await expect.poll(() => tryThis(page).getByRole('checkbox').nth(1).isChecked()).toBe(true);
    expect(await tryThis(page).getByRole('checkbox').nth(0).isChecked()).toBe(false);
    expect(await tryThis(page).getByRole('heading').textContent()).toContain('1 of 3 done');
  });

  it("Chat's check, once the reply is over, counts what the last request sent (the system prompt and the message)", async () => {
    const page = await h.open('#/chat');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
    await expect
      .poll(() => tryThis(page).textContent())
      .toMatch(/Your last request sent 2 messages to get one reply\. Its first text came at \d+\.\d\d s\./);
  });

  it("Compare's check quotes the learner's own first-text and total times", async () => {
    const page = await h.open('#/compare');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    expect(await tryThis(page).textContent()).toContain('After a run');
    await runAndWait(page);
    const cells = async (row: RegExp) =>
      page.getByRole('row', { name: row }).getByRole('cell').allTextContents();
    const [whole] = await cells(/^Non-streaming/);
    const [first, total] = await cells(/^Streaming/);
    expect(whole).toMatch(/^\d+\.\d\d s$/);
    const check = await tryThis(page).textContent();
    expect(check).toContain(`Your first text came at ${first} streaming instead of ${whole}`);
    expect(check).toContain(`totals were ${total} and ${whole}`);
    const why = tryThis(page).getByText(/Streaming does not make the model generate faster/);
    expect(await why.isVisible()).toBe(false);
    await tryThis(page).getByText('Show why').click();
    expect(await why.isVisible()).toBe(true);
  });

  it("Word detection's check shows where a watch word was split across chunks", async () => {
    const page = await h.open('#/word-detection');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'split-words' });
    await page.getByLabel('Watch words').fill('neural, deep, learning, data');
    await runAndWait(page);
    // "data" arrived whole, so only the two split words are listed. The check reads the finished
    // run one task after it ends.
    await expect
      .poll(() => tryThis(page).innerText())
      .toContain(
        'split a watch word across chunks: Ne|ural, chunks 1–2; dee|p, chunks 2–3; lear|ning, chunks 3–4. Would',
      );
  });

  it('Recap lists the takeaways, the best practices and progress per lab, with no Run or Stop', async () => {
    const page = await h.open('#/live-markdown');
    await tryThis(page).getByRole('checkbox').first().check();
    await openTab(page, 'Recap');
    const panel = page.getByRole('tabpanel');
    const text = (await panel.textContent()) ?? '';
    for (const point of [
      'Set stream=True',
      'chunk.choices[0].delta.content',
      'Handle None content',
      'Track both chunks and content',
      'flush=True',
      'include_usage',
      'Early termination',
    ])
      expect(text).toContain(point);
    const progress = panel.getByRole('table', { name: 'Progress by lab' });
    expect(await progress.getByRole('row', { name: /Live markdown/ }).textContent()).toContain('1 of 3');
    expect(await progress.getByRole('row', { name: /Chat/ }).textContent()).toContain('0 of 3');
    expect(await panel.getByRole('button', { name: /run|stop/i }).count()).toBe(0);
    const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(source);
    const violations = await page.evaluate(async () => {
      const result = (await (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run()) as {
        violations: { id: string }[];
      };
      return result.violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
  });

  it('statistics show four plain numbers first and the rest under Advanced', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    await runAndWait(page);
    await page.getByText('Statistics', { exact: true }).click();
    const key = page.getByRole('table', { name: 'Key numbers' });
    // Each plain number has its one-line definition one focus away.
    for (const [name, definition] of [
      [/^First token/, /Time to first token/],
      [/^Total time/, /End-to-end time/],
      [/^Tokens\b(?!\/)/, /Tokens the model generated/],
      [/^Tokens\/s/, /End-to-end rate/],
    ] as const) {
      const term = key.getByRole('row', { name }).getByRole('button');
      await term.focus();
      expect(await key.getByRole('tooltip').textContent()).toMatch(definition);
    }
    const advanced = page.getByRole('table', { name: 'Statistics' });
    expect(await advanced.isVisible()).toBe(false);
    await page.getByText('Advanced', { exact: true }).click();
    // TPOT needs the token count, estimated by the tokenizer when the stream carried no usage.
    await expect
      .poll(() =>
        advanced
          .getByRole('row', { name: /Time per output token/ })
          .getByRole('cell')
          .textContent(),
      )
      .toMatch(/\d ms/);
    expect(await advanced.getByRole('row', { name: /Chunks received/ }).textContent()).toContain(
      '(6 with text)',
    );
  });

  it("a term's definition is one keyboard focus away", async () => {
    const page = await h.open('#/basic-streaming');
    const guide = tryThis(page);
    await guide.getByRole('checkbox').first().focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent,
      described: document.activeElement?.getAttribute('aria-description'),
    }));
    expect(focused.text).toBe('chunk');
    expect(focused.described).toMatch(/One streamed piece of the answer/);
    const tip = guide.getByRole('tooltip');
    expect(await tip.textContent()).toMatch(/One streamed piece of the answer/);
    await page.keyboard.press('Escape');
    expect(await tip.count()).toBe(0);
  });
});
