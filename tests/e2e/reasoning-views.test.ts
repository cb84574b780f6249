/**
 * Reasoning and tool calls as the learner sees them, in Chromium against the local SSE server's
 * reasoning and tool-call scenarios. Where something must be true while the stream runs, the
 * server holds the stream at gate 'reasoned' (after the reasoning, before the answer).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ANSWER_TEXT, BAD_ARGS, REASONING_TEXT, TOKYO_ARGS, WEATHER_ARGS } from '../server/sse-server';
import { KEY, connect, connectHeld, openTab, useHarness } from './harness';

const h = useHarness();

const pretty = (args: string) => JSON.stringify(JSON.parse(args), null, 2);

/** Runs the lab on screen and waits for its end: "Save to library" appears with a run, enabled once it ended. */
async function runToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const save = page.getByRole('button', { name: 'Save to library' });
  await save.waitFor();
  await expect.poll(() => save.isEnabled()).toBe(true);
}

describe('reasoning lane', () => {
  it('in Live markdown, streams reasoning in its own lane while Output stays empty; it never reaches the markdown', async () => {
    const page = await h.open('#/live-markdown');
    await connectHeld(page, h.api.baseURL, 'reasoning-content');
    await openTab(page, 'Live markdown');
    const output = page.getByRole('region', { name: 'Output' });
    // Note any moment the answer's region holds reasoning text, not only the moments we look.
    await output.evaluate((el) => {
      (window as unknown as { ponderInOutput: boolean }).ponderInOutput = false;
      new MutationObserver(() => {
        if (el.innerHTML.includes('PONDER'))
          (window as unknown as { ponderInOutput: boolean }).ponderInOutput = true;
      }).observe(el, { subtree: true, childList: true, characterData: true });
    });

    const gate = h.api.hold('reasoned');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await gate.reached;
    const lane = page.getByRole('region', { name: 'Reasoning' });
    await expect.poll(() => lane.textContent()).toContain(REASONING_TEXT);
    expect(await lane.isVisible()).toBe(true);
    // Held before the first answer piece: Output has nothing but the cursor.
    expect((await output.innerText()).replace('▌', '').trim()).toBe('');
    expect(await output.locator('[aria-label="Reasoning"]').count()).toBe(0);

    gate.release();
    await expect.poll(() => output.textContent()).toContain('ANSWER-OK');
    // Busy since the gate held it: false now means the run has ended.
    await expect.poll(() => output.getAttribute('aria-busy')).toBe('false');
    expect(await output.textContent()).toContain(ANSWER_TEXT);
    expect(await output.innerHTML()).not.toContain('PONDER');
    expect(await page.evaluate(() => (window as unknown as { ponderInOutput: boolean }).ponderInOutput)).toBe(
      false,
    );
    // The lane stays, above the answer and outside it, with the whole reasoning.
    expect(await lane.textContent()).toContain(REASONING_TEXT);
    expect(await lane.textContent()).not.toContain('ANSWER-OK');
    const above = await page.evaluate(() => {
      const [laneEl, outputEl] = ['Reasoning', 'Output'].map((name) =>
        document.querySelector(`section[aria-label="${name}"]`),
      );
      return (
        !!laneEl &&
        !!outputEl &&
        !!(laneEl.compareDocumentPosition(outputEl) & Node.DOCUMENT_POSITION_FOLLOWING)
      );
    });
    expect(above).toBe(true);
  });

  it('shows OpenRouter-style reasoning (after a comment line) the same way, once', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'reasoning-field' });
    await openTab(page, 'Basic streaming');
    await runToEnd(page);
    const lane = page.getByRole('region', { name: 'Reasoning' });
    // reasoning and reasoning_details carry the same text: it is shown once, not twice.
    expect(await lane.textContent()).toBe(REASONING_TEXT);
    const output = page.getByRole('region', { name: 'Output' });
    expect(await output.textContent()).toContain(ANSWER_TEXT);
    expect(await output.textContent()).not.toContain('PONDER');
  });
});

