/**
 * Shared set-up for end-to-end tests: one browser, the built app on a static server, the local
 * SSE server, and a fresh page per test that records every request it makes.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startServer, type TestServer } from '../server/sse-server';
import { launch } from './browser';
import { serveDist } from './static-server';

export const KEY = 'sk-test-e2e-0123456789abcdefghij';

export interface Harness {
  browser: Browser;
  app: { url: string; close: () => Promise<void> };
  api: TestServer;
  /** URLs of every request pages made in the current test. */
  requests: string[];
  /** Messages pages printed to the console in the current test. */
  console: string[];
  /** A new page on the app at `hash`, in a fresh context; `before` runs before it loads. */
  open(hash?: string, before?: (page: Page) => Promise<unknown>): Promise<Page>;
}

export function useHarness(): Harness {
  const contexts: BrowserContext[] = [];
  let lastPage: Page | null = null;
  const h = { requests: [], console: [], open } as unknown as Harness;
  beforeAll(async () => {
    h.browser = await launch();
    h.app = await serveDist();
    h.api = await startServer({ keys: [KEY] });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && lastPage && !lastPage.isClosed()) {
      // Say what the page showed, so a failure explains itself.
      const shown = await lastPage
        .locator('body')
        .innerText()
        .catch(() => '(page gone)');
      const file = `test-results/${ctx.task.name.replace(/\W+/g, '-').slice(0, 80)}.png`;
      await lastPage.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(
        `Page at failure (${lastPage.url()}), screenshot ${file}:\n${shown.slice(0, 3000)}\nConsole:\n${h.console.join('\n')}`,
      );
    }
    for (const c of contexts.splice(0)) await c.close();
    h.requests.length = 0;
    h.console.length = 0;
  });
  afterAll(async () => {
    await h.browser?.close();
    await h.app?.close();
    await h.api?.close();
  });
  async function open(hash = '', before?: (page: Page) => Promise<unknown>): Promise<Page> {
    const ctx = await h.browser.newContext();
    contexts.push(ctx);
    ctx.on('request', (r) => h.requests.push(r.url()));
    const page = await ctx.newPage();
    lastPage = page;
    page.on('console', (m) => h.console.push(m.text()));
    page.on('pageerror', (e) => h.console.push(`pageerror: ${e.message}`));
    await before?.(page);
    await page.goto(`${h.app.url}${hash}`);
    return page;
  }
  return h;
}

/**
 * A stall timeout for tests that hold a stream at a gate: far longer than any test, so only what
 * the test is about (Stop, the stop phrase, going offline) can end the held stream.
 */
export const HELD_STALL_SECONDS = 600;

/** Opens the connection panel and saves the given settings. */
export async function connect(
  page: Page,
  settings: {
    provider: 'Simulator' | 'OpenAI' | 'Custom';
    baseURL?: string;
    key?: string;
    model?: string;
    remember?: boolean;
    stallSeconds?: number;
  },
): Promise<void> {
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
  await page.getByLabel('Provider').selectOption({ label: settings.provider });
  if (settings.baseURL !== undefined) await page.getByLabel('Base URL').fill(settings.baseURL);
  if (settings.key !== undefined) await page.getByLabel('API key').fill(settings.key);
  if (settings.model !== undefined) await page.getByLabel('Model', { exact: true }).fill(settings.model);
  if (settings.remember !== undefined)
    await page.getByLabel('Remember on this device').setChecked(settings.remember);
  if (settings.stallSeconds !== undefined)
    await page.getByLabel('Stall timeout (s)').fill(String(settings.stallSeconds));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
}

/**
 * A new page on the app at `hash`, connected to the test server as a Custom provider with `model`
 * (the scenario), with a stall timeout long enough for streams a test holds at a gate.
 */
export async function openOnServer(h: Harness, hash: string, model: string, remember = false): Promise<Page> {
  const page = await h.open(hash);
  await connect(page, {
    provider: 'Custom',
    baseURL: h.api.baseURL,
    key: KEY,
    model,
    remember,
    stallSeconds: HELD_STALL_SECONDS,
  });
  return page;
}

