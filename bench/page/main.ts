/**
 * The benchmark page: streams markdown into the DOM with (a) the naive full re-render per update
 * and (b) the incremental renderer, each update in its own task, timing main-thread work
 * (parse, sanitize, DOM insert and forced layout) and counting long tasks. Also the baseline for
 * arrival timing: the bare SDK, stamping each chunk on the main thread as it is yielded.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import OpenAI from 'openai';
import { IncrementalMarkdown } from '../../src/lib/markdown/incremental';
import { VIOLATIONS_JS } from '../../tests/fixtures/dom-violations';

export interface UpdateRun {
  times: number[];
  /** Index of each timed update (all of them, or a sample for the slowest naive runs). */
  indices: number[];
  longTasks: number;
  finalMs: number;
}

const out = document.getElementById('out') as HTMLElement;
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

function naive(text: string): void {
  out.innerHTML = DOMPurify.sanitize(marked.parse(text) as string);
}

async function updates(pieces: string[], mode: 'naive' | 'ours', sampleEvery: number): Promise<UpdateRun> {
  // Clearing the previous run's DOM is not part of this run: do it, lay out, and settle first.
  out.replaceChildren();
  void out.offsetHeight;
  await new Promise((r) => setTimeout(r, 100));
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
  observer.observe({ type: 'longtask' });
  const view = mode === 'ours' ? new IncrementalMarkdown(out) : null;
  const times: number[] = [];
  const indices: number[] = [];
  let text = '';
  for (let i = 0; i < pieces.length; i++) {
    text += pieces[i];
    // The naive render depends only on the text so far, so a uniform sample estimates its total.
    if (sampleEvery > 1 && i % sampleEvery !== 0 && i !== pieces.length - 1) continue;
    const started = performance.now();
    if (view) view.update(text);
    else naive(text);
    void out.offsetHeight;
    times.push(performance.now() - started);
    indices.push(i);
    await nextTask();
  }
  const started = performance.now();
  if (view) view.finish(text);
  void out.offsetHeight;
  const finalMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 200));
  observer.disconnect();
  return { times, indices, longTasks, finalMs };
}

/**
 * Display lag: pieces arrive on a clock at `tokensPerSecond`; as in RunState they go into a
 * buffer and the view updates once per animation frame. Lag is arrival → that update finished.
 */
async function lag(pieces: string[], tokensPerSecond: number): Promise<{ lags: number[]; frames: number }> {
  out.replaceChildren();
  const view = new IncrementalMarkdown(out);
  const arrivals: number[] = [];
  const lags: number[] = [];
  let buffer = '';
  let arrived = 0;
  let rendered = 0;
  let scheduled = false;
  let frames = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const flush = () => {
      scheduled = false;
      frames++;
      view.update(buffer);
      void out.offsetHeight;
      const done = performance.now();
      for (; rendered < arrived; rendered++) lags.push(done - (arrivals[rendered] as number));
      if (rendered === pieces.length) {
        view.finish(buffer);
        resolve({ lags, frames });
      }
    };
    const pump = () => {
      const due = Math.min(pieces.length, Math.floor(((performance.now() - start) * tokensPerSecond) / 1000));
      for (; arrived < due; arrived++) {
        buffer += pieces[arrived];
        arrivals.push(performance.now());
      }
      if (arrived > rendered && !scheduled) {
        scheduled = true;
        requestAnimationFrame(flush);
      }
      if (arrived < pieces.length) setTimeout(pump, 1);
    };
    pump();
  });
}

const violations = new Function(`return ${VIOLATIONS_JS}`)() as (root: Element) => string[];

/** Streams `prefix + payload` into a fresh view one character at a time, then finishes. */
function xss(payload: string, prefix: string): string[] {
  const root = document.createElement('div');
  out.replaceChildren(root);
  const view = new IncrementalMarkdown(root);
  const found = new Set<string>();
  const text = prefix + payload;
  for (let k = prefix.length + 1; k <= text.length; k++) {
    view.update(text.slice(0, k));
    for (const v of violations(root)) found.add(`at ${k - prefix.length}: ${v}`);
  }
  view.finish(text);
  for (const v of violations(root)) found.add(`final: ${v}`);
  return [...found];
}

/**
 * The bare-SDK baseline: stream with the openai SDK on the main thread and stamp each content
 * chunk (epoch ms) when the loop receives it, as an app without a network worker would.
 */
async function bareSdk(baseURL: string, apiKey: string, model: string): Promise<number[]> {
  const client = new OpenAI({ baseURL, apiKey, dangerouslyAllowBrowser: true, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  });
  const arrivals: number[] = [];
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) arrivals.push(performance.timeOrigin + performance.now());
  }
  return arrivals;
}

Object.assign(window, { bench: { updates, lag, xss, violations, bareSdk } });
