/**
 * Hostile output and secret keys, in real Chromium: no payload runs or leaves anything
 * executable in the DOM, no request goes to a host a payload names, the production build runs
 * under its CSP, and the key goes only where it should.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { VIOLATIONS_JS } from '../fixtures/dom-violations';
import { EVIL_HOST, XSS_PAYLOADS } from '../fixtures/xss-payloads';
import { KEY, chatOnce, connect, tourLabs, useHarness } from './harness';
import { serveRendererPage } from './renderer-page';
import { serveDist } from './static-server';

const h = useHarness();
let rendererPage: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  rendererPage = await serveRendererPage();
});
afterAll(() => rendererPage?.close());

/** Catches any script a payload manages to run, and any request it makes, before the page loads. */
async function trap(page: Page): Promise<{ ran: () => Promise<number>; evil: string[] }> {
  const evil: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(EVIL_HOST)) evil.push(r.url());
  });
  page.on('dialog', (d) => {
    evil.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __ran: number };
    w.__ran = 0;
    window.alert =
      window.confirm =
      window.print =
        () => {
          w.__ran++;
          return false as never;
        };
  });
  return { ran: () => page.evaluate(() => (window as unknown as { __ran: number }).__ran), evil };
}

/** The shared DOM check (tests/fixtures/dom-violations.ts), run inside the app. */
async function violationsIn(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].flatMap(${VIOLATIONS_JS})`,
  ) as Promise<string[]>;
}

describe('hostile model output', () => {
  it(`has at least 60 payloads`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(60);
  });

  it('the renderer leaves nothing executable for any payload cut at any offset', async () => {
    const context = await h.browser.newContext();
    try {
      const page = await context.newPage();
      const { ran, evil } = await trap(page);
      await page.goto(rendererPage.url);
      await page.waitForFunction(() => 'bench' in window);
      const failures: string[] = [];
      for (const [i, payload] of XSS_PAYLOADS.entries()) {
        for (const prefix of ['', 'Intro paragraph.\n\n', '- a list\n\n```\ncode\n```\n\n']) {
          const found = await page.evaluate(
            ([p, pre]) =>
              (window as unknown as { bench: { xss: (a: string, b: string) => string[] } }).bench.xss(p, pre),
            [payload, prefix] as const,
          );
          if (found.length)
            failures.push(
              `#${i} ${JSON.stringify(payload)} after ${JSON.stringify(prefix)}: ${found.slice(0, 3).join('; ')}`,
            );
        }
      }
      await page.waitForTimeout(300);
      expect(failures).toEqual([]);
      expect(await ran()).toBe(0);
      expect(evil).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['Live markdown', '#/live-markdown', 'Run'],
    ['Chat', '#/chat', 'Send'],
    ['the wire inspector', '#/token-stats', 'Run'],
  ])('streamed through %s, no payload runs, sticks or phones home', async (_name, hash, button) => {
    let caught!: Awaited<ReturnType<typeof trap>>;
    const page = await h.open(hash, async (p) => {
      caught = await trap(p);
    });
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'xss' });
    if (button === 'Send') await page.getByLabel('Message').fill('Say something hostile.');
    await page.getByRole('button', { name: button, exact: true }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('END-OF-PAYLOADS');
    await expect.poll(() => page.getByRole('button', { name: button, exact: true }).isEnabled()).toBe(true);
    // The wire inspector's own controls (view switch, paging, Go to #) are the app's; the model's
    // bytes are shown only in its tables.
    const selector =
      hash === '#/token-stats'
        ? '[aria-label="Wire inspector"] table, [aria-label="Output"]'
        : '[aria-label^="Output"]';
    if (hash === '#/token-stats') {
      // The model's frames are there, in the tables scanned.
      const tables = page.getByRole('region', { name: 'Wire inspector' }).locator('table');
      await expect
        .poll(() => tables.allTextContents())
        .toContainEqual(expect.stringContaining('chat.completion.chunk'));
    }
    expect(await violationsIn(page, selector)).toEqual([]);
    await page.waitForTimeout(300);
    expect(await caught.ran()).toBe(0);
    expect(caught.evil).toEqual([]);
  });
});

describe('Content-Security-Policy', () => {
  it('is set in index.html with scripts limited to self and no objects or base', async () => {
    const html = await readFile(path.resolve('dist/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/connect-src 'self' https: http:\/\/localhost:\* http:\/\/127\.0\.0\.1:\*/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('the production build runs every lab under it with no violation', async () => {
    {
      const page = await h.open('#/token-stats', (p) =>
        p.addInitScript(() => {
          const w = window as unknown as { __csp: string[] };
          w.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) =>
            w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
          );
        }),
      );
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'markdown' });
      await tourLabs(page);
      await chatOnce(page, 'Hello', 'Title');
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    }
  });
});

