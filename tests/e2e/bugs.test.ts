/**
 * Issue 13's visible bugs, end to end in Chromium: each test shows the learner-facing symptom is
 * gone, and fails with the bug put back. Order, not speed: streams are held at gates.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { KEY, connect, dropOnceShown, openOnServer, useHarness, storedRecord } from './harness';

const h = useHarness();

const openLab = (hash: string, model: string, remember = false): Promise<Page> =>
  openOnServer(h, hash, model, remember);

const output = (page: Page) => page.getByRole('region', { name: 'Output' });
const idle = (page: Page) =>
  expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);

/**
 * For every streaming cursor under `scope`: the visible text that follows it inside its markdown
 * view (empty when the cursor is at the live end), and the tag it sits in.
 */
function textAfterCursors(scope: Locator): Promise<{ after: string; parent: string }[]> {
  return scope.evaluate((root) =>
    [...root.querySelectorAll('.markdown .cursor')].map((cursor) => {
      const view = cursor.closest('.markdown')!;
      const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
      let after = '';
      let past = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (cursor.contains(n)) past = true;
        else if (past) after += n.textContent ?? '';
      }
      return { after: after.trim(), parent: cursor.parentElement!.tagName };
    }),
  );
}

/** The chat draft as stored in the app's IndexedDB record (undefined until written). */
const storedDraft = async (page: Page): Promise<unknown> =>
  ((await storedRecord(page, 'conversation:chat')) as { data?: { draft?: unknown } } | undefined)?.data
    ?.draft;

