/**
 * Connection profiles in real Chromium: profiles saved in the panel survive a reload, switching
 * profile switches the connection every lab uses, each profile's key goes only to its own
 * server, and deleting a profile deletes its key from IndexedDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from '../server/sse-server';
import { KEY, connect, useHarness } from './harness';

const h = useHarness();
const KEY_B = 'sk-test-e2e-profile-b-9876543210';

/** Every record in the app's IndexedDB store, as JSON. */
function storedRecords(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('streaming-lab');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    try {
      return await new Promise<string>((res) => {
        const q = db.transaction('kv').objectStore('kv').getAll();
        q.onsuccess = () => res(JSON.stringify(q.result));
      });
    } finally {
      db.close();
    }
  });
}

const panel = (page: Page) => page.getByRole('form', { name: 'Connection' });
const openPanel = (page: Page) => page.getByRole('button', { name: 'Connection', exact: true }).click();

async function pick(page: Page, name: string) {
  await panel(page).getByLabel('Profile', { exact: true }).selectOption({ label: name });
  await panel(page).getByText(`Using “${name}”.`).waitFor();
}

async function saveAsNew(page: Page, name: string) {
  await panel(page).getByLabel('Profile name').fill(name);
  await panel(page).getByRole('button', { name: 'Save as new profile' }).click();
  await panel(page).getByText(`Saved as a new profile, “${name}”.`).waitFor();
}

/** The header's name for the active connection. */
const badge = async (page: Page) => (await page.getByTestId('provider-badge').textContent())?.trim();

async function run(page: Page, expected: string) {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain(expected);
}

describe('connection profiles', () => {
  let other: TestServer;
  beforeAll(async () => {
    // Server B takes only its own key.
    other = await startServer({ keys: [KEY_B] });
  });
  afterAll(() => other?.close());

  it('keep their own keys across a reload, send each only to its own server, and delete it with the profile', async () => {
    const page = await h.open('#/basic-streaming');
    // Saving Custom over the built-in simulator profile makes the first profile of the learner's.
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'test-model',
      remember: true,
    });
    await openPanel(page);
    await panel(page).getByLabel('Base URL').fill(other.baseURL);
    await panel(page).getByLabel('API key').fill(KEY_B);
    await saveAsNew(page, 'Server B');
    await panel(page).getByLabel('Provider').selectOption({ label: 'Simulator' });
    await saveAsNew(page, 'My simulator');
    const names = await panel(page)
      .getByLabel('Profile', { exact: true })
      .locator('option')
      .allTextContents();
    expect(names.slice(-3)).toEqual(['Custom · test-model', 'Server B', 'My simulator']);

    await page.reload();
    await openPanel(page);
    await pick(page, 'Custom · test-model');
    // The header names the active profile, with its model unless the name says it already.
    expect(await badge(page)).toBe('Custom · test-model');
    await openPanel(page);
    await run(page, 'Hello from the test server.');
    await openPanel(page);
    await pick(page, 'Server B');
    expect(await badge(page)).toBe('Server B · test-model');
    await openPanel(page);
    await run(page, 'Hello from the test server.');
    await openPanel(page);
    await pick(page, 'My simulator');
    expect(await badge(page)).toMatch(/^My simulator · \S+ — offline, simulated output$/);
    await openPanel(page);
    const asked = h.api.requests.length + other.requests.length;
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Export JSON' }).count()).toBe(1);
    expect(h.api.requests.length + other.requests.length).toBe(asked);

    const auth = (s: TestServer) => s.requests.map((r) => r.headers.authorization);
    expect(auth(h.api).filter((a) => a !== `Bearer ${KEY}`)).toEqual([]);
    expect(auth(other).filter((a) => a !== `Bearer ${KEY_B}`)).toEqual([]);
    expect(other.requests.some((r) => r.method === 'POST' && r.url.endsWith('/chat/completions'))).toBe(true);

    // Deleting Server B deletes its key from IndexedDB; the first profile's stays.
    await openPanel(page);
    await pick(page, 'Server B');
    expect(await storedRecords(page)).toContain(KEY_B);
    await panel(page).getByRole('button', { name: 'Delete profile' }).click();
    await panel(page)
      .getByText(/Deleted “Server B” and its key/)
      .waitFor();
    const stored = await storedRecords(page);
    expect(stored).not.toContain(KEY_B);
    expect(stored).toContain(KEY);

    // On a phone the panel, with a preset's notes open, is no wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await panel(page).getByLabel('Preset').selectOption({ label: 'LM Studio' });
    await panel(page).getByText('lms server start --cors').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
