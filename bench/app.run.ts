/**
 * `npm run bench`: the whole app while it streams — the built app (tests/e2e/static-server.ts) in
 * headless Chromium against the local SSE server, with every view it offers open.
 *
 * Scenarios: a 20k-token markdown answer (the renderer bench's document, one token a chunk) at
 * 1,000 tokens/s; the same answer in one burst; the 100,000-token plain answer ('huge'); the
 * 5,000 chunks/s burst ('burst'). Each streams on these surfaces:
 * - Live markdown with its views open (Statistics and its Advanced table; an arrival chart or wire
 *   inspector too wherever the lab offers a control for one) — quiet, and with a second,
 *   CPU-heavy page in the same browser (tests/e2e/busy.ts, 100 ms of work every frame);
 * - Chat, quiet and busy;
 * - Token stats (statistics, arrival chart and wire inspector always on), quiet;
 * - baseline: Live markdown, no views opened, quiet;
 * - the browser alone (bench/floor-page): the least a page can do to show the same stream — a
 *   worker fetches and stamps each read, the page appends each frame's text and follows the
 *   bottom, and at the end shows the last paragraph as one <p>, as a one-shot render of the
 *   answer does — with a Prompt box to type in. At a steady rate its lag and keystroke latency
 *   are what this browser and machine take to get a change on screen (frame, commit, raster,
 *   draw): the floor the app is compared with. Under a burst it is the naive page (each read
 *   parsed and shown in one go). Its last task on the 100k answer is the layout of that answer's
 *   one 205 KB paragraph: what the finished answer costs the browser, whoever renders it.
 * And typing with no stream at all, in the Prompt box and in Chat's Message box.
 *
 * Every stream is held by the server after its first write while the views are opened, then let go;
 * from then until the stream ends a key is typed every KEY_GAP_MS into Prompt (Message in Chat),
 * which must be on screen at the first key and the last (a run fails otherwise). From Run (Send) to
 * the end of the stream: long tasks; keystroke-to-paint by the Event Timing API (durationThreshold
 * 16: under 16 ms shows as "<16"); display lag, arrival (the app's exported arrival times) → Output
 * painted (bench/app-probe.ts says how). Prints one table with the issue's targets, the busy/quiet
 * ratios, and writes its section of bench/results.json.
 *
 * Filters, to measure one change back to back: APP_SCENARIOS and APP_SURFACES (comma-separated
 * ids, e.g. `APP_SCENARIOS=md-burst,huge APP_SURFACES=markdown,token-stats`), APP_REPEAT (each
 * pair measured that many times, in turn), APP_DISTS (comma-separated build directories, e.g. a
 * copy of dist/ from before a change and dist/ itself: each pair is measured on each build in
 * turn, so a busy machine weighs on both alike). A filtered or repeated run prints its rows only
 * and leaves bench/results.json alone: the saved section is always the whole, single run.
 * APP_FRAMES=1 prints, under each measurement, its longest animation frames and what they spent
 * their time on (scripts by function, style and layout); build with `--minify false` to read them.
 * APP_TRACE=<dir> writes a Chrome trace of each stream (Run to end) there, for DevTools;
 * APP_TRACE_CATEGORIES (comma-separated) replaces its categories, e.g. with `cc` to see when the
 * compositor drew each frame. APP_CSS=<css> adds a stylesheet to every page measured: a CSS
 * change tried without a build (a run with it never writes bench/results.json).
 */
import path from 'node:path';
import { it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadTokenizer } from '../src/lib/engine/tokenizer';
import { launch } from '../tests/e2e/browser';
import { startBusy, stopBusy } from '../tests/e2e/busy';
import { HELD_STALL_SECONDS, KEY, connect, exportRun } from '../tests/e2e/harness';
import { serveDist } from '../tests/e2e/static-server';
import { generateDocument } from '../tests/fixtures/markdown-docs';
import { pacedStream, startServer, type TestServer } from '../tests/server/sse-server';
import {
  displayLag,
  framesIn,
  installProbe,
  keystrokesIn,
  longTasksIn,
  watchPaints,
  type DisplayLag,
  type Keystrokes,
  type LongTasks,
  type ProbeRecord,
} from './app-probe';
import { cpuShares, cpuTicks, describeShares, type CpuShares } from './machine';
import { saveResults } from './results';

