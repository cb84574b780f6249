/**
 * `npm run bench`: hostile streams through the built app in headless Chromium (issue #10, item 4).
 * Each input streams from the local SSE server into Live markdown (Token stats for the estimate);
 * a PerformanceObserver counts long tasks (> 50 ms) from Run until the run has ended and its
 * token count is shown. Prints longest task and number of long tasks per input, and writes its
 * section of bench/results.json. Target: no task over 50 ms. Figures, not assertions.
 */
import { it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch } from '../tests/e2e/browser';
import { connect } from '../tests/e2e/harness';
import { serveDist } from '../tests/e2e/static-server';
import { startServer } from '../tests/server/sse-server';
import { saveResults } from './results';

const INPUTS = [
  {
    name: '120 KB without spaces, no usage',
    model: 'long-word-no-usage',
    tab: '#/token-stats',
    end: 'END-OF-WORD',
  },
  { name: "40 KB of '!['", model: 'image-openers', tab: '#/live-markdown', end: 'END-OF-OPENERS' },
  { name: '1,000 indented list lines', model: 'indented-list', tab: '#/live-markdown', end: 'END-OF-LIST' },
  { name: '1,000 flat list lines', model: 'long-list', tab: '#/live-markdown', end: 'END-OF-LIST' },
  {
    name: "2 KB '>', 1,200 '- ', 4,096 <div>",
    model: 'deep-nesting',
    tab: '#/live-markdown',
    end: 'END-OF-NESTING',
  },
];

async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __long: number[] }).__long);
}

it('hostile streams: long tasks in the built app', async () => {
  const app = await serveDist();
  const api = await startServer({ keys: ['sk-bench'] });
  const browser = await launch();
  const rows: Record<string, { longestTaskMs: number; longTasks: number }> = {};
  try {
    for (const input of INPUTS) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { __long: number[]; __on: boolean };
        w.__long = [];
        w.__on = false;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (w.__on) w.__long.push(e.duration);
        }).observe({ type: 'longtask', buffered: false });
      });
      await page.goto(`${app.url}${input.tab}`);
      await connect(page, { provider: 'Custom', baseURL: api.baseURL, key: 'sk-bench', model: input.model });
      await page.evaluate(() => ((window as unknown as { __on: boolean }).__on = true));
      const run = page.getByRole('button', { name: 'Run', exact: true });
      await run.click();
      const output = page.getByRole('region', { name: 'Output' });
      await page.waitForFunction(
        ([end]) => document.querySelector('[aria-label="Output"]')?.textContent?.includes(end as string),
        [input.end],
        { timeout: 120_000, polling: 200 },
      );
      await page.waitForFunction(() => {
        const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Run');
        return b && !(b as HTMLButtonElement).disabled;
      });
      if (input.tab === '#/token-stats')
        await page.getByText('estimated').first().waitFor({ timeout: 120_000 });
      await page.waitForTimeout(500);
      void output;
      const tasks = await longTasks(page);
      rows[input.name] = { longestTaskMs: Math.round(Math.max(0, ...tasks)), longTasks: tasks.length };
      await context.close();
    }
  } finally {
    await browser.close();
    await api.close();
    await app.close();
  }
  console.log('\nHostile streams in the built app (target: no task over 50 ms)\n');
  console.log(`${'input'.padEnd(40)} ${'longest task (ms)'.padStart(18)} ${'long tasks'.padStart(11)}`);
  for (const [name, r] of Object.entries(rows))
    console.log(
      `${name.padEnd(40)} ${String(r.longestTaskMs).padStart(18)} ${String(r.longTasks).padStart(11)}`,
    );
  await saveResults('hostile', { target: 'no task over 50 ms', inputs: rows });
});
