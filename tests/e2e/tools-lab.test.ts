/**
 * The "Tools and structured output" lab end to end in Chromium: tool calls and a structured answer
 * streamed by the offline simulator (the default with no key) and by the local SSE server, parsed
 * live into the object view, with the parse cost of both approaches, and exported.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEY, connect, exportRun, openTab, useHarness } from './harness';

const h = useHarness();
const LAB = 'Tools and structured output';

const output = (page: Page) => page.getByRole('region', { name: 'Output' });
const runButton = (page: Page) => page.getByRole('button', { name: 'Run', exact: true });
const idle = (page: Page) => expect.poll(() => runButton(page).isEnabled()).toBe(true);
/** The object view of each call (or the structured answer), as the learner reads it. */
const objects = (page: Page) => output(page).getByRole('article');

async function openLab(): Promise<Page> {
  const page = await h.open();
  await openTab(page, LAB);
  return page;
}

describe('Tools and structured output', () => {
  it('tool call (simulator): each parallel call fills in with its name and arguments, and both parsers are costed', async () => {
    const page = await openLab();
    await runButton(page).click();
    await idle(page);
    const cards = objects(page);
    await expect.poll(() => cards.count()).toBe(4);
    const texts = await cards.allTextContents();
    const weather = texts.filter((t) => t.includes('get_weather'));
    expect(weather).toHaveLength(2);
    expect(weather[0]).toMatch(/"city": "Paris"/);
    expect(weather[1]).toMatch(/"city": "Tokyo"/);
    expect(texts.filter((t) => t.includes('get_local_time'))).toHaveLength(2);
    for (const t of texts) expect(t).toContain('complete');
    // Nothing is left highlighted or healed once every document is complete.
    expect(await output(page).locator('.active, .healed').count()).toBe(0);

    const cost = page.getByRole('region', { name: 'Parse cost' });
    const headline = await cost.getByText(/Naive re-parsed/).textContent();
    const [naive, received] = [...(headline ?? '').matchAll(/([\d,]+) characters|([\d,]+) received/g)].map(
      (m) => Number((m[1] ?? m[2])!.replace(/,/g, '')),
    );
    // The naive approach re-reads the buffer every delta, so it reads more than arrived.
    expect(received).toBeGreaterThan(20);
    expect(naive).toBeGreaterThan(received!);
    const rows = await cost.getByRole('row').allTextContents();
    expect(rows.map((r) => r.split(/\d/)[0])).toEqual([
      expect.stringContaining('Stream'),
      'call ',
      'call ',
      'call ',
      'call ',
      'all',
    ]);
  });

  it('tool call (local server): interleaved parallel pieces land in the right call', async () => {
    const page = await openLab();
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'parallel-tool-calls',
    });
    await runButton(page).click();
    await idle(page);
    const cards = objects(page);
    await expect.poll(() => cards.count()).toBe(2);
    const [paris, tokyo] = await cards.allTextContents();
    expect(paris).toContain('get_weather');
    expect(paris).toContain('call_weather_paris');
    expect(paris).toContain('"Paris');
    expect(paris).not.toContain('Tokyo');
    expect(tokyo).toContain('call_weather_tokyo');
    expect(tokyo).toContain('"Tokyo');
    expect(tokyo).not.toContain('Paris');
    for (const t of [paris, tokyo]) expect(t).toContain('complete');
    // On the wire the two calls' pieces interleave: a piece of call 1 comes before one of call 0.
    await page.getByText(/Argument pieces in arrival order/).click();
    const order = (await page.locator('.pieces .index').allTextContents()).map(Number);
    expect(order.indexOf(0, order.indexOf(1))).toBeGreaterThan(order.indexOf(1));

    const sent = h.api.requests.filter((r) => r.url === '/v1/chat/completions').at(-1)?.body as {
      tools: { function: { name: string } }[];
    };
    expect(sent.tools.map((t) => t.function.name)).toEqual(['get_weather', 'get_local_time']);
  });

  it('marks arguments cut off by the token limit as not valid JSON, keeping what was read', async () => {
    const page = await openLab();
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'bad-tool-args' });
    await runButton(page).click();
    await idle(page);
    const card = objects(page).first();
    await expect.poll(() => card.textContent()).toContain('not valid JSON');
    expect(await card.textContent()).toContain('get_weather');
  });

  it('structured output (simulator): the schema is sent and the answer shows as the parsed object', async () => {
    const page = await openLab();
    await page.getByRole('radio', { name: 'Structured output' }).check();
    expect(await page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toMatch(/European cities/);
    await runButton(page).click();
    await idle(page);
    const card = objects(page);
    await expect.poll(() => card.count()).toBe(1);
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Structured answer');
    expect(text).toContain('complete');
    expect(text).toMatch(/"cities": \[/);
    expect(text).toMatch(/"name": "[^"]+"/);
    expect(text).toMatch(/"population": \d/);

    const exported = await exportRun(page);
    expect(exported.lab).toBe('tools');
    const request = exported.request as {
      response_format?: { json_schema: { name: string } };
      tools?: unknown;
    };
    expect(request.response_format?.json_schema.name).toBe('city_list');
    expect(request.tools).toBeUndefined();
    // What the view shows is the exported answer text, parsed.
    const answer = JSON.parse(exported.text as string) as { cities: { name: string }[] };
    expect(answer.cities.length).toBeGreaterThan(0);
    for (const city of answer.cities) expect(text).toContain(`"name": ${JSON.stringify(city.name)}`);
  });

  it('an invalid schema is explained, nothing is sent, and the text typed is kept', async () => {
    const page = await openLab();
    // On the local server, so that a request sent would be one the test sees (the simulator's
    // requests never reach the network; counting every request counted late-loaded assets).
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'parallel-tool-calls',
    });
    // What a Run sends (Test connection's GET /models may land at any time after Save).
    const apiRequests = () =>
      h.requests.filter((url) => /\/(chat\/completions|responses)$/.test(new URL(url).pathname)).length;
    await page.getByRole('radio', { name: 'Structured output' }).check();
    const schema = page.getByLabel('Schema (JSON)');
    const typed = '{"name": "broken", "schema": {"type": "object",';
    await schema.fill(typed);
    await expect.poll(() => page.getByText(/Not valid JSON/).count()).toBe(1);
    const requestsBefore = apiRequests();
    await runButton(page).click();
    await page
      .getByRole('alert')
      .getByText(/Nothing was sent/)
      .waitFor();
    expect(await schema.inputValue()).toBe(typed);
    expect(await page.getByRole('button', { name: 'Export JSON' }).count()).toBe(0);
    expect(apiRequests()).toBe(requestsBefore);

    await connect(page, { provider: 'Simulator' });
    await schema.fill(typed.replace(/,$/, '}}'));
    await expect.poll(() => page.getByText(/Not valid JSON/).count()).toBe(0);
    await runButton(page).click();
    await idle(page);
    await expect.poll(() => objects(page).count()).toBe(1);
  });

  it('Export JSON records the tool request and the tool-call run', async () => {
    const page = await openLab();
    await runButton(page).click();
    await idle(page);
    const exported = await exportRun(page);
    expect(exported.lab).toBe('tools');
    const request = exported.request as {
      tools: { function: { name: string } }[];
      response_format?: unknown;
    };
    expect(request.tools.map((t) => t.function.name)).toEqual(['get_weather', 'get_local_time']);
    expect(request.response_format).toBeUndefined();
    expect(exported.finishReason).toBe('tool_calls');
  });
});