const MARKDOWN_TOKENS = 20_000;
const KEY_GAP_MS = 40;
/** Keys typed at most per stream, and with no stream. */
const MAX_KEYS = 250;
const IDLE_KEYS = 60;
const BUSY_MS = 100;

/** The ids a comma-separated filter keeps, or everything when it is unset. */
function kept<T extends { id: string }>(all: T[], filter: string | undefined): T[] {
  const ids = filter
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!ids?.length) return all;
  const unknown = ids.filter((id) => !all.some((x) => x.id === id));
  if (unknown.length)
    throw new Error(`unknown ids: ${unknown.join(', ')} (have ${all.map((x) => x.id).join(', ')})`);
  return all.filter((x) => ids.includes(x.id));
}

interface Scenario {
  id: string;
  label: string;
  /** The server scenario (model) and the gate it holds at after its first write. */
  model: string;
  gate: string;
}

const SCENARIOS: Scenario[] = [
  {
    id: 'md-1000',
    label: '20k-token markdown @1,000 tok/s',
    model: 'bench-md-paced',
    gate: 'bench-md-paced',
  },
  { id: 'md-burst', label: '20k-token markdown, one burst', model: 'bench-md-burst', gate: 'bench-md-burst' },
  { id: 'huge', label: '100k-token plain answer', model: 'huge', gate: 'huge:start' },
  { id: 'burst', label: '5,000 chunks/s burst', model: 'burst', gate: 'burst:start' },
];

interface Surface {
  id: string;
  label: string;
  hash: string;
  chat: boolean;
  openViews: boolean;
  busy: boolean;
  /** The browser alone (bench/floor-page), not the app. */
  floor?: boolean;
}

const SURFACES: Surface[] = [
  {
    id: 'markdown',
    label: 'Live markdown, views open',
    hash: '#/live-markdown',
    chat: false,
    openViews: true,
    busy: false,
  },
  {
    id: 'markdown-busy',
    label: 'Live markdown, views open, busy page',
    hash: '#/live-markdown',
    chat: false,
    openViews: true,
    busy: true,
  },
  { id: 'chat', label: 'Chat', hash: '#/chat', chat: true, openViews: false, busy: false },
  { id: 'chat-busy', label: 'Chat, busy page', hash: '#/chat', chat: true, openViews: false, busy: true },
  {
    id: 'token-stats',
    label: 'Token stats (chart, stats, wire)',
    hash: '#/token-stats',
    chat: false,
    openViews: false,
    busy: false,
  },
  {
    id: 'bare',
    label: 'baseline: Live markdown, no views',
    hash: '#/live-markdown',
    chat: false,
    openViews: false,
    busy: false,
  },
  {
    id: 'floor',
    label: 'the browser alone (floor)',
    hash: '',
    chat: false,
    openViews: false,
    busy: false,
    floor: true,
  },
];

const FLOOR_PAGE = path.resolve('bench/floor-page');

/** The row the host took the largest share of CPU time from, and that share. */
function mostStolen(measurements: Measurement[]): string {
  const worst = measurements.reduce<Measurement | null>(
    (most, m) => (m.machine && (!most?.machine || m.machine.steal > most.machine.steal) ? m : most),
    null,
  );
  if (!worst?.machine) return 'no row (not measured)';
  return `${worst.scenario} / ${worst.surface}${worst.build && ` [${worst.build}]`} (${Math.round(worst.machine.steal * 100)}%)`;
}

