/**
 * Failing networks and providers, in Chromium against the local SSE server: every fault gives
 * an alert that says what happened and what to do, keeps the partial answer marked incomplete,
 * and offers a Retry that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from '../server/sse-server';
import { KEY, connect, connectHeld, dropOnceShown, useHarness } from './harness';

const h = useHarness();
let noCors: TestServer;
beforeAll(async () => {
  noCors = await startServer({ keys: [KEY], cors: false });
});
afterAll(() => noCors.close());

let nonce = 0;
/** A model that fails with `scenario` the first time and streams normally after that. */
const once = (scenario: string) => `once:${scenario}:${++nonce}`;
const served = (model: string) =>
  h.api.requests.filter((r) => r.url === '/v1/chat/completions' && r.body?.model === model);

/**
 * Runs `model` in Basic streaming and waits for its alert. With `cutOnceShown`, the drop
 * scenario's socket is cut only once the output shows that text (its gate, sse-server.ts).
 */
async function fault(
  model: string,
  { cutOnceShown, ...options }: { baseURL?: string; stallSeconds?: number; cutOnceShown?: string } = {},
) {
  const page = await h.open('#/basic-streaming');
  await connect(page, {
    provider: 'Custom',
    baseURL: options.baseURL ?? h.api.baseURL,
    key: KEY,
    model,
    ...options,
  });
  const output = page.getByRole('region', { name: 'Output' });
  const run = () => page.getByRole('button', { name: 'Run' }).click();
  if (cutOnceShown) await dropOnceShown(h.api, output, run, cutOnceShown);
  else await run();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return { page, alert: (await alert.textContent()) ?? '', output };
}

async function retrySucceeds(page: Page) {
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect
    .poll(() => page.getByRole('region', { name: 'Output' }).textContent())
    .toContain('Hello from the test server.');
  await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  expect(await page.getByTestId('incomplete').count()).toBe(0);
}

