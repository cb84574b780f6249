/**
 * The key in real Chromium: it belongs to one provider and base-URL origin and never reaches
 * another host, and Save / Forget key are on disk by the time the panel says so.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from '../server/sse-server';
import { KEY, connect, useHarness } from './harness';

const h = useHarness();

/** Every record in the app's IndexedDB store, as JSON. */
function storedRecords(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('streaming-lab');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    try {
      if (!db.objectStoreNames.contains('kv')) return '[]';
      return await new Promise<string>((res) => {
        const q = db.transaction('kv').objectStore('kv').getAll();
        q.onsuccess = () => res(JSON.stringify(q.result));
      });
    } finally {
      db.close();
    }
  });
}

const panelButton = (page: Page, name: string) =>
  page.getByRole('form', { name: 'Connection' }).getByRole('button', { name, exact: true });

describe('Save and Forget key are durable', () => {
  it('a reload right after "Saved." finds the key, and right after "Key forgotten" finds none', async () => {
    const page = await h.open('#/basic-streaming');
    for (let round = 0; round < 4; round++) {
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, remember: true });
      await page.reload();
      expect(await storedRecords(page), `round ${round}, after Save`).toContain(KEY);

      await page.getByRole('button', { name: 'Connection', exact: true }).click();
      await panelButton(page, 'Forget key').click();
      await page.getByText(/Key forgotten/).waitFor();
      await page.reload();
      expect(await storedRecords(page), `round ${round}, after Forget key`).not.toContain(KEY);

      // Forget key clicked while a Save is still writing: the delete lands last.
      await page.getByRole('button', { name: 'Connection', exact: true }).click();
      await page.getByLabel('API key').fill(KEY);
      await panelButton(page, 'Save').click();
      await panelButton(page, 'Forget key').click();
      await page.getByText(/Key forgotten/).waitFor();
      await page.reload();
      expect(await storedRecords(page), `round ${round}, after Save then Forget key`).not.toContain(KEY);
    }
  });
});

/** Every request the page and its network worker make, with its headers. */
function recordRequests(page: Page): { url: string; headers: string }[] {
  const sent: { url: string; headers: string }[] = [];
  page.context().on('request', (r) => sent.push({ url: r.url(), headers: JSON.stringify(r.headers()) }));
  return sent;
}