interface Measurement {
  scenario: string;
  surface: string;
  /** Which of the APP_REPEAT rounds (from 0). */
  round: number;
  /** The build measured (APP_DISTS), or '' for dist/. */
  build: string;
  views: string[];
  /** Content chunks, and the rate they arrived at (first to last, from the export). */
  chunks: number;
  tokensPerSecond: number;
  streamMs: number;
  longTasks: LongTasks;
  keys: Keystrokes;
  lag: DisplayLag;
  /** Frames the busy page ran (0 when quiet). */
  busyFrames: number;
  /** The longest animation frames, what each spent its time on (printed with APP_FRAMES=1). */
  frames: string[];
  /** How busy the machine was while this row ran, and how much the host took (bench/machine.ts). */
  machine: CpuShares | null;
}

/** The 20k-token markdown answer, cut into its tokens, as the renderer bench builds it. */
async function markdownPieces(): Promise<string[]> {
  const tokenizer = await loadTokenizer();
  let doc = generateDocument(MARKDOWN_TOKENS, MARKDOWN_TOKENS * 3);
  while (tokenizer.count(doc) < MARKDOWN_TOKENS)
    doc += generateDocument(MARKDOWN_TOKENS + doc.length, MARKDOWN_TOKENS);
  return tokenizer
    .pieces(doc)
    .slice(0, MARKDOWN_TOKENS)
    .map((p) => p.text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = (page: Page) => page.evaluate(() => performance.now());
/**
 * performance.now() once the next frame has rendered: a task posted from an animation frame
 * callback runs after that frame's style, layout and paint. Ending a stream's window there counts
 * the frame that lays out the finished answer, which a plain now() may run before.
 */
const afterNextFrame = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now())))),
  );
const probeOf = (page: Page) => page.evaluate(() => (window as unknown as { __probe: ProbeRecord }).__probe);

/** Opens a view by whatever control the lab gives it: a checkbox, a closed details, a collapsed button. */
async function openView(page: Page, name: RegExp): Promise<void> {
  const panel = page.getByRole('tabpanel');
  const checkbox = panel.getByRole('checkbox', { name });
  if (await checkbox.count()) return checkbox.first().setChecked(true);
  const summary = panel.locator('details:not([open]) > summary', { hasText: name });
  if (await summary.count()) return summary.first().click();
  const button = panel.getByRole('button', { name, expanded: false });
  if (await button.count()) await button.first().click();
}

/** The views actually on screen now. */
async function viewsOn(page: Page): Promise<string[]> {
  const shown = {
    statistics: page.getByRole('table', { name: 'Key numbers' }),
    'statistics (advanced)': page.getByRole('table', { name: 'Statistics' }),
    'arrival chart': page.getByRole('slider', { name: /Chunk arrival chart/ }),
    'wire inspector': page.getByRole('region', { name: /Wire inspector/ }),
  };
  const on: string[] = [];
  for (const [name, locator] of Object.entries(shown))
    if (
      await locator
        .first()
        .isVisible()
        .catch(() => false)
    )
      on.push(name);
  return on;
}

async function appPage(browser: Browser, url: string, api: TestServer, hash: string, model: string) {
  const context = await browser.newContext();
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  await page.goto(`${url}${hash}`);
  await connect(page, {
    provider: 'Custom',
    baseURL: api.baseURL,
    key: KEY,
    model,
    stallSeconds: HELD_STALL_SECONDS,
  });
  return { page, close: () => context.close() };
}

/** The floor page on the same server and model: no connection panel, the query says where. */
async function floorPage(browser: Browser, url: string, api: TestServer, model: string) {
  const context = await browser.newContext();
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  const query = new URLSearchParams({ base: api.baseURL, model, key: KEY });
  await page.goto(`${url}?${query}`);
  return { page, close: () => context.close() };
}