describe('remote images and hostile structure', () => {
  it('Load image fetches the image only after the click, over https, and never follows the link', async () => {
    const images: string[] = [];
    const links: string[] = [];
    const page = await h.open('#/live-markdown', async (p) => {
      await p.context().route('https://images.example/**', (route) => {
        images.push(route.request().url());
        const png = Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
          'base64',
        );
        return route.fulfill({ status: 200, contentType: 'image/png', body: png });
      });
      await p.context().route('https://links.example/**', (route) => {
        links.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'text/html', body: 'followed' });
      });
    });
    const before = page.url();
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'held-image' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('END-OF-IMAGES');
    await expect.poll(() => page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    expect(images).toEqual([]);
    const buttons = output.getByRole('button', { name: 'Load image' });
    expect(await buttons.count()).toBe(2);
    await buttons.first().click();
    await expect.poll(() => output.locator('img').count()).toBe(1);
    await expect
      .poll(() => output.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(1);
    expect(images).toEqual(['https://images.example/cat.png']);
    await page.waitForTimeout(300);
    expect(links).toEqual([]);
    expect(page.context().pages()).toHaveLength(1);
    expect(page.url()).toBe(before);
  });

  it('a Chat reply nested deep enough to overflow the parser renders, and again after a reload', async () => {
    const page = await h.open('#/chat');
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'deep-nesting',
      remember: true,
    });
    await chatOnce(page, 'Nest deeply.', 'END-OF-NESTING');
    const output = page.getByRole('region', { name: 'Output' });
    const check = async () => {
      await expect.poll(() => output.textContent()).toContain('END-OF-NESTING');
      const text = (await output.textContent()) ?? '';
      expect(text).toContain('Before it.');
      expect(text).toContain('deep quote');
      expect(text).toContain('deep list');
      expect(text).toContain('deep divs');
      expect(await output.locator('strong', { hasText: 'it' }).count()).toBeGreaterThan(0);
      expect(await output.locator('em', { hasText: 'it' }).count()).toBeGreaterThan(0);
    };
    await check();
    await page.reload();
    await check();
    expect(h.console.filter((m) => m.includes('pageerror'))).toEqual([]);
  });

  it('estimates the tokens of an answer without usage in a worker, not on the page', async () => {
    const page = await h.open('#/token-stats');
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'long-word-no-usage',
    });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const output = page.getByRole('region', { name: 'Output' });
    await expect.poll(() => output.textContent()).toContain('END-OF-WORD');
    await expect.poll(() => page.getByText('estimated').count()).toBeGreaterThan(0);
    // The browser reports a new worker to the test asynchronously: wait for the report.
    await expect
      .poll(() =>
        page
          .workers()
          .map((w) => w.url())
          .some((u) => /token-worker/.test(u)),
      )
      .toBe(true);
  });
});

describe('key hygiene', () => {
  async function dumpStorage(page: Page): Promise<string> {
    return page.evaluate(async () => {
      const dbs = (await indexedDB.databases()).map((d) => d.name as string);
      const all: unknown[] = [];
      for (const name of dbs) {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const store of db.objectStoreNames) {
          all.push(
            await new Promise((res) => {
              const q = db.transaction(store).objectStore(store).getAll();
              q.onsuccess = () => res(q.result);
            }),
          );
        }
        db.close();
      }
      return (
        JSON.stringify(all) + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
      );
    });
  }

  it('during a full tour the key goes only in the Authorization header to the base URL', async () => {
    const sent: { url: string; auth: string | undefined; headers: string; body: string }[] = [];
    {
      // Requests from the page and from its network worker alike.
      const page = await h.open('#/generate', async (p) => {
        p.context().on('request', (r) =>
          sent.push({
            url: r.url(),
            auth: r.headers().authorization,
            headers: JSON.stringify(r.headers()),
            body: r.postData() ?? '',
          }),
        );
      });
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
      await tourLabs(page);
      const exported = await (async () => {
        const d = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Export JSON' }).click();
        let text = '';
        for await (const part of await (await d).createReadStream()) text += part;
        return text;
      })();
      await page.getByRole('button', { name: 'Save to library' }).click();
      await chatOnce(page, 'Hello', 'Hello from the test server.');

      const withKey = sent.filter(
        (r) => r.headers.includes(KEY) || r.url.includes(KEY) || r.body.includes(KEY),
      );
      expect(withKey.length).toBeGreaterThan(8);
      for (const r of withKey) {
        expect(r.url.startsWith(`${h.api.baseURL}/`)).toBe(true);
        expect(r.auth).toBe(`Bearer ${KEY}`);
        expect(r.url).not.toContain(KEY);
        expect(r.body).not.toContain(KEY);
      }
      expect(
        sent.filter(
          (r) => !r.url.startsWith(h.app.url) && !r.url.startsWith(h.api.url) && !r.url.startsWith('blob:'),
        ),
      ).toEqual([]);
      expect(exported).not.toContain(KEY);
      expect(h.console.join('\n')).not.toContain(KEY);
      // "Remember on this device" was off: the key is in no storage at all.
      expect(await dumpStorage(page)).not.toContain(KEY);
      expect(await page.content()).not.toContain(KEY);
    }
  });

  it('a remembered key is stored on this device until Forget key removes it', async () => {
    const page = await h.open('#/basic-streaming');
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'test-model',
      remember: true,
    });
    expect(await dumpStorage(page)).toContain(KEY);
    await page.reload();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Output' }).textContent())
      .toContain('Hello from the test server.');
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByText(/Key forgotten/).waitFor();
    expect(await dumpStorage(page)).not.toContain(KEY);
  });

  it('an error message never shows the key', async () => {
    const wrong = 'sk-proj-WRONGwrongWRONG0123456789abcdef';
    const page = await h.open('#/basic-streaming');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: wrong, model: 'test-model' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('body').innerText()).not.toContain('WRONGwrongWRONG0123456789');
  });
});