/** The app's stored record under `key` as IndexedDB holds it ({ version, data }; what a reload reads). */
export function storedRecord(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('streaming-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get(key);
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

/**
 * Runs `start` (the click that sends a request for the `drop` scenario) with the scenario's gate
 * armed, and lets the server cut the socket only once `shown` shows `text`: a reset can cost bytes
 * still on their way in the browser's network stack, which is not what a drop test is about.
 */
export async function dropOnceShown(
  api: TestServer,
  shown: Locator,
  start: () => Promise<unknown>,
  text = 'Dropped here',
): Promise<void> {
  const cut = api.hold('drop');
  await start();
  await expect.poll(() => shown.textContent()).toContain(text);
  cut.release();
}

/** The text of the file the page downloads when `click` runs. */
export async function downloadText(page: Page, click: () => Promise<unknown>): Promise<string> {
  const download = page.waitForEvent('download');
  await click();
  let text = '';
  for await (const part of await (await download).createReadStream()) text += part;
  return text;
}

/** Exports the lab's current run as JSON and parses it. */
export async function exportRun(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse(
    await downloadText(page, () => page.getByRole('button', { name: 'Export JSON' }).click()),
  ) as Record<string, unknown>;
}

/** A small recorded run: three chunks at 400, 700 and 1,000 ms, as the app exports them. */
export const RECORDED_RUN = {
  version: 1,
  lab: 'token-stats',
  startedAt: 1,
  request: {
    model: 'gpt-4o',
    baseURL: 'https://api.openai.com/v1',
    stream: true,
    messages: [{ role: 'user', content: 'hi' }],
  },
  chunks: [
    { t: 400, text: 'Recorded' },
    { t: 700, text: ' stream' },
    { t: 1000, text: ' replayed.' },
  ],
  metrics: { ttftMs: 400, e2eMs: 1000, chunks: 3, chars: 25 },
  usage: null,
  finishReason: 'stop',
  error: null,
  text: 'Recorded stream replayed.',
};

/** Imports `data` as a JSON file named `name` through the Saved runs panel. */
export async function importRunFile(page: Page, name: string, data: unknown): Promise<void> {
  await page
    .getByRole('region', { name: 'Saved runs' })
    .getByLabel('Import (JSON)')
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(data)) });
}

/** Connects to the test server for a test that holds the stream at a gate (HELD_STALL_SECONDS). */
export function connectHeld(page: Page, baseURL: string, model: string): Promise<void> {
  return connect(page, { provider: 'Custom', baseURL, key: KEY, model, stallSeconds: HELD_STALL_SECONDS });
}

/** Opens a lab's tab and waits until that lab is on screen. */
export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tabpanel').getByRole('heading', { name, level: 2, exact: true }).waitFor();
}

/**
 * The labs with a Run button, in tab order (Two wire formats comes after Chat, Model race after
 * Recap); then every tab, Chat last.
 */
export const RUN_LABS = [
  'How LLMs generate',
  'Streaming vs non-streaming',
  'Basic streaming',
  'Live markdown',
  'Word detection',
  'Early stop',
  'Token stats',
  'Tools and structured output',
  'Two wire formats',
  'Model race',
] as const;
export const TABS = [...RUN_LABS, 'Chat'] as const;

/**
 * Makes the simulator quick (20 ms to the first token, 1 ms a token) for tests that only need
 * every lab to have run, not to watch it stream: a default-paced tour spends most of its time
 * waiting for simulated tokens. On another provider it changes nothing.
 */
export async function quickSimulator(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
  await page.getByLabel('Provider').waitFor();
  if ((await page.getByLabel('Provider').inputValue()) !== 'simulator') {
    // Another provider (a test server): nothing simulated to speed up.
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    return;
  }
  await page.getByLabel('Simulated first token (ms)').fill('20');
  await page.getByLabel('Simulated ms per token').fill('1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'Connection', exact: true }).click();
}

/**
 * Runs every lab once on a quick simulator (`quickSimulator`), waiting for each run to end;
 * `each` is called after each lab's run.
 */
export async function tourLabs(page: Page, each?: (lab: string) => Promise<void>): Promise<void> {
  await quickSimulator(page);
  for (const lab of RUN_LABS) {
    await openTab(page, lab);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.click();
    await expect.poll(() => run.isEnabled()).toBe(true);
    await each?.(lab);
  }
}

/** Opens Chat, sends `message` and waits until the conversation contains `reply`. */
export async function chatOnce(page: Page, message: string, reply: string): Promise<void> {
  await openTab(page, 'Chat');
  await page.getByLabel('Message').fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain(reply);
}
