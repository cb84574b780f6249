/**
 * The API choice as the learner uses it, in Chromium against the local SSE server: an existing
 * lab (Basic streaming) switched to Responses streams the answer and the reasoning summary apart,
 * shows Responses events on the wire and exports `api: 'responses'`; Test connection says whether
 * an endpoint answers /responses; Compare runs both halves by Responses; a background response
 * cut by the server is resumed with "Resume from event N" as the same run; sequence gaps are said.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  ANSWER_TEXT,
  BACKGROUND_PIECES,
  HELLO,
  REASONING_TEXT,
  startServer,
  type RecordedRequest,
} from '../server/sse-server';
import { KEY, connect, exportRun, openOnServer, openTab, useHarness } from './harness';

const h = useHarness();

/** Picks the API in the connection panel (by the choice's exact name) and saves it. */
async function chooseApi(page: Page, choice: 'Chat Completions' | 'Responses'): Promise<void> {
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
  // Exact: "API key" is a label too.
  await page.getByLabel('API', { exact: true }).selectOption({ label: choice });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
}

/** Runs the lab on screen and waits for its end: "Save to library" appears with a run, enabled once it ended. */
async function runToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const save = page.getByRole('button', { name: 'Save to library' });
  await save.waitFor();
  await expect.poll(() => save.isEnabled()).toBe(true);
}

/** The requests for `model` the server received since request number `from`. */
const sent = (model: string, from = 0): RecordedRequest[] =>
  h.api.requests.slice(from).filter((r) => r.body?.model === model);
const path = (r: RecordedRequest) => `${r.method} ${r.url.split('?')[0]}`;

describe('an existing lab on the Responses API', () => {
  it('Basic streaming: the answer in Output, the reasoning summary in Reasoning, Responses events on the wire, api in the export', async () => {
    const page = await openOnServer(h, '#/basic-streaming', 'resp-reasoning');
    await chooseApi(page, 'Responses');
    await openTab(page, 'Basic streaming');
    expect(await page.getByRole('tabpanel').textContent()).toContain('via POST /responses');
    const from = h.api.requests.length;
    await runToEnd(page);

    expect(sent('resp-reasoning', from).map(path)).toEqual(['POST /v1/responses']);
    const output = page.getByRole('region', { name: 'Output' });
    expect(await output.textContent()).toContain(ANSWER_TEXT);
    expect(await output.textContent()).not.toContain('PONDER');
    const reasoning = page.getByRole('region', { name: 'Reasoning' });
    expect(await reasoning.textContent()).toContain(REASONING_TEXT);

    const wire = page.getByRole('region', { name: 'Wire inspector' });
    const shown = (await wire.textContent()) ?? '';
    expect(shown).toContain('event: response.created');
    expect(shown).toContain('event: response.output_text.delta');
    for (const label of ['created', 'text delta', 'completed']) expect(shown).toContain(label);
    expect(shown).not.toContain('[DONE]');

    const file = await exportRun(page);
    expect(file.request).toMatchObject({ api: 'responses', model: 'resp-reasoning', stream: true });
    expect(file.text).toBe(ANSWER_TEXT);
    expect((file.reasoning as { text: string }).text).toBe(REASONING_TEXT);
    expect(JSON.stringify(file)).not.toContain(KEY);
  });

  it('Show code follows the API: client.responses.create and a loop over event types', async () => {
    const page = await openOnServer(h, '#/basic-streaming', 'resp-reasoning');
    await openTab(page, 'Basic streaming');
    const code = page
      .locator('details:visible')
      .filter({ has: page.locator('summary', { hasText: 'Show code' }) });
    await code.locator('summary').click();
    const python = () => code.locator('code.language-python').textContent();
    expect(await python()).toContain('client.chat.completions.create(');
    await chooseApi(page, 'Responses');
    expect(await python()).toContain('client.responses.create(');
    expect(await python()).toContain('if event.type == "response.output_text.delta":');
    expect(await python()).not.toContain('chat.completions');
  });

  it('says which form fields Responses cannot send', async () => {
    const page = await openOnServer(h, '#/token-stats', 'resp-reasoning');
    await openTab(page, 'Token stats');
    const form = page.getByRole('tabpanel');
    expect(await form.textContent()).not.toContain('Not sent with Responses');
    await chooseApi(page, 'Responses');
    await expect
      .poll(() => form.textContent())
      .toMatch(
        /Not sent with Responses: stream_options\.include_usage.*usage always comes with response\.completed/s,
      );
  });

  it('reports events out of order in words', async () => {
    const page = await openOnServer(h, '#/basic-streaming', 'resp-gap');
    await chooseApi(page, 'Responses');
    await openTab(page, 'Basic streaming');
    await runToEnd(page);
    const note = page.getByRole('note', { name: 'Sequence numbers' });
    expect(await note.textContent()).toContain('Events arrived out of order');
    expect(await note.textContent()).toContain('expected 5, got 6 — 1 event missing');
  });
});

