/**
 * The "Two wire formats" lab end to end in Chromium, on the offline simulator and on the local SSE
 * server: one prompt sent both ways shows the same answer on both sides; the cost table reads the
 * same frames and bytes as each side's wire inspector (and Responses needs more frames); the
 * Responses timeline lists response.created before the first delta and a final event last; a cut
 * connection leaves Chat Completions with a marked partial answer while Responses resumes to the
 * whole answer; an endpoint without /responses is told in words.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  ANSWER_TEXT,
  BACKGROUND_PIECES,
  HELLO,
  REASONING_TEXT,
  RESPONSE_SCENARIOS,
  SCENARIOS,
  errorReply,
  responseReply,
  startServer,
} from '../server/sse-server';
import { HELD_STALL_SECONDS, KEY, connect, openTab, quickSimulator, useHarness } from './harness';

const h = useHarness();
const LAB = 'Two wire formats';

const runButton = (page: Page) => page.getByRole('button', { name: 'Run', exact: true });
const cutButton = (page: Page) => page.getByRole('button', { name: 'Cut and resume' });
const output = (page: Page, side: 'Chat Completions' | 'Responses') =>
  page.getByRole('region', { name: `Output: ${side}`, exact: true });
const cutOutput = (page: Page, side: 'Chat Completions' | 'Responses') =>
  page.getByRole('region', { name: `Cut stream: ${side}`, exact: true });
const idle = async (page: Page, button: Locator) => {
  await expect.poll(() => button.isEnabled()).toBe(true);
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
};
const num = (text: string) => Number(text.replace(/,/g, ''));
/** Text as read aloud: runs of white space (the markup's line breaks) as one space. */
const flat = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

async function openLab(): Promise<Page> {
  const page = await h.open();
  await openTab(page, LAB);
  return page;
}

/** Makes the simulator quick and its answers exact to count: no jitter, packing or batching. */
async function steadySimulator(page: Page): Promise<void> {
  await quickSimulator(page);
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
  for (const label of [
    'Simulated jitter (0–1)',
    'Simulated multi-token chunks (0–1)',
    'Simulated network batching (0–1)',
  ])
    await page.getByLabel(label, { exact: false }).fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
}

/** Each side's wire inspector summary: reads, bytes, frames, as WireView counts them. */
async function inspected(page: Page): Promise<{ bytes: number; frames: number }[]> {
  const lines = await page
    .getByRole('region', { name: 'Wire inspector' })
    .getByText(/network reads,/)
    .allTextContents();
  return lines.map((line) => {
    const m = /(\d+) network reads, (\d+) bytes, (\d+) SSE frames/.exec(line);
    if (!m) throw new Error(`no wire summary in "${line}"`);
    return { bytes: Number(m[2]), frames: Number(m[3]) };
  });
}

/** The cost table as { row name: [Chat Completions cell, Responses cell] }. */
async function costTable(page: Page): Promise<Record<string, [string, string]>> {
  const rows = page.getByRole('region', { name: 'Wire cost' }).getByRole('row');
  const out: Record<string, [string, string]> = {};
  for (const row of await rows.all()) {
    const head = await row.getByRole('rowheader').allTextContents();
    const cells = await row.getByRole('cell').allTextContents();
    if (head[0] && cells.length === 2) out[head[0].trim()] = [cells[0]!.trim(), cells[1]!.trim()];
  }
  return out;
}

/** The Responses events, in order, from the timeline's text alternative. */
async function events(page: Page): Promise<string[]> {
  await page.getByText(/Events in order/).click();
  const table = page.getByRole('table', { name: 'Responses events in order' });
  return (await table.getByRole('row').allTextContents()).slice(1);
}

async function runBoth(page: Page): Promise<void> {
  await runButton(page).click();
  await idle(page, runButton(page));
}

