/**
 * Every lab, end to end in Chromium, against the local SSE server (and the simulator where the
 * simulator is the point, e.g. logprobs).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HELD_STALL_SECONDS, KEY, connect, openOnServer, useHarness } from './harness';

const h = useHarness();

const openLab = (hash: string, model: string, remember = false): Promise<Page> =>
  openOnServer(h, hash, model, remember);

const chatRequests = () => h.api.requests.filter((r) => r.url === '/v1/chat/completions');
const output = (page: Page) => page.getByRole('region', { name: 'Output' });
const idle = (page: Page) =>
  expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);

describe('labs', () => {
  // How LLMs generate has its own file: tests/e2e/generate.test.ts.

  it('Streaming vs non-streaming: runs stream:false then streamed and compares first-character times', async () => {
    const page = await openLab('#/compare', 'test-model');
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    const bodies = chatRequests()
      .slice(-2)
      .map((r) => r.body);
    expect(bodies.map((b) => b?.stream)).toEqual([false, true]);
    const table = page.getByRole('table', { name: 'Latency comparison' });
    expect(await table.textContent()).toMatch(/Non-streaming.*\d\.\d\d s.*Streaming.*\d\.\d\d s/s);
    expect(await page.getByText(/Streaming showed the first character/).textContent()).toMatch(/-?\d+%/);
    expect(await output(page).textContent()).toContain('Hello from the test server.');
  });

  it('Live markdown: renders headings, code and tables, and drops the cursor at the end', async () => {
    const page = await openLab('#/live-markdown', 'markdown');
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    const out = output(page);
    await out.getByRole('heading', { name: 'Title' }).waitFor();
    expect(await out.locator('strong').textContent()).toBe('bold');
    expect(await out.locator('code.language-python').textContent()).toContain('print(1)');
    expect(await out.getByRole('table').count()).toBe(1);
    expect(await out.locator('.cursor').count()).toBe(0);
  });

  it('Word detection: finds a watch word split across two chunks, once, with its chunk', async () => {
    const page = await openLab('#/word-detection', 'split-words');
    await page.getByLabel('Watch words').fill('neural, Deep, learning, transformer');
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    const found = page.getByRole('region', { name: 'Detections' });
    await expect.poll(() => found.textContent()).toContain('Found 3/4');
    const items = await found.getByRole('listitem').allTextContents();
    expect(items).toHaveLength(3);
    expect(items[0]).toMatch(/neural at \d+ ms, in chunk 2/);
    expect(items[1]).toMatch(/Deep at \d+ ms, in chunk 3/);
    expect(items[2]).toMatch(/learning at \d+ ms, in chunk 4/);
    expect(await found.textContent()).toContain('Not found: transformer');
    expect(await output(page).locator('mark').allTextContents()).toEqual(['Neural', 'dee' + 'p', 'learning']);
  });

  it('Early stop: aborts at the phrase, and the phrase chunk is the last one the server sends', async () => {
    const page = await openLab('#/early-stop', 'count');
    await page.getByLabel('Stop phrase').fill('10');
    // The server holds the stream right after the chunk "10": only the phrase itself can stop it.
    const gate = h.api.hold('count');
    await page.getByRole('button', { name: 'Run' }).click();
    const served = await gate.reached;
    const result = page.getByRole('region', { name: 'Early stop result' });
    await expect.poll(() => result.textContent()).toContain('Stopped');
    await expect.poll(() => served.clientAborted).toBe(true);
    // The connection closed while held, so the phrase chunk was the last one written.
    const phraseWrite = served.writes.findIndex((w) => w.text.includes('"10\\n"'));
    expect(phraseWrite).toBeGreaterThan(0);
    expect(served.writes.length - 1).toBe(phraseWrite);
    gate.release();
    await expect.poll(() => result.textContent()).toMatch(/Tokens received: \d+ estimated/);
    expect(await result.locator('pre').textContent()).toMatch(/9\n10$/);
    expect(await page.getByTestId('incomplete').count()).toBe(1);
  });

  it('Early stop: the API stop parameter ends the stream on the server instead', async () => {
    const page = await openLab('#/early-stop', 'test-model');
    await page.getByLabel('Stop phrase').fill('server');
    await page.getByLabel(/API stop parameter/).check();
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(chatRequests().at(-1)!.body).toMatchObject({
      stop: ['server'],
      stream_options: { include_usage: true },
    });
    await page.getByRole('region', { name: 'Server-side stop result' }).waitFor();
  });

  it('Token stats: usage from the final chunk, the metrics, and the chart', async () => {
    const page = await openLab('#/token-stats', 'test-model');
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    expect(chatRequests().at(-1)!.body).toMatchObject({ stream_options: { include_usage: true } });
    const stats = page.getByRole('table', { name: 'Statistics' });
    const row = async (name: string) =>
      (await stats.getByRole('row', { name: new RegExp(name) }).textContent()) ?? '';
    expect(await row('Prompt tokens')).toContain('9');
    expect(await row('Completion tokens')).toContain('6');
    expect(await row('Completion tokens')).not.toContain('estimated');
    expect(await row('Chunks received')).toContain('9 (6 with text)');
    expect(await row('Time to first token')).toMatch(/\d+(\.\d)? ms/);
    await page.locator('.uplot canvas').first().waitFor();
    // The chart was drawn live and ends holding every chunk, not the data it was created with.
    await expect
      .poll(() => page.getByRole('slider', { name: /Chunk arrival chart/ }).getAttribute('data-points'))
      .toBe('6');
  });

  it('Chat: the second turn sends system, user, assistant, user — and history survives a reload', async () => {
    const page = await openLab('#/chat', 'test-model');
    await page.getByLabel('System prompt').fill('Be brief.');
    await page.getByLabel('System prompt').blur();
    await page.getByLabel('Message').fill('What is a function?');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => log.getByRole('listitem').count()).toBe(2);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(false);
    await page.getByLabel('Message').fill('Show an example.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => log.getByRole('listitem').count()).toBe(4);
    await expect.poll(() => log.textContent()).toMatch(/Show an example\..*Hello from the test server\..*$/s);

    const second = chatRequests().at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(second.messages[0]!.content).toBe('Be brief.');
    expect(second.messages[2]!.content).toBe('Hello from the test server.');

    await page.reload();
    await page.getByRole('tab', { name: 'Chat' }).waitFor();
    const restored = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => restored.getByRole('listitem').count()).toBe(4);
    expect(await page.getByLabel('System prompt').inputValue()).toBe('Be brief.');

    await page.getByRole('button', { name: 'Clear history' }).click();
    await expect.poll(() => restored.getByRole('listitem').count()).toBe(0);
    expect(await page.getByLabel('System prompt').inputValue()).toBe('Be brief.');
  });

  it('Chat: a stopped reply stays in the history as interrupted and can be retried', async () => {
    // The key is remembered so the retry after the reload is authorised.
    const page = await openLab('#/chat', 'slow', true);
    await page.getByLabel('Message').fill('Go on.');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => log.textContent()).toContain('w3');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await log.getByText('interrupted').waitFor();
    expect(await log.textContent()).toContain('w3');
    await page.reload();
    await page.getByRole('region', { name: 'Output' }).getByText('interrupted').waitFor();
    const sent = chatRequests().length;
    await page.getByRole('button', { name: 'Retry reply' }).click();
    await expect.poll(() => chatRequests().length).toBe(sent + 1);
    expect(chatRequests().at(-1)!.body?.messages).toEqual([
      { role: 'system', content: 'You are a helpful coding tutor. Keep responses concise.' },
      { role: 'user', content: 'Go on.' },
    ]);
    await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain('w2');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('region', { name: 'Output' }).getByText('interrupted').waitFor();
  });

  it('Chat: a stopped reply is marked interrupted even when its tokens cannot be counted', async () => {
    // A stopped reply carries no usage, so its run counts tokens in a worker before it settles;
    // a counting worker whose script cannot load must not leave the reply unsettled.
    let asked = false;
    const page = await h.open('#/chat', (p) =>
      p.context().route('**/assets/token-worker-*.js', (route) => {
        asked = true;
        return route.abort();
      }),
    );
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'slow',
      stallSeconds: HELD_STALL_SECONDS,
    });
    await page.getByLabel('Message').fill('Go on.');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = output(page);
    await expect.poll(() => log.textContent()).toContain('w3');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await log.getByText('interrupted').waitFor({ timeout: 10_000 });
    expect(asked).toBe(true);
    expect(await log.textContent()).toContain('w3');
  });
});