async function measure(
  browser: Browser,
  url: string,
  floorUrl: string,
  api: TestServer,
  scenario: Scenario,
  surface: Surface,
): Promise<Omit<Measurement, 'build' | 'round' | 'machine'>> {
  const { page, close } = surface.floor
    ? await floorPage(browser, floorUrl, api, scenario.model)
    : await appPage(browser, url, api, surface.hash, scenario.model);
  if (process.env.APP_CSS) await page.addStyleTag({ content: process.env.APP_CSS });
  const busyContext = surface.busy ? await browser.newContext() : null;
  try {
    const busyPage = await busyContext?.newPage();
    if (busyPage) await startBusy(busyPage, BUSY_MS);
    const field = surface.chat ? page.getByLabel('Message') : page.getByRole('textbox', { name: 'Prompt' });
    const gate = api.hold(scenario.gate);
    const tracing = process.env.APP_TRACE;
    if (tracing)
      await browser.startTracing(page, {
        path: path.resolve(tracing, `${scenario.id}-${surface.id}.json`),
        categories: process.env.APP_TRACE_CATEGORIES?.split(',')
          .map((c) => c.trim())
          .filter(Boolean) ?? ['devtools.timeline', 'blink.user_timing', 'v8.execute'],
      });
    const from = await now(page);
    if (surface.chat) {
      await field.fill('Tell me about streaming.');
      await page.getByRole('button', { name: 'Send' }).click();
    } else await page.getByRole('button', { name: 'Run', exact: true }).click();
    await gate.reached;
    const output = page.getByRole('region', { name: /^Output/ });
    await output.getByText(/\S/).first().waitFor();
    if (surface.openViews) {
      await openView(page, /^Statistics$/);
      await openView(page, /^Advanced$/);
      await openView(page, /arrival chart/i);
      await openView(page, /wire inspector/i);
    }
    const views = await viewsOn(page);
    await output.evaluate(watchPaints);
    await field.fill('');
    await field.focus();
    // Chunks held back with the first write arrived long before anything could paint them.
    const released = await now(page);
    gate.release();
    const running = surface.chat
      ? page.getByRole('button', { name: 'Stop', exact: true })
      : page.getByRole('button', { name: 'Run', exact: true });
    // One element, found once: a locator would query the page by role on every check (every key),
    // walking the whole growing answer on the page's main thread, which is what is being measured.
    const button = await running.elementHandle();
    const ended = async () => (surface.chat ? !(await button.isEnabled()) : button.isEnabled());
    // A key whose change paints nothing (typed into a box off the screen) is timed by Event Timing
    // to the next frame that paints anything: the stream's cadence, not the key's cost.
    const onScreen = () =>
      field.evaluate((box) => {
        const { top, bottom } = box.getBoundingClientRect();
        return top >= 0 && bottom <= innerHeight;
      });
    const shown = [await onScreen()];
    for (let typed = 0; typed < MAX_KEYS && !(await ended()); typed++) {
      await page.keyboard.press('a');
      await sleep(KEY_GAP_MS);
    }
    shown.push(await onScreen());
    if (shown.includes(false))
      throw new Error(
        `${surface.label}: the box typed into was off the screen (at the first key, at the last: ${shown}); its keystroke times would not be the keys'`,
      );
    while (!(await ended())) await sleep(50);
    // A view may still be catching up a burst in steps once the run is over: the window ends
    // when the answer's cursor is gone (its final render) and that frame has rendered.
    await output.locator('.cursor').first().waitFor({ state: 'detached' });
    const to = await afterNextFrame(page);
    const busyFrames = busyPage ? await stopBusy(busyPage) : 0;
    type Arrivals = { startedAt: number; chunks: { t: number }[] };
    const exported = surface.floor
      ? await page.evaluate(() => (window as unknown as { __floor: Arrivals }).__floor)
      : ((await exportRun(page)) as Arrivals);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    const t0 = exported.startedAt - timeOrigin;
    const arrivals = exported.chunks.map((c) => t0 + c.t).filter((a) => a >= released);
    const record = await probeOf(page);
    const first = exported.chunks[0]?.t ?? 0;
    const last = exported.chunks.at(-1)?.t ?? 0;
    return {
      scenario: scenario.id,
      surface: surface.id,
      views,
      chunks: exported.chunks.length,
      tokensPerSecond: (exported.chunks.length - 1) / ((last - first) / 1000),
      streamMs: to - from,
      longTasks: longTasksIn(record, from, to),
      keys: keystrokesIn(record, from, to),
      lag: displayLag(arrivals, record),
      busyFrames,
      frames: framesIn(record, from, to),
    };
  } finally {
    if (process.env.APP_TRACE) await browser.stopTracing().catch(() => {});
    await busyContext?.close();
    await close();
  }
}

