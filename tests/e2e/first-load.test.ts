/**
 * First load in Chromium: the app shell paints before any script but the small entry is asked for;
 * the Connection button and the first lab's text are on screen while the openai SDK has not even
 * been asked for; Run then loads it and streams on the simulator.
 *
 * Order, not speed: the test finds the build's SDK chunk (the one file holding a message only the
 * SDK has) and holds any request for it until the test lets it through, so whatever the page shows
 * meanwhile was provably painted without the SDK. How fast that paint comes is a figure for the
 * bench (Lighthouse), not an assertion here.
 *
 * The entry adds no modulepreload links, and the first lab's code comes in one file after it, which
 * asks V8 to compile it eagerly (see vite.config.ts).
 *
 * The connection panel and Show code's writers load only once opened; a failed load is said and
 * retried.
 *
 * Also what a reload keeps that is not a setting: the Display pacing choice.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab as firstLab } from '../../src/labs/generate/lab';
import { storedRecord, useHarness } from './harness';

const h = useHarness();

/** Written by the SDK's client when it runs in a browser without dangerouslyAllowBrowser. */
const SDK_ONLY = "It looks like you're running in a browser-like environment";

/** A string only the connection panel (src/lib/components/ConnectionPanel.svelte) holds. */
const PANEL_ONLY = 'Simulated first token (ms)';
/** A string only the code writers (src/lib/engine/snippets.ts) hold. */
const SNIPPETS_ONLY = 'Run it in a Jupyter notebook after pip install openai';

/** The one built script that holds `marker`. */
async function chunkHolding(marker: string): Promise<string> {
  const dir = path.resolve('dist/assets');
  const scripts = (await readdir(dir)).filter((name) => name.endsWith('.js'));
  const holders: string[] = [];
  for (const name of scripts) {
    if ((await readFile(path.join(dir, name), 'utf8')).includes(marker)) holders.push(name);
  }
  expect(holders).toHaveLength(1);
  return holders[0]!;
}

/**
 * Opens the first lab with every request for the file holding `marker` failing until
 * `letThrough()`, and checks the first load did not ask for it.
 */
async function openFailingLoad(marker: string) {
  const chunk = await chunkHolding(marker);
  let fail = true;
  const page = await h.open('', (p) =>
    p.route(`**/assets/${chunk}`, (route) => (fail ? route.abort() : route.continue())),
  );
  await page.getByRole('button', { name: 'Run' }).waitFor();
  const asked = () => h.requests.filter((url) => url.endsWith(`/assets/${chunk}`));
  expect(asked()).toEqual([]);
  return { page, asked, letThrough: () => (fail = false) };
}

