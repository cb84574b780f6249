/**
 * The foundation in real Chromium: the built app served from a sub-path, the simulator with no
 * key, a Custom provider pointing at the local SSE server, a wrong key, and Stop.
 */
import { describe, expect, it } from 'vitest';
import { KEY, TABS, connect, connectHeld, useHarness } from './harness';

const h = useHarness();

describe('foundation', () => {
  it('streams on the simulator with no key and makes no outside request', async () => {
    const page = await h.open('#/basic-streaming');
    await expect.poll(() => page.getByTestId('provider-badge').textContent()).toContain('Simulator');
    await page.getByRole('button', { name: 'Run' }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('benefits of learning programming');
    await page.getByRole('button', { name: 'Export JSON' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    expect(await output.textContent()).toContain('Working with others');
    const outside = h.requests.filter(
      (u) => !u.startsWith(h.app.url) && !u.startsWith('data:') && !u.startsWith('blob:'),
    );
    expect(outside).toEqual([]);
    expect(h.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('streams from a Custom provider and exports the run without the key', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    await page.getByRole('button', { name: 'Run' }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('Hello from the test server.');
    const served = h.api.requests.filter((r) => r.url === '/v1/chat/completions').at(-1)!;
    expect(served.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(served.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 200 });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const file = await (await download).createReadStream();
    let json = '';
    for await (const part of file) json += part;
    expect(json).not.toContain(KEY);
    const run = JSON.parse(json);
    expect(run).toMatchObject({
      version: 1,
      lab: 'basic-streaming',
      text: 'Hello from the test server.',
      finishReason: 'stop',
    });
    expect(run.request).toMatchObject({ model: 'test-model', baseURL: h.api.baseURL, stream: true });
    expect(run.chunks).toHaveLength(6);
    expect(run.metrics.ttftMs).toBeGreaterThan(0);
    expect(run.startedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('explains a wrong key in an alert without showing it', async () => {
    const wrong = 'sk-wrong-e2e-abcdefghijklmnopqrstuv';
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: wrong, model: 'test-model' });
    await page.getByRole('button', { name: 'Run' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/rejected the API key/);
    expect(await page.content()).not.toContain(wrong.slice(10));
  });

  it('Stop aborts the request: the server sees the connection close and the text stays', async () => {
    const page = await h.open('#/basic-streaming');
    await connectHeld(page, h.api.baseURL, 'slow');
    // The server holds the stream open after " w50": Stop certainly lands mid-stream.
    const gate = h.api.hold('slow');
    await page.getByRole('button', { name: 'Run' }).click();
    const served = await gate.reached;
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('w50');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => served.clientAborted).toBe(true);
    // The connection closed while held: nothing of the 400 scripted chunks past " w50" was sent.
    expect(served.writes.length).toBe(1 + 51);
    gate.release();
    await page.getByTestId('incomplete').waitFor();
    expect(await output.textContent()).toContain('w50');
    // Stopped by the learner, not failed: no error is shown.
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('keeps working in memory, and says so once, when IndexedDB is blocked', async () => {
    const page = await h.open('#/chat', (p) =>
      p.addInitScript(() => {
        Object.defineProperty(window, 'indexedDB', {
          get() {
            throw new DOMException('The user denied permission to access the database.', 'SecurityError');
          },
        });
      }),
    );
    const note = page.getByRole('status').filter({ hasText: 'Browser storage is unavailable' });
    await note.waitFor();
    expect(await note.count()).toBe(1);
    await page.getByLabel('Message').fill('Hello');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Output' }).getByRole('listitem').count())
      .toBe(2);
    expect(h.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('reaches every tab by its name and its own URL hash', async () => {
    const page = await h.open();
    for (const name of TABS) {
      await page.getByRole('tab', { name }).click();
      await expect.poll(() => page.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
      expect(page.url()).toMatch(/#\/[a-z-]+$/);
    }
    expect(page.url()).toMatch(/#\/chat$/);
  });
});