/** Keystroke-to-paint with no stream: IDLE_KEYS keys into the lab's field. */
async function idleTyping(browser: Browser, url: string, api: TestServer, surface: Surface) {
  const { page, close } = await appPage(browser, url, api, surface.hash, 'test-model');
  if (process.env.APP_CSS) await page.addStyleTag({ content: process.env.APP_CSS });
  try {
    const field = surface.chat ? page.getByLabel('Message') : page.getByRole('textbox', { name: 'Prompt' });
    await field.fill('');
    await field.focus();
    const from = await now(page);
    for (let i = 0; i < IDLE_KEYS; i++) {
      await page.keyboard.press('a');
      await sleep(KEY_GAP_MS);
    }
    const to = await now(page);
    const record = await probeOf(page);
    return {
      surface: surface.id,
      keys: keystrokesIn(record, from, to),
      longTasks: longTasksIn(record, from, to),
    };
  } finally {
    await close();
  }
}

const ms = (v: number | null) => (v === null ? '<16' : Number.isFinite(v) ? v.toFixed(0) : '–');
const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null && b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(1)}×` : '–';

/**
 * The issue's targets: ✓ / ✗ for tasks ≤ 50 ms, keystrokes and display lag. It asked for keystroke
 * p95 ≤ 16.7 ms and lag p95 ≤ 16.7 ms at 1,000 tok/s, and the browser alone does not reach them
 * while a stream paints: its key p95 measured 16-32 ms in the same scenarios (the app's own typing
 * with no stream: 16-24), and its lag p95 23-28 ms. A key waits for the next frame and then for
 * that frame to paint, and so does a chunk; a page that paints a stream every frame cannot beat
 * that. So each p95 is held to within one frame (16.7 ms) of the browser alone's in the same round
 * and scenario (a floor with no key over 16 ms holds the page to 16.7), '?' without a floor to
 * compare with or with no keys typed; the worst key is held to 50 ms always. The floor's own row
 * is not judged against itself ('–').
 */
function verdict(m: Measurement, floor: Measurement | undefined): string {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const tasks = mark(m.longTasks.worstMs <= 50);
  const own = m.surface === 'floor';
  let keys: string;
  if (own) keys = '–';
  else if (!m.keys.count) keys = '?';
  else if ((m.keys.worstMs ?? 0) > 50) keys = '✗';
  else keys = floor ? mark((m.keys.p95Ms ?? 0) <= (floor.keys.p95Ms ?? 0) + 16.7) : '?';
  const lag = own ? '–' : floor ? mark(m.lag.p95Ms <= floor.lag.p95Ms + 16.7) : '?';
  return `tasks ${tasks} keys ${keys}${m.scenario === 'md-1000' ? ` lag ${lag}` : ''}`;
}

const HEADER =
  '| scenario | surface | chunks @ rate | long tasks | worst task | task total | keys | keys ≥16 | key p95 | key worst | lag p50 | lag p95 | lag max | wait p95 | frame p95 | targets |';
const HEADER_RULE = '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';

it('the whole app while it streams: long tasks, keystroke-to-paint, display lag', async () => {
  const pieces = await markdownPieces();
  const dists = process.env.APP_DISTS?.split(',').filter(Boolean) ?? [];
  const apps = dists.length
    ? await Promise.all(dists.map(async (dir) => ({ build: dir, ...(await serveDist(path.resolve(dir))) })))
    : [{ build: '', ...(await serveDist()) }];
  const app = apps[0]!;
  const floor = await serveDist(FLOOR_PAGE);
  const api = await startServer({
    keys: [KEY],
    scenarios: {
      'bench-md-paced': (body) =>
        pacedStream(pieces, body, { perWrite: 16, gap: 16, gate: 'bench-md-paced' }),
      'bench-md-burst': (body) =>
        pacedStream(pieces, body, { perWrite: 1000, gap: 0, gate: 'bench-md-burst' }),
    },
  });
  const browser = await launch();
  const started = Date.now();
  const scenarios = kept(SCENARIOS, process.env.APP_SCENARIOS);
  const surfaces = kept(SURFACES, process.env.APP_SURFACES);
  const repeat = Math.max(1, Number(process.env.APP_REPEAT ?? 1) || 1);
  const whole =
    scenarios === SCENARIOS && surfaces === SURFACES && repeat === 1 && !dists.length && !process.env.APP_CSS;
  const measurements: Measurement[] = [];
  const idle: Awaited<ReturnType<typeof idleTyping>>[] = [];
  const runTicks = cpuTicks();
  try {
    if (whole)
      for (const surface of SURFACES.filter((s) => s.id === 'markdown' || s.id === 'chat'))
        idle.push(await idleTyping(browser, app.url, api, surface));
    for (let round = 0; round < repeat; round++)
      for (const scenario of scenarios)
        for (const surface of surfaces)
          for (const { build, url } of surface.floor ? [{ build: '', url: '' }] : apps) {
            const before = cpuTicks();
            const measured = await measure(browser, url, floor.url, api, scenario, surface);
            const m = { ...measured, build, round, machine: cpuShares(before, cpuTicks()) };
            measurements.push(m);
            // Progress, so a slow machine shows where it is, and how busy it was.
            process.stderr.write(
              `${scenario.id} / ${surface.id}${build && ` [${build}]`}: ${m.chunks} chunks in ${(m.streamMs / 1000).toFixed(1)} s; machine ${describeShares(m.machine)}\n`,
            );
            if (process.env.APP_FRAMES) {
              const parts = m.keys.parts;
              if (parts)
                process.stderr.write(
                  `  keys ≥16 ms, p95 of each part: input delay ${parts.inputDelayMs.toFixed(0)}, handlers ${parts.processingMs.toFixed(0)}, to paint ${parts.presentationMs.toFixed(0)}\n`,
                );
              process.stderr.write(m.frames.map((f) => `  ${f}\n`).join(''));
            }
          }
  } finally {
    await browser.close();
    await api.close();
    for (const served of apps) await served.close();
    await floor.close();
  }
  const machine = `Machine during the run: ${describeShares(cpuShares(runTicks, cpuTicks()))}; the host took the most from ${mostStolen(measurements)}.`;
  const find = (scenario: string, surface: string) =>
    measurements.find((m) => m.scenario === scenario && m.surface === surface)!;
  const floorOf = ({ scenario, round }: Measurement) =>
    measurements.find((m) => m.scenario === scenario && m.round === round && m.surface === 'floor');
  const rows = measurements.map((m) => {
    const scenario = SCENARIOS.find((s) => s.id === m.scenario)!;
    const surface = SURFACES.find((s) => s.id === m.surface)!;
    return `| ${scenario.label} | ${surface.label}${m.build && ` [${m.build}]`} | ${m.chunks} @ ${m.tokensPerSecond.toFixed(0)}/s | ${m.longTasks.count} | ${ms(m.longTasks.worstMs)} | ${ms(m.longTasks.totalMs)} | ${m.keys.count} | ${m.keys.over16} | ${ms(m.keys.p95Ms)} | ${ms(m.keys.worstMs)} | ${ms(m.lag.p50Ms)} | ${ms(m.lag.p95Ms)} | ${ms(m.lag.maxMs)}${m.lag.unpainted ? ` (${m.lag.unpainted} unpainted)` : ''} | ${ms(m.lag.waitP95Ms)} | ${ms(m.lag.frameP95Ms)} | ${verdict(m, floorOf(m))} |`;
  });
  if (!whole) {
    process.stdout.write(['', HEADER, HEADER_RULE, ...rows, '', machine, ''].join('\n'));
    return;
  }
  const ratios = SCENARIOS.flatMap((scenario) =>
    [
      ['Live markdown', 'markdown-busy', 'markdown'],
      ['Chat', 'chat-busy', 'chat'],
      ['views / no views', 'markdown', 'bare'],
      ['Live markdown / browser alone', 'markdown', 'floor'],
      ['Chat / browser alone', 'chat', 'floor'],
    ].map(([label, a, b]) => {
      const x = find(scenario.id, a!);
      const y = find(scenario.id, b!);
      return `| ${scenario.label} | ${label} | ${ratio(x.longTasks.count, y.longTasks.count)} | ${ratio(x.longTasks.worstMs, y.longTasks.worstMs)} | ${ratio(x.longTasks.totalMs, y.longTasks.totalMs)} | ${ratio(x.keys.worstMs, y.keys.worstMs)} | ${ratio(x.lag.p95Ms, y.lag.p95Ms)} |`;
    }),
  );
  const table = [
    '',
    'The whole app while it streams (headless Chromium; Run → end of stream; ms; keystroke-to-paint by Event Timing, "<16" = under its 16 ms threshold)',
    '',
    HEADER,
    HEADER_RULE,
    ...idle.map(
      (i) =>
        `| no stream | baseline typing: ${i.surface === 'chat' ? 'Chat Message' : 'Prompt'} | | ${i.longTasks.count} | ${ms(i.longTasks.worstMs)} | ${ms(i.longTasks.totalMs)} | ${i.keys.count} | ${i.keys.over16} | ${ms(i.keys.p95Ms)} | ${ms(i.keys.worstMs)} | | | | | | |`,
    ),
    ...rows,
    '',
    'Ratios (busy page / quiet, views open / none, and the app / the browser alone):',
    '',
    '| scenario | pair | long tasks | worst task | task total | key worst | lag p95 |',
    '|---|---|---|---|---|---|---|',
    ...ratios,
    '',
    `Views open: ${[...new Set(measurements.filter((m) => m.surface === 'markdown').flatMap((m) => m.views))].join(', ') || 'none'} (Live markdown); ${find('huge', 'token-stats').views.join(', ')} (Token stats).`,
    `Busy page: ${BUSY_MS} ms of work every frame; it ran ${measurements
      .filter((m) => m.busyFrames)
      .map((m) => m.busyFrames)
      .join(', ')} frames.`,
    'Targets (issue 15): no task > 50 ms; keystroke p95 within one frame (16.7 ms) of the browser alone in the same scenario, worst ≤ 50 ms; display lag p95 at 1,000 tok/s within one frame of the browser alone (the issue asked ≤ 16.7 ms for both, below what the browser alone reaches while a stream paints).',
    'The browser alone (bench/floor-page): a worker fetches, the page appends the text once a frame in a block per line and at the end shows the last paragraph as one <p> (as a one-shot render does); no SDK, markdown or views. At a steady rate its figures are the floor of this browser and machine; under a burst it is the naive page. Its long task on the 100k answer is the layout of that one 205 KB paragraph.',
    'Display lag = wait (arrival → the start of the frame that shows the chunk) + frame (that frame start → painted); each p95. Text is published once a frame, so the wait alone nears a whole frame (16.7 ms at 60 Hz) for a chunk that arrives just after a frame began.',
    machine,
    `Took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    '',
  ].join('\n');
  process.stdout.write(table);
  await saveResults('app', {
    keyGapMs: KEY_GAP_MS,
    busyMs: BUSY_MS,
    idle,
    measurements,
  });
});