describe('first load', () => {
  it('paints the shell, the Connection button and the first lab before the SDK is asked for; Run loads it and streams', async () => {
    const chunk = await chunkHolding(SDK_ONLY);
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked = () => {};
    const askedFor = new Promise<void>((resolve) => (asked = resolve));
    const page = await h.open('', (p) =>
      p.route(`**/assets/${chunk}`, async (route) => {
        asked();
        await released;
        await route.continue();
      }),
    );
    const sdkRequests = () => h.requests.filter((url) => url.endsWith(`/assets/${chunk}`));

    await page.getByRole('heading', { name: 'Streaming Lab' }).waitFor();
    await page.getByRole('button', { name: 'Connection' }).waitFor();
    await page.getByRole('tab', { name: firstLab.title, selected: true }).waitFor();
    await page.getByText(firstLab.concept[0]!.split('. ')[0]!).waitFor();
    await page.getByRole('button', { name: 'Run' }).waitFor();
    await expect.poll(() => page.getByTestId('provider-badge').textContent()).toContain('Simulator');
    expect(sdkRequests()).toEqual([]);
    // Before the shell's first paint only the entry was asked for, which is a few KiB: the app's
    // code (the old entry, 128 KiB) is asked for after that paint (src/main.ts).
    const early = await page.evaluate(() => {
      // When the browser painted it (paintTime, where there is one), not when the frame was shown
      // (startTime), which on a busy machine comes tens of ms later.
      const fcp = performance.getEntriesByName('first-contentful-paint')[0] as
        (PerformanceEntry & { paintTime?: number }) | undefined;
      const painted = fcp?.paintTime ?? fcp?.startTime ?? NaN;
      return performance
        .getEntriesByType('resource')
        .filter((r) => r.name.endsWith('.js') && !(r.startTime > painted))
        .map((r) => (r as PerformanceResourceTiming).decodedBodySize);
    });
    expect(early).toHaveLength(1);
    expect(early[0]).toBeLessThan(8 * 1024);
    // Once the first lab has mounted its last step (the code), after the entry, everything it
    // ran came in one file (FIRST_LOAD in
    // vite.config.ts), not in rounds of chunks each found once the one importing it had arrived.
    await page.getByText('Show code').waitFor();
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((r) => new URL(r.name).pathname)
        .filter((file) => file.endsWith('.js')),
    );
    expect(scripts).toHaveLength(2);
    // The first-load chunk opens with V8's compile hint (on its first line, or V8 ignores it); the
    // entry, which runs before the paint and calls little, does not (COMPILE_HINT, vite.config.ts).
    const firstLines = await Promise.all(
      scripts.map(
        async (file) =>
          (await readFile(path.resolve('dist/assets', path.basename(file)), 'utf8')).split('\n', 1)[0],
      ),
    );
    expect(firstLines.map((line) => line === '//# allFunctionsCalledOnLoad')).toEqual([false, true]);
    // Asking for the app appended no <link rel="modulepreload">: one per dependency, appended in
    // one go, made the entry's task a long one (vite.config.ts).
    expect(await page.locator('link[rel="modulepreload"]').count()).toBe(0);

    // Run is what needs the SDK: it asks for the chunk, and the run goes on once it arrives.
    await page.getByRole('button', { name: 'Run' }).click();
    await askedFor;
    expect(sdkRequests()).toHaveLength(1);
    const generated = page.getByRole('group', { name: 'Generated tokens' }).getByRole('button');
    expect(await generated.count()).toBe(0);
    release();
    await expect.poll(() => generated.count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
    expect(h.console.filter((m) => m.startsWith('pageerror'))).toEqual([]);
  });

  it('loads the code Show code prints only when it is opened; a failed load says so, and Try again retries', async () => {
    const { page, asked, letThrough } = await openFailingLoad(SNIPPETS_ONLY);

    const details = page.locator('details', { hasText: 'Show code' });
    await details.locator('summary').click();
    await expect.poll(() => details.getByRole('alert').textContent()).toMatch(/could not be loaded/);
    expect(await details.locator('pre').count()).toBe(0);

    letThrough();
    await details.getByRole('button', { name: 'Try again' }).click();
    await expect
      .poll(() => details.locator('code.language-python').textContent())
      .toContain('client.chat.completions.create(');
    expect(await details.getByRole('alert').count()).toBe(0);
    expect(asked().length).toBeGreaterThanOrEqual(2);
  });

  it('loads the connection panel only when it is opened; a failed load says so, Try again retries, and a reopen needs no load', async () => {
    const { page, asked, letThrough } = await openFailingLoad(PANEL_ONLY);

    const connection = page.getByRole('button', { name: 'Connection', exact: true });
    await connection.click();
    await expect
      .poll(() => page.locator('#connection').getByRole('alert').textContent())
      .toMatch(/could not be loaded/);

    letThrough();
    await page.locator('#connection').getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('form', { name: 'Connection' }).getByLabel('API key').waitFor();
    expect(await page.locator('#connection').getByRole('alert').count()).toBe(0);
    expect(asked().length).toBeGreaterThanOrEqual(2);

    // Loaded once, it opens at once: closed and opened again, no loading line in between.
    const loadingShown = await page.evaluateHandle(() => {
      const seen = { loading: false };
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes)
            if (node.textContent?.includes('Loading settings')) seen.loading = true;
      }).observe(document.body, { childList: true, subtree: true });
      return seen;
    });
    await connection.click();
    await connection.click();
    await page.getByRole('form', { name: 'Connection' }).waitFor();
    expect(await loadingShown.evaluate((seen) => seen.loading)).toBe(false);
  });

  it('keeps the Display pacing choice across a reload: Word by word stays Word by word, in Chat too', async () => {
    const page = await h.open('#/live-markdown');
    const pacing = () => page.getByLabel('Display pacing', { exact: true }).locator('visible=true');
    expect(await pacing().inputValue()).toBe('raw');
    await pacing().selectOption({ label: 'Word by word' });
    await expect
      .poll(() => storedRecord(page, 'preferences'))
      .toEqual({ version: 1, data: { pacing: 'word' } });

    await page.reload();
    await expect.poll(() => pacing().inputValue()).toBe('word');
    await page.getByRole('tab', { name: 'Chat' }).click();
    await expect.poll(() => pacing().inputValue()).toBe('word');
  });
});