describe('Two wire formats', () => {
  it('simulator: both formats give the same answer; the cost table is what each wire log holds', async () => {
    const page = await openLab();
    await steadySimulator(page);
    await runBoth(page);
    const chatText = (await output(page, 'Chat Completions').locator('pre').textContent()) ?? '';
    const respText = (await output(page, 'Responses').locator('pre').textContent()) ?? '';
    expect(chatText.length).toBeGreaterThan(20);
    expect(respText).toBe(chatText);

    const [chatWire, respWire] = await inspected(page);
    const cost = await costTable(page);
    expect(num(cost['Frames']![0])).toBe(chatWire!.frames);
    expect(num(cost['Frames']![1])).toBe(respWire!.frames);
    expect(num(cost['Bytes']![0])).toBe(chatWire!.bytes);
    expect(num(cost['Bytes']![1])).toBe(respWire!.bytes);
    expect(num(cost['Answer characters']![0])).toBe(chatText.length);
    expect(num(cost['Answer characters']![1])).toBe(respText.length);
    // The same answer takes more frames and more bytes as typed events.
    expect(respWire!.frames).toBeGreaterThan(chatWire!.frames);
    expect(respWire!.bytes).toBeGreaterThan(chatWire!.bytes);
    expect(cost['Time to first text']![1]).toMatch(/^\d+\.\d ms$/);

    const list = await events(page);
    const created = list.findIndex((r) => r.includes('response.created'));
    const firstDelta = list.findIndex((r) => r.includes('response.output_text.delta'));
    expect(created).toBe(0);
    expect(firstDelta).toBeGreaterThan(created);
    expect(list.at(-1)).toContain('response.completed');
    // The learner's check quotes their own figures.
    await expect
      .poll(() => page.getByText(/Chat Completions sent its/).textContent())
      .toContain(`in ${chatWire!.frames} frames and ${chatWire!.bytes} bytes`);
  });

  it('simulator: a cut leaves Chat Completions partial and marked; Responses resumes to the uncut answer', async () => {
    const page = await openLab();
    await steadySimulator(page);
    await runBoth(page);
    const whole = (await output(page, 'Responses').locator('pre').textContent()) ?? '';
    await page.getByLabel('Cut after (events)').fill('8');
    await cutButton(page).click();
    await idle(page, cutButton(page));

    const chat = cutOutput(page, 'Chat Completions');
    const partial = (await chat.locator('pre').textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(whole.length);
    expect(whole.startsWith(partial)).toBe(true);
    await chat.getByTestId('incomplete').waitFor();
    expect(flat(await page.getByTestId('chat-lost').textContent())).toContain(
      'the answer above is all there is',
    );

    const point = flat(await page.getByTestId('resume-point').textContent());
    expect(point).toMatch(/response resp_\S+, last sequence_number (\d+) → resumed with starting_after=\1/);
    const resp = cutOutput(page, 'Responses');
    expect(await resp.locator('pre').textContent()).toBe(whole);
    const resumed = (await resp.getByTestId('resumed').textContent()) ?? '';
    expect(resumed.length).toBeGreaterThan(0);
    expect(whole.endsWith(resumed)).toBe(true);
    expect(await page.getByTestId('resume-check').textContent()).toContain(
      'exactly the uncut Responses answer',
    );
    expect(await page.getByText(/Gap at the seam/).count()).toBe(1);
  });

  it('local server: both formats show the server’s answer, and Responses costs more frames', async () => {
    const page = await openLab();
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    const from = h.api.requests.length;
    await runBoth(page);
    expect(await output(page, 'Chat Completions').locator('pre').textContent()).toBe(
      'Hello from the test server.',
    );
    expect(await output(page, 'Responses').locator('pre').textContent()).toBe('Hello from the test server.');
    const [chatWire, respWire] = await inspected(page);
    const cost = await costTable(page);
    expect(num(cost['Frames']![0])).toBe(chatWire!.frames);
    expect(num(cost['Frames']![1])).toBe(respWire!.frames);
    expect(respWire!.frames).toBeGreaterThan(chatWire!.frames);
    const list = await events(page);
    expect(list[0]).toContain('response.created');
    expect(list.at(-1)).toContain('response.completed');
    expect(h.api.requests.slice(from).map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /v1/chat/completions', 'POST /v1/responses']),
    );
  });

  it('local server: a reasoning summary gets its own row before the message, and its own Reasoning region', async () => {
    const page = await openLab();
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'resp-reasoning' });
    await runBoth(page);
    expect(await output(page, 'Responses').locator('pre').textContent()).toBe(ANSWER_TEXT);
    expect(await page.getByRole('region', { name: 'Reasoning' }).textContent()).toBe(REASONING_TEXT);
    const list = await events(page);
    const at = (type: string) => list.findIndex((r) => r.includes(type));
    expect(at('response.reasoning_summary_part.added')).toBeGreaterThan(0);
    expect(at('response.reasoning_summary_text.delta')).toBeLessThan(at('response.output_text.delta'));
    // One row per item and per part: the reasoning item and its summary part, the message and its text part.
    const rows = list.map((r) => r.split('response.')[1] ?? '');
    expect(rows.filter((r) => /^reasoning_summary_text\.delta × \d+/.test(r))).toHaveLength(1);
    expect(rows.filter((r) => /^output_text\.delta × \d+/.test(r))).toHaveLength(1);
    expect(
      list.filter((r) => r.includes('output_item.added')).map((r) => /(reasoning|message) \S+$/.exec(r)?.[1]),
    ).toEqual(['reasoning', 'message']);
  });

  it('local server: Stop closes both connections while both are held mid-answer', async () => {
    const held = await startServer({
      keys: [KEY],
      scenarios: { held: SCENARIOS.slow! },
      responseScenarios: { held: RESPONSE_SCENARIOS['resp-background']! },
    });
    try {
      const page = await openLab();
      await connect(page, {
        provider: 'Custom',
        baseURL: held.baseURL,
        key: KEY,
        model: 'held',
        stallSeconds: HELD_STALL_SECONDS,
      });
      const gates = [held.hold('slow'), held.hold('resp-background')] as const;
      await runButton(page).click();
      const [chatRequest, responsesRequest] = await Promise.all([gates[0].reached, gates[1].reached]);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      for (const side of ['Chat Completions', 'Responses'] as const)
        expect(await output(page, side).getByTestId('incomplete').textContent()).toContain('stopped');
      await expect.poll(() => chatRequest.clientAborted && responsesRequest.clientAborted).toBe(true);
      for (const gate of gates) gate.release();
      await idle(page, runButton(page));
    } finally {
      await held.close();
    }
  });

  it('local server: a cut background response resumes with starting_after, Chat Completions stays cut', async () => {
    const page = await openLab();
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'resp-background' });
    const from = h.api.requests.length;
    await page.getByLabel('Cut after (events)').fill('5');
    await cutButton(page).click();
    await idle(page, cutButton(page));
    await cutOutput(page, 'Chat Completions').getByTestId('incomplete').waitFor();
    const sent = h.api.requests.slice(from);
    const resumes = sent.filter((r) => r.method === 'GET' && /\/responses\/[^/?]+\?/.test(r.url));
    expect(resumes).toHaveLength(1);
    const after = /starting_after=(\d+)/.exec(resumes[0]!.url)?.[1];
    expect(flat(await page.getByTestId('resume-point').textContent())).toContain(
      `last sequence_number ${after}`,
    );
    expect(await cutOutput(page, 'Responses').getByTestId('incomplete').count()).toBe(0);
    const posted = (path: string) =>
      sent.filter((r) => r.url.endsWith(path) && r.body?.model === 'resp-background').map((r) => r.body);
    expect(posted('/responses')).toEqual([expect.objectContaining({ background: true, stream: true })]);
    expect(posted('/chat/completions')).toHaveLength(1);
    expect(posted('/chat/completions')[0]).not.toHaveProperty('background');
    expect(flat(await cutOutput(page, 'Responses').locator('pre').textContent())).toBe(
      flat(BACKGROUND_PIECES.join('')),
    );
  });

  it('an endpoint that refuses background: true is told in words; its uncut Responses run still answers', async () => {
    const strict = await startServer({
      keys: [KEY],
      responseScenarios: {
        'no-background': (body) =>
          body.background
            ? errorReply(400, "Unsupported parameter: 'background'.", { param: 'background' })
            : responseReply(HELLO, body),
      },
    });
    try {
      const page = await openLab();
      await connect(page, { provider: 'Custom', baseURL: strict.baseURL, key: KEY, model: 'no-background' });
      await cutButton(page).click();
      await idle(page, cutButton(page));
      expect(
        await page
          .getByRole('status')
          .filter({ hasText: 'refused background: true (400 Bad Request)' })
          .count(),
      ).toBe(1);
      expect(await page.getByTestId('resume-point').count()).toBe(0);
      await runBoth(page);
      expect(await output(page, 'Responses').locator('pre').textContent()).toBe(
        'Hello from the test server.',
      );
    } finally {
      await strict.close();
    }
  });

  it('an endpoint with no /responses is told in words, and Chat Completions still answers', async () => {
    const bare = await startServer({ keys: [KEY], responses: false });
    try {
      const page = await openLab();
      await connect(page, { provider: 'Custom', baseURL: bare.baseURL, key: KEY, model: 'test-model' });
      await cutButton(page).click();
      await idle(page, cutButton(page));
      expect(await page.getByRole('status').filter({ hasText: 'no /responses' }).count()).toBe(1);
      await runBoth(page);
      expect(await output(page, 'Chat Completions').locator('pre').textContent()).toBe(
        'Hello from the test server.',
      );
      await output(page, 'Responses').getByTestId('incomplete').waitFor();
    } finally {
      await bare.close();
    }
  });
});