describe('a key the provider echoes back', () => {
  it('is masked in every view of the wire inspector and nowhere shown whole', async () => {
    const page = await h.open('#/token-stats');
    const echoed: string[] = [];
    page.on('response', (r) => {
      const header = r.headers()['x-echo-authorization'];
      if (header) echoed.push(header);
    });
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'echo-key' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toContain('Echoed');
    // The provider did echo it: upper-cased in a header, and (see the scenario) in the body.
    expect(echoed).toEqual([`Bearer ${KEY.toUpperCase()}`]);

    const wire = page.getByRole('region', { name: 'Wire inspector' });
    const secret = KEY.toLowerCase().slice(3);
    const frames = ((await wire.textContent()) ?? '').toLowerCase();
    expect(frames).toContain(': authorised as sk-…ghij');
    expect(frames).toContain('"echo":"sk-…ghij"');
    expect(frames).not.toContain(secret.slice(0, 12));
    await wire.getByRole('button', { name: 'Network reads' }).click();
    const reads = ((await wire.textContent()) ?? '').toLowerCase();
    expect(reads).toContain('authorised as sk-…ghij');
    for (const text of [reads, (await page.locator('body').innerText()).toLowerCase()]) {
      for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8));
    }
  });
});

describe('framing', () => {
  /** A page on another origin that frames `url`. */
  async function framer(url: string): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>framer</title><iframe src="${url}" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://localhost:${port}/`,
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  /** The `/*` headers of the built public/_headers. */
  async function hostHeaders(): Promise<Record<string, string>> {
    const text = await readFile(path.resolve('dist/_headers'), 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^\s+\S+:/.test(line))
        .map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]),
    );
  }

  it('framed by another origin on a host that sends no headers, the app shows a notice, not itself', async () => {
    const outer = await framer(`${h.app.url}#/chat`);
    try {
      const page = await h.open();
      await page.goto(outer.url);
      const frame = page.frameLocator('iframe');
      await expect
        .poll(() => frame.getByRole('alert').textContent())
        .toBe('Streaming Lab does not run inside another page. Open it in its own tab.');
      expect(await frame.getByRole('link', { name: 'Open it in its own tab' }).getAttribute('target')).toBe(
        '_blank',
      );
      expect(await frame.getByRole('tab').count()).toBe(0);
      expect(await frame.getByRole('button').count()).toBe(0);
    } finally {
      await outer.close();
    }
  });

  it('served with public/_headers, the app runs a lab with no violation and refuses every frame', async () => {
    const app = await serveDist(path.resolve('dist'), await hostHeaders());
    const outer = await framer(app.url);
    let opened: Page | undefined;
    try {
      const page = await h.open('', (p) =>
        p.addInitScript(() => {
          const w = window as unknown as { __csp: string[] };
          w.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) =>
            w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
          );
        }),
      );
      opened = page;
      const response = await page.goto(`${app.url}#/token-stats`);
      expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => page.getByRole('region', { name: 'Output' }).textContent())
        .toContain('Hello from the test server.');
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);

      await page.goto(outer.url);
      await expect
        .poll(() => h.console.find((m) => m.includes("frame-ancestors 'none'")))
        .toMatch(/^Framing '.*' violates [^]*frame-ancestors 'none'[^]*The request has been blocked/);
    } finally {
      // The browser keeps its connections open; the servers close once it lets go of them.
      await opened?.context().close();
      await outer.close();
      await app.close();
    }
  });
});