describe('Test connection', () => {
  it('says the test server answers /responses, and a server without it does not', async () => {
    const without = await startServer({ keys: [KEY], responses: false });
    try {
      for (const [baseURL, said] of [
        [h.api.baseURL, /speaks the Responses API/],
        [without.baseURL, /no Responses API: POST \/responses answered 404/],
      ] as const) {
        const page = await h.open();
        await connect(page, { provider: 'Custom', baseURL, key: KEY, model: 'test-model' });
        await page.getByRole('button', { name: 'Connection', exact: true }).click();
        await page.getByRole('button', { name: 'Test connection' }).click();
        await page.getByText(/Connected: \d+ models available/).waitFor();
        const panel = page.getByRole('form', { name: 'Connection' });
        await expect.poll(() => panel.textContent()).toMatch(said);
      }
      expect(without.requests.some((r) => r.url === '/v1/responses')).toBe(true);
    } finally {
      await without.close();
    }
  });
});

describe('Streaming vs non-streaming on Responses', () => {
  it('sends both halves to /responses, stream false then true, and shows both answers', async () => {
    const page = await openOnServer(h, '#/compare', 'resp-reasoning');
    await chooseApi(page, 'Responses');
    await openTab(page, 'Streaming vs non-streaming');
    const from = h.api.requests.length;
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    const requests = sent('resp-reasoning', from);
    expect(requests.map(path)).toEqual(['POST /v1/responses', 'POST /v1/responses']);
    expect(requests.map((r) => r.body?.stream)).toEqual([false, true]);
    const output = (await page.getByRole('region', { name: 'Output' }).textContent()) ?? '';
    expect(output.split(ANSWER_TEXT)).toHaveLength(3);
    expect(await page.getByRole('table', { name: 'Latency comparison' }).textContent()).toMatch(
      /Non-streaming.*\d\.\d\d s.*Streaming.*\d\.\d\d s/s,
    );
  });
});

describe('a cut background response', () => {
  it('Resume from event N continues the same run to the end of the answer', async () => {
    const page = await openOnServer(h, '#/basic-streaming', 'resp-background-cut');
    await chooseApi(page, 'Responses');
    await openTab(page, 'Basic streaming');
    await page.getByLabel('Background response').check();
    expect(await page.getByRole('button', { name: /Resume from event/ }).count()).toBe(0);

    // The server drops the socket once the test lets it past the gate: a real cut.
    const gate = h.api.hold('resp-cut');
    const sentBefore = h.api.requests.length;
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await gate.reached;
    gate.release();
    const resume = page.getByRole('button', { name: /^Resume from event \d+$/ });
    await resume.waitFor();
    expect(await page.getByRole('alert').count()).toBeGreaterThan(0);
    const output = page.getByRole('region', { name: 'Output' });
    const cutText = ((await output.textContent()) ?? '').replace('▌', '');
    expect(cutText).not.toContain('END-OF-ANSWER');
    const [first] = sent('resp-background-cut', sentBefore);
    expect(first!.body).toMatchObject({ background: true, stream: true });
    const from = Number((await resume.textContent())!.match(/\d+/)![0]);

    await resume.click();
    await expect.poll(() => output.textContent()).toContain(BACKGROUND_PIECES.join(''));
    await expect.poll(() => output.getAttribute('aria-busy')).toBe('false');
    const retrieve = h.api.requests
      .filter((r) => r.method === 'GET' && r.url.includes('/v1/responses/'))
      .at(-1)!;
    expect(retrieve.url).toContain('stream=true');
    expect(retrieve.url).toContain(`starting_after=${from - 1}`);
    expect(await page.getByRole('button', { name: /Resume from event/ }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('tabpanel').textContent()).toContain('resumed: 2 connections');

    // One run: the export has the whole answer on one timeline, chunks in time order.
    const file = await exportRun(page);
    expect(file.text).toBe(BACKGROUND_PIECES.join(''));
    const times = (file.chunks as { t: number }[]).map((c) => c.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(file.request).toMatchObject({ api: 'responses', background: true });
  });

  it('Chat Completions offers no background and no resume', async () => {
    const page = await openOnServer(h, '#/basic-streaming', 'plain');
    await openTab(page, 'Basic streaming');
    expect(await page.getByLabel('Background response').count()).toBe(0);
    await runToEnd(page);
    expect(await page.getByRole('region', { name: 'Output' }).textContent()).toContain(HELLO.join(''));
  });
});