describe('faults', () => {
  it.each([
    ['http-403', /not allowed.*403/s],
    ['no-such-model', /Model “no-such-model” was not found.*Pick a model/s],
    ['bad-param', /parameter “max_tokens”.*max_completion_tokens/s],
    ['http-500', /server error \(500\).*Retry in a moment/s],
    ['http-503', /server error \(503\)/],
  ])('%s gets a clear alert that says what to do', async (model, message) => {
    const { alert, page } = await fault(model);
    expect(alert).toMatch(message);
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
  });

  it('server errors are retried once by the SDK, and Retry sends again', async () => {
    const before = served('http-500').length;
    const { page } = await fault('http-500');
    expect(served('http-500').length - before).toBe(2);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => served('http-500').length - before).toBe(4);
  });

  it('a wrong key (401) says so without showing the key', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: 'sk-not-the-right-key-0123456789',
      model: 'test-model',
    });
    await page.getByRole('button', { name: 'Run' }).click();
    const alert = (await page.getByRole('alert').textContent()) ?? '';
    expect(alert).toMatch(/rejected the API key \(401\).*Paste the key again/s);
    expect(alert).not.toContain('right-key-0123456789');
  });

  it('429 rate limit: the SDK honours retry-after, then Retry waits it out too', async () => {
    const started = Date.now();
    const { alert, page } = await fault('rate-limit');
    const attempts = served('rate-limit');
    expect(attempts.length).toBe(2);
    expect(attempts[1]!.writes[0]!.at - attempts[0]!.writes[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(alert).toMatch(/Rate limited.*wait 2 s/s);
    const retry = page.getByRole('button', { name: /Retry/ });
    expect(await retry.textContent()).toMatch(/Retry in \d s/);
    expect(await retry.isDisabled()).toBe(true);
    await expect.poll(() => retry.isEnabled()).toBe(true);
  });

  it('429 insufficient quota is reported at once and not retried', async () => {
    const { alert } = await fault('quota');
    expect(alert).toMatch(/run out of credit.*Retrying will not help/s);
    expect(served('quota').length).toBe(1);
  });

  it.each([
    ['mid-error', 'Partial', /error in the middle of the stream/],
    ['drop', 'Dropped here', /connection dropped/],
  ])(
    '%s keeps the partial answer, marks it incomplete, and Retry works',
    async (scenario, partial, message) => {
      const cutOnceShown = scenario === 'drop' ? partial : undefined;
      const { alert, page, output } = await fault(once(scenario), { cutOnceShown });
      expect(alert).toMatch(message);
      expect(await output.textContent()).toContain(partial);
      await page.getByTestId('incomplete').waitFor();
      await retrySucceeds(page);
    },
  );

  it('a stalled stream fails after the idle timeout, keeps its text, and Retry works', async () => {
    const { alert, page, output } = await fault(once('stall'), { stallSeconds: 1 });
    expect(alert).toMatch(/stalled: no data for 1 s/);
    expect(await output.textContent()).toContain('Stalled');
    await retrySucceeds(page);
  });

  it('a network worker that cannot load fails the run with an alert, and the next run gets a new one', async () => {
    // Every request goes through the network worker; one whose script is refused must not leave
    // Run waiting for an answer that cannot come.
    let refuse = true;
    const page = await h.open('#/basic-streaming', (p) =>
      p.context().route('**/assets/net-worker-*.js', (route) => (refuse ? route.abort() : route.continue())),
    );
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    const sent = served('test-model').length;
    await page.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/network worker failed/);
    expect(served('test-model').length).toBe(sent);
    refuse = false;
    await retrySucceeds(page);
  });

  it('a server that is down is named, with what to check', async () => {
    const { alert } = await fault('test-model', { baseURL: 'http://127.0.0.1:9/v1' });
    expect(alert).toMatch(/Could not reach 127\.0\.0\.1:9.*Check the Base URL/s);
  });

  it('a CORS refusal gets the usual fixes, and Test connection tells it apart from a dead server', async () => {
    const { alert, page } = await fault('test-model', { baseURL: noCors.baseURL });
    expect(alert).toMatch(/OLLAMA_ORIGINS.*LM Studio/s);
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.getByRole('form', { name: 'Connection' }).getByRole('alert').textContent())
      .toMatch(/answered, but refused this page \(CORS\)/);
  });

  it('going offline mid-stream keeps the text, says so, and Retry works once back online', async () => {
    const page = await h.open('#/basic-streaming');
    await connectHeld(page, h.api.baseURL, 'slow');
    // The server holds the stream open after " w50": going offline certainly cuts it mid-stream.
    const gate = h.api.hold('slow');
    await page.getByRole('button', { name: 'Run' }).click();
    await gate.reached;
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('w3');
    await page.context().setOffline(true);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/went offline.*Reconnect, then Retry/s);
    expect(await output.textContent()).toContain('w3');
    await page.getByTestId('incomplete').waitFor();
    gate.release();
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => output.textContent()).toContain('w1');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });

  it('in Chat, a reply cut off by a dropped connection is saved as interrupted and survives a reload', async () => {
    const model = once('drop');
    const page = await h.open('#/chat');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model, remember: true });
    await page.getByLabel('Message').fill('Tell me something.');
    const log = page.getByRole('region', { name: 'Output' });
    await dropOnceShown(h.api, log, () => page.getByRole('button', { name: 'Send' }).click());
    await log.getByText(/interrupted/).waitFor();
    expect(await log.textContent()).toContain('Dropped here');
    expect(await page.getByRole('alert').textContent()).toMatch(/connection dropped/);
    await page.reload();
    const restored = page.getByRole('region', { name: 'Output' });
    await restored.getByText(/interrupted/).waitFor();
    expect(await restored.textContent()).toContain('Dropped here');
    await page.getByRole('button', { name: 'Retry reply' }).click();
    await expect.poll(() => restored.textContent()).toContain('Hello from the test server.');
  });
});