describe('issue 13 bugs', () => {
  describe('Early stop verdict (bug 1)', () => {
    it('a run stopped by hand says the learner stopped it before the phrase, not "Completed"', async () => {
      const page = await openLab('#/early-stop', 'count');
      await page.getByLabel('Stop phrase').fill('zzz');
      const gate = h.api.hold('count');
      await page.getByRole('button', { name: 'Run' }).click();
      await gate.reached;
      await expect.poll(() => output(page).textContent()).toContain('10');
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      const result = page.getByRole('region', { name: 'Early stop result' });
      await expect
        .poll(() => result.textContent())
        .toMatch(/Stopped by you before “zzz” appeared \(14 chunks\)/);
      expect(await result.textContent()).not.toContain('Completed');
      expect(await page.getByTestId('incomplete').textContent()).toContain('stopped before the end');
      gate.release();
    });

    it('a run that ends without the phrase says "Completed without finding"', async () => {
      const page = await openLab('#/early-stop', 'count');
      await page.getByLabel('Stop phrase').fill('zzz');
      await page.getByRole('button', { name: 'Run' }).click();
      await idle(page);
      const result = page.getByRole('region', { name: 'Early stop result' });
      expect(await result.textContent()).toContain('Completed without finding “zzz” (24 chunks)');
    });

    it('a run that fails says it failed, not "Completed"', async () => {
      const page = await openLab('#/early-stop', 'drop');
      await page.getByLabel('Stop phrase').fill('zzz');
      await dropOnceShown(h.api, output(page), () => page.getByRole('button', { name: 'Run' }).click());
      await page.getByRole('alert').waitFor();
      const result = page.getByRole('region', { name: 'Early stop result' });
      await expect.poll(() => result.textContent()).toMatch(/failed before “zzz” appeared \(2 chunks\)/);
      expect(await result.textContent()).not.toContain('Completed');
    });
  });

  describe('Early stop verdict with the API stop parameter', () => {
    it('a server-side run stopped by hand does not claim the server stopped it', async () => {
      const page = await openLab('#/early-stop', 'count');
      await page.getByLabel('Stop phrase').fill('zzz');
      await page.getByLabel(/API stop parameter/).check();
      const gate = h.api.hold('count');
      await page.getByRole('button', { name: 'Run' }).click();
      await gate.reached;
      await expect.poll(() => output(page).textContent()).toContain('10');
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      const result = page.getByRole('region', { name: 'Server-side stop result' });
      await expect
        .poll(() => result.textContent())
        .toContain('Stopped by you before the server ended the stream (14 chunks)');
      expect(await result.textContent()).not.toContain('The server stopped');
      gate.release();
    });
  });

  describe('Early stop speed control', () => {
    it('slows the simulator enough to stop a run by hand, and is shown only for the simulator', async () => {
      const page = await h.open('#/early-stop');
      const speed = page.getByLabel('Simulated speed');
      await speed.selectOption({ label: 'Very slow' });
      await page.getByLabel('Stop phrase').fill('zzz');
      await page.getByRole('button', { name: 'Run' }).click();
      await expect
        .poll(async () => (await output(page).textContent())?.trim().length ?? 0)
        .toBeGreaterThan(1);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      const result = page.getByRole('region', { name: 'Early stop result' });
      await expect.poll(() => result.textContent()).toContain('Stopped by you before “zzz” appeared');
      // The lab's speed is its own: the saved simulator timing is untouched.
      await page.getByRole('button', { name: 'Connection', exact: true }).click();
      expect(await page.getByLabel('Simulated first token (ms)').inputValue()).toBe('350');
      await page.getByRole('button', { name: 'Connection', exact: true }).click();
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'count' });
      expect(await page.getByLabel('Simulated speed').count()).toBe(0);
    });
  });

  describe('streaming cursor (bug 2)', () => {
    it('Live markdown: mid-stream, the cursor sits after the last character, past bold and code spans', async () => {
      const page = await openLab('#/live-markdown', 'markdown-cursor');
      const gate = h.api.hold('markdown-cursor');
      await page.getByRole('button', { name: 'Run' }).click();
      await gate.reached;
      const out = output(page);
      await expect.poll(() => out.textContent()).toContain('small');
      const cursors = await textAfterCursors(out);
      expect(cursors.length).toBeGreaterThan(0);
      for (const c of cursors) {
        expect(c.after).toBe('');
        expect(['STRONG', 'CODE']).not.toContain(c.parent);
      }
      gate.release();
      await idle(page);
      expect(await out.locator('.cursor').count()).toBe(0);
    });

    it('Chat: the live reply keeps its cursor at the end, after a bold or code span', async () => {
      const page = await openLab('#/chat', 'markdown-cursor');
      const gate = h.api.hold('markdown-cursor');
      await page.getByLabel('Message').fill('Principles?');
      await page.getByRole('button', { name: 'Send' }).click();
      await gate.reached;
      const log = page.getByRole('region', { name: 'Output (conversation)' });
      await expect.poll(() => log.textContent()).toContain('small');
      const cursors = await textAfterCursors(log);
      expect(cursors).toHaveLength(1);
      expect(cursors[0]!.after).toBe('');
      gate.release();
      await expect.poll(() => log.textContent()).toContain('and clear.');
    });
  });

  describe('a failed run with nothing received (bug 7)', () => {
    it('says nothing arrived and offers no Save or Export; a partial failed run keeps both', async () => {
      const page = await openLab('#/basic-streaming', 'no-such-model');
      await page.getByRole('button', { name: 'Run' }).click();
      await page.getByRole('alert').waitFor();
      await idle(page);
      const out = output(page);
      expect(await page.getByTestId('incomplete').textContent()).toMatch(/Nothing arrived/);
      expect(await out.textContent()).not.toContain('text above');
      expect(await page.getByRole('button', { name: 'Export JSON' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Save to library' }).count()).toBe(0);

      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'drop' });
      await dropOnceShown(h.api, out, () => page.getByRole('button', { name: 'Run' }).click());
      await expect
        .poll(() => page.getByTestId('incomplete').textContent())
        .toContain('the text above is what arrived');
      await idle(page);
      expect(await out.textContent()).toContain('Dropped here');
      expect(await page.getByRole('button', { name: 'Export JSON' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Save to library' }).count()).toBe(1);
    });
  });

  describe('Chat draft (bug 10)', () => {
    it('a reload restores the unsent message with the conversation; Send still clears it', async () => {
      const page = await openLab('#/chat', 'test-model', true);
      await page.getByLabel('Message').fill('First question');
      await page.getByRole('button', { name: 'Send' }).click();
      const log = page.getByRole('region', { name: 'Output (conversation)' });
      await expect.poll(() => log.textContent()).toContain('Hello from the test server.');
      await page.getByLabel('Message').fill('My half-written follow-up');
      await expect.poll(() => storedDraft(page)).toBe('My half-written follow-up');

      await page.reload();
      const restored = page.getByRole('region', { name: 'Output (conversation)' });
      await expect.poll(() => restored.textContent()).toContain('First question');
      await expect.poll(() => page.getByLabel('Message').inputValue()).toBe('My half-written follow-up');

      await page.getByRole('button', { name: 'Send' }).click();
      await expect
        .poll(() => restored.locator('.user-text').allTextContents())
        .toEqual(['First question', 'My half-written follow-up']);
      await expect.poll(() => page.getByLabel('Message').inputValue()).not.toBe('My half-written follow-up');
    });
  });
});