describe('tool call cards', () => {
  async function toolRun(model: string): Promise<Page> {
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model });
    await openTab(page, 'Basic streaming');
    await runToEnd(page);
    return page;
  }

  it('shows a get_weather call inside Output with its arguments pretty-printed once complete', async () => {
    const page = await toolRun('tool-call');
    const output = page.getByRole('region', { name: 'Output' });
    const card = output.getByRole('article', { name: 'Tool call: get_weather' });
    expect(await card.textContent()).toContain('call_weather_paris');
    expect(await card.getByLabel('Arguments').textContent()).toBe(pretty(WEATHER_ARGS));
    expect(await card.getByRole('note').count()).toBe(0);
  });

  it('shows parallel calls as one card each, in the order they began', async () => {
    const page = await toolRun('parallel-tool-calls');
    const cards = page.getByRole('region', { name: 'Output' }).getByRole('article');
    expect(await cards.count()).toBe(2);
    expect(await cards.nth(0).getByLabel('Arguments').textContent()).toBe(pretty(WEATHER_ARGS));
    expect(await cards.nth(1).getByLabel('Arguments').textContent()).toBe(pretty(TOKYO_ARGS));
    // The run's one-line summary counts the calls, not only the (absent) answer chunks.
    expect(await page.locator('p.summary').textContent()).toMatch(/2 tool calls in \d+ pieces/);
  });

  it('marks arguments that are not valid JSON and shows them as they arrived', async () => {
    const page = await toolRun('bad-tool-args');
    const card = page.getByRole('region', { name: 'Output' }).getByRole('article', { name: /get_weather/ });
    expect(await card.getByRole('note').textContent()).toContain('Arguments are not valid JSON');
    expect(await card.getByLabel('Arguments').textContent()).toBe(BAD_ARGS);
  });

  it('says the stream carried another choice and shows only choice 0', async () => {
    const page = await toolRun('two-choices');
    const output = page.getByRole('region', { name: 'Output' });
    const text = await output.textContent();
    expect(text).toContain('Choice zero says hello.');
    expect(text).not.toContain('goodbye');
    expect(text).toContain('The stream also carried choice 1 (n > 1); only choice 0 is shown.');
  });
});

describe('Chat keeps reasoning', () => {
  it('keeps a reply’s reasoning collapsed in history, after a reload too, and never sends it back', async () => {
    const page = await h.open('#/chat');
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'reasoning-content',
      remember: true,
    });
    await openTab(page, 'Chat');
    const log = page.getByRole('region', { name: 'Output' });

    const gate = h.api.hold('reasoned');
    await page.getByLabel('Message').fill('Hi');
    await page.getByRole('button', { name: 'Send' }).click();
    await gate.reached;
    // Live: the reply's reasoning is open while it streams, and no answer text yet.
    const live = log.getByRole('group', { name: 'Reasoning' });
    await expect.poll(() => live.innerText()).toContain('PONDER');
    gate.release();
    await expect.poll(() => log.getAttribute('aria-busy')).toBe('false');
    await expect.poll(() => log.textContent()).toContain('ANSWER-OK');

    async function expectCollapsedReasoning() {
      const reasoning = log.getByRole('group', { name: 'Reasoning' });
      expect(await reasoning.count()).toBe(1);
      expect(await reasoning.getAttribute('open')).toBeNull();
      expect(await reasoning.getByText(/PONDER/).isVisible()).toBe(false);
      await reasoning.locator('summary').click();
      await expect.poll(() => reasoning.getByText(/PONDER/).isVisible()).toBe(true);
      expect(await reasoning.textContent()).toContain(REASONING_TEXT);
      // The answer's markdown holds only the answer.
      expect(await log.locator('.markdown').first().textContent()).toContain('ANSWER-OK');
      expect(await log.locator('.markdown').first().textContent()).not.toContain('PONDER');
    }
    await expectCollapsedReasoning();

    await page.reload();
    await expect.poll(() => log.textContent()).toContain('ANSWER-OK');
    await expectCollapsedReasoning();

    // A second turn sends the history as role and content: the reasoning stays here.
    const posts = () => h.api.requests.filter((r) => r.method === 'POST');
    const before = posts().length;
    await page.getByLabel('Message').fill('And again?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => posts().length).toBeGreaterThan(before);
    const sent = posts().at(-1)!.body as { messages: Record<string, unknown>[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.stringify(sent.messages)).not.toContain('PONDER');
    expect(sent.messages.every((m) => Object.keys(m).sort().join() === 'content,role')).toBe(true);
  });
});

describe('accessibility of the new views', () => {
  /** axe-core's violations on the page as it is, one line each. */
  async function axe(page: Page): Promise<string[]> {
    const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(source);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
    )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('the reasoning lane, a tool card marked invalid, and Chat with reasoning pass axe-core', async () => {
    const failures: string[] = [];
    for (const [model, shown] of [
      ['reasoning-content', 'region'],
      ['bad-tool-args', 'note'],
    ] as const) {
      const page = await h.open('#/basic-streaming');
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model });
      await openTab(page, 'Basic streaming');
      await runToEnd(page);
      await (
        shown === 'region' ? page.getByRole('region', { name: 'Reasoning' }) : page.getByRole('note')
      ).waitFor();
      failures.push(...(await axe(page)).map((v) => `${model}: ${v}`));
    }

    const page = await h.open('#/chat');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'reasoning-content' });
    await openTab(page, 'Chat');
    await page.getByLabel('Message').fill('Hi');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => log.textContent()).toContain('ANSWER-OK');
    await log.getByRole('group', { name: 'Reasoning' }).locator('summary').click();
    failures.push(...(await axe(page)).map((v) => `chat: ${v}`));
    expect(failures).toEqual([]);
  });
});
