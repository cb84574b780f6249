/**
 * Request parameters that fit the model, in Chromium against the local SSE server: a 400 that
 * names a parameter offers one fixed retry, what the endpoint taught is remembered across a reload
 * and shown in the code, and reasoning models get their own controls.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEY, connect, useHarness } from './harness';

const h = useHarness();

const served = (model: string) =>
  h.api.requests.filter((r) => r.url === '/v1/chat/completions' && r.body?.model === model);

async function openCustom(hash: string, model: string): Promise<Page> {
  const page = await h.open(hash);
  // Remembered, so the key is still there after the reload.
  await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model, remember: true });
  return page;
}

/** The Python code Show code prints. */
async function pythonCode(page: Page): Promise<string> {
  const details = page.locator('details', { hasText: 'Show code' });
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await page.getByText('Show code').click();
  return (await details.locator('pre').textContent()) ?? '';
}

const idle = (page: Page) =>
  expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);

describe('request parameters that fit the model', () => {
  it('a refused max_tokens: one click retries with max_completion_tokens, and the endpoint is remembered', async () => {
    const model = 'refuses-max-tokens';
    const page = await openCustom('#/basic-streaming', model);
    await page.getByRole('button', { name: 'Run' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/parameter “max_tokens”/);
    expect(served(model).at(-1)!.body).toHaveProperty('max_tokens');

    await alert.getByRole('button', { name: 'Retry with max_completion_tokens' }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('Hello from the test server.');
    expect(await alert.count()).toBe(0);
    const retried = served(model).at(-1)!.body!;
    expect(retried).toHaveProperty('max_completion_tokens');
    expect(retried).not.toHaveProperty('max_tokens');
    const note = page.getByRole('note').filter({ hasText: 'This endpoint' });
    expect(await note.textContent()).toContain('uses max_completion_tokens');

    await page.reload();
    const before = served(model).length;
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    await expect
      .poll(() => page.getByRole('region', { name: 'Output' }).textContent())
      .toContain('Hello from the test server.');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(served(model).length).toBe(before + 1);
    expect(served(model).at(-1)!.body).not.toHaveProperty('max_tokens');
    const code = await pythonCode(page);
    expect(code).toMatch(/max_completion_tokens=\d+/);
    expect(code).not.toContain('max_tokens=');

    // Forgetting it goes back to the Custom default.
    await page.getByRole('button', { name: 'Forget learned parameters' }).click();
    await expect.poll(() => pythonCode(page)).toMatch(/\bmax_tokens=\d+/);
    expect(await page.getByRole('note').filter({ hasText: 'This endpoint' }).count()).toBe(0);
  });

  it('Chat: a refused temperature retries the reply without it', async () => {
    const model = 'refuses-temperature';
    const page = await openCustom('#/chat', model);
    await page.getByLabel('Temperature').fill('0.5');
    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/parameter “temperature”/);
    expect(served(model).at(-1)!.body).toMatchObject({ temperature: 0.5 });

    await alert.getByRole('button', { name: 'Retry without temperature' }).click();
    const log = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => log.textContent()).toContain('Hello from the test server.');
    expect(served(model).at(-1)!.body).not.toHaveProperty('temperature');
    expect(await page.getByLabel('Temperature').isDisabled()).toBe(true);
    expect(await page.getByRole('note').textContent()).toContain('no temperature');
  });

  it('OpenAI reasoning models: Responses by default, max_completion_tokens on Chat Completions, no temperature, a Reasoning effort choice', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'OpenAI', model: 'o4-mini' });
    expect(await page.getByLabel('Temperature').isDisabled()).toBe(true);
    await page.getByLabel('Reasoning effort').selectOption('high');
    // A reasoning model on OpenAI goes by the Responses API unless the learner picks otherwise.
    const responses = await pythonCode(page);
    expect(responses).toContain('client.responses.create(');
    expect(responses).toMatch(/max_output_tokens=\d+/);
    expect(responses).toContain('reasoning={"effort": "high", "summary": "auto"}');
    expect(responses).not.toMatch(/max_tokens=|max_completion_tokens|temperature/);

    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'Chat Completions' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('Reasoning effort').selectOption('high');
    const code = await pythonCode(page);
    expect(code).toContain('client.chat.completions.create(');
    expect(code).toMatch(/max_completion_tokens=\d+/);
    expect(code).toContain('reasoning_effort="high"');
    expect(code).not.toMatch(/max_tokens=|temperature/);

    await connect(page, { provider: 'OpenAI', model: 'gpt-4o' });
    expect(await page.getByLabel('Reasoning effort').count()).toBe(0);
    await page.getByLabel('Temperature').fill('0.3');
    const classic = await pythonCode(page);
    expect(classic).toMatch(/max_completion_tokens=\d+/);
    expect(classic).toContain('temperature=0.3');
    expect(classic).not.toContain('reasoning_effort');
  });
});