describe('a key belongs to one provider and base-URL origin', () => {
  let other: TestServer;
  beforeAll(async () => {
    // "The other host": a second server on another port, which takes any key (or none).
    other = await startServer();
  });
  afterAll(() => other?.close());

  const toOther = () =>
    other.requests.map((r) => `${r.method} ${r.url} auth=${r.headers.authorization ?? '(none)'}`);
  const run = async (page: Page) => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Output' }).textContent())
      .toContain('Hello from the test server.');
  };

  it('switching host or provider never sends the key via Test connection, Save, the model list or Run', async () => {
    let sent!: ReturnType<typeof recordRequests>;
    const page = await h.open('#/basic-streaming', async (p) => {
      sent = recordRequests(p);
      // OpenAI is never really reached from a test: any request there is cut off here.
      await p.context().route('https://api.openai.com/**', (r) => r.abort());
    });
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    await run(page);
    other.requests.length = 0;

    // Another origin: the key field empties, so nothing typed for the first host goes along.
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('Base URL').fill(other.baseURL);
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    // Save probes the model list; then Test connection asks again.
    await panelButton(page, 'Save').click();
    await page.getByText(/Connected: \d+ models/).waitFor();
    await panelButton(page, 'Test connection').click();
    // Test connection asks for the model list and whether /responses answers, at once.
    await expect.poll(() => other.requests.length).toBe(3);
    await page.getByText(/Connected: \d+ models/).waitFor();
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await run(page);
    // Test connection, the model list after Save, and the run: all reached the other host...
    expect(toOther().sort()).toEqual([
      'GET /v1/models auth=Bearer no-key',
      'GET /v1/models auth=Bearer no-key',
      'POST /v1/chat/completions auth=Bearer no-key',
      'POST /v1/responses auth=Bearer no-key',
    ]);

    // ...and another provider: OpenAI's Test connection and Save carry no key either.
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('Provider').selectOption({ label: 'OpenAI' });
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await panelButton(page, 'Test connection').click();
    await page.getByRole('form', { name: 'Connection' }).getByRole('alert').waitFor();
    await panelButton(page, 'Save').click();
    await page.getByText('Saved.').waitFor();

    const firstHost = new URL(h.api.baseURL).origin;
    const withKey = sent.filter((r) => r.headers.includes(KEY) || r.url.includes(KEY));
    expect(withKey.length).toBeGreaterThan(0);
    expect(withKey.filter((r) => !r.url.startsWith(`${firstHost}/`)).map((r) => r.url)).toEqual([]);
    expect(sent.some((r) => r.url.startsWith('https://api.openai.com/'))).toBe(true);

    // Back on the first host, the key it was given is still there for it.
    await page.getByLabel('Provider').selectOption({ label: 'Custom' });
    await page.getByLabel('Base URL').fill(h.api.baseURL);
    expect(await page.getByLabel('API key').inputValue()).toBe(KEY);
  });

  it('a remembered key for one origin is not loaded or sent for another after a reload', async () => {
    let sent!: ReturnType<typeof recordRequests>;
    const page = await h.open('#/basic-streaming', async (p) => {
      sent = recordRequests(p);
    });
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'test-model',
      remember: true,
    });
    await connect(page, { provider: 'Custom', baseURL: other.baseURL });
    other.requests.length = 0;
    await page.reload();
    // Still remembered on this device, for its own origin only.
    expect(await storedRecords(page)).toContain(KEY);
    await run(page);
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await panelButton(page, 'Test connection').click();
    await page.getByText(/Connected: \d+ models/).waitFor();
    await expect.poll(() => other.requests.length).toBe(3);
    expect(toOther().sort()).toEqual([
      'GET /v1/models auth=Bearer no-key',
      'POST /v1/chat/completions auth=Bearer no-key',
      'POST /v1/responses auth=Bearer no-key',
    ]);
    const firstHost = new URL(h.api.baseURL).origin;
    expect(sent.filter((r) => r.headers.includes(KEY) && !r.url.startsWith(`${firstHost}/`))).toEqual([]);

    await page.getByLabel('Base URL').fill(h.api.baseURL);
    expect(await page.getByLabel('API key').inputValue()).toBe(KEY);
  });
});

describe('base URLs outside the CSP rule', () => {
  it('a stored plain-http base URL to another host gets no request from the network worker', async () => {
    // A real server on every interface, reached as 127.0.0.2: plain http, not localhost.
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'access-control-allow-origin': '*' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    try {
      const { port } = server.address() as AddressInfo;
      const page = await h.open('#/basic-streaming');
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
      // Settings written by an older version of the app, before the rule existed.
      await page.evaluate(async (baseURL) => {
        const db = await new Promise<IDBDatabase>((res) => {
          const r = indexedDB.open('streaming-lab');
          r.onsuccess = () => res(r.result);
        });
        await new Promise((res) => {
          const tx = db.transaction('kv', 'readwrite');
          const store = tx.objectStore('kv');
          store.put(
            {
              version: 1,
              data: { provider: 'custom', customBaseURL: baseURL, model: 'test-model', maxRetries: 0 },
            },
            'settings',
          );
          tx.oncomplete = res;
        });
        db.close();
      }, `http://127.0.0.2:${port}/v1`);
      await page.reload();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('Refused to connect to 127.0.0.2');
      await page.getByRole('button', { name: 'Connection', exact: true }).click();
      await panelButton(page, 'Test connection').click();
      await expect
        .poll(() => page.getByRole('form', { name: 'Connection' }).getByRole('alert').textContent())
        .toMatch(/only to localhost or 127\.0\.0\.1/);
      expect(hits).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
