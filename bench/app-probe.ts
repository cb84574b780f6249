/**
 * What bench/app.run.ts records inside the app's page, and the pure reductions of it.
 *
 * In the page (`installProbe`, an init script, so it sees everything from the first task):
 * - long tasks (PerformanceObserver 'longtask', buffered), and long animation frames
 *   ('long-animation-frame': what a frame over 50 ms spent on scripts, by function, and on style
 *   and layout), which APP_FRAMES=1 prints to say what the long tasks are made of;
 * - Event Timing entries of 16 ms and more (type 'event', durationThreshold 16: the browser's own
 *   input-to-next-paint for each event), and the timeStamp of every keydown;
 * - once `watchPaints` is called on Output: for each batch of DOM changes in it, when it was made,
 *   whether it was made inside a frame's callbacks (a rAF loop registered first sets a flag that a
 *   task posted from it clears after the frame), the start of that frame
 *   (document.timeline.currentTime), and when its task ended (a task posted from the
 *   MutationObserver callback; for a change made in a frame, that is once the frame has rendered
 *   and been handed to the compositor). Both tasks are posted at 'user-blocking' priority
 *   (scheduler.postTask, else a MessageChannel message), so they run first after the frame and
 *   not behind the page's own queued tasks, which run after the frame was committed and so do not
 *   hold back what it shows.
 *
 * In node: long tasks inside a window; keystroke latency per keydown (Event Timing, the longest
 * entry of its interaction; a keydown with no entry took under 16 ms); display lag per chunk,
 * arrival → the end of the first Output change that could show it: one made in a frame that
 * began at or after the arrival (the app publishes text once a frame, from what it holds when the
 * frame begins), or one made outside a frame after the arrival (the final render). That assumes
 * a change shows everything that arrived before it (raw display, the default). A task queued
 * during a frame runs before the flag is cleared and passes for part of that frame; the chunks
 * its change showed then count for the next change (lag overstated) or, after the last one, as
 * unpainted: a handful per run, reported.
 */
import { percentile } from '../src/lib/metrics/metrics';

export interface ProbeRecord {
  longTasks: { start: number; duration: number }[];
  frames: LongFrame[];
  events: {
    name: string;
    start: number;
    duration: number;
    interactionId: number;
    processingStart: number;
    processingEnd: number;
  }[];
  keys: number[];
  paints: { changed: number; inFrame: boolean; frame: number; painted: number }[];
}

/** A long animation frame: its scripts by function, and the style and layout that ended it. */
export interface LongFrame {
  start: number;
  duration: number;
  /** From style-and-layout start to the frame's end: the rendering update's own work. */
  styleAndLayoutMs: number;
  scripts: { what: string; ms: number; forcedLayoutMs: number }[];
}

interface LoafEntry {
  startTime: number;
  duration: number;
  styleAndLayoutStart: number;
  scripts: {
    invokerType: string;
    invoker: string;
    sourceFunctionName: string;
    sourceURL: string;
    sourceCharPosition: number;
    duration: number;
    forcedStyleAndLayoutDuration: number;
  }[];
}

interface ProbeWindow {
  __probe: ProbeRecord;
}

/** Runs in the page before its own scripts (page.addInitScript): keep it self-contained. */
export function installProbe(): void {
  const probe: ProbeRecord = { longTasks: [], frames: [], events: [], keys: [], paints: [] };
  (window as unknown as ProbeWindow).__probe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    // Long animation frames are newer than TypeScript's DOM types.
    for (const e of list.getEntries() as unknown as LoafEntry[])
      probe.frames.push({
        start: e.startTime,
        duration: e.duration,
        styleAndLayoutMs: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
        scripts: e.scripts.map((s) => ({
          what: `${s.invokerType} ${s.invoker} ${s.sourceFunctionName || '?'}@${s.sourceURL.split('/').pop()}:${s.sourceCharPosition}`,
          ms: s.duration,
          forcedLayoutMs: s.forcedStyleAndLayoutDuration,
        })),
      });
  }).observe({ type: 'long-animation-frame', buffered: true });
  new PerformanceObserver((list) => {
    // interactionId is newer than TypeScript's DOM types.
    for (const e of list.getEntries() as (PerformanceEventTiming & { interactionId: number })[])
      probe.events.push({
        name: e.name,
        start: e.startTime,
        duration: e.duration,
        interactionId: e.interactionId,
        processingStart: e.processingStart,
        processingEnd: e.processingEnd,
      });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
  addEventListener('keydown', (e) => probe.keys.push(e.timeStamp), true);
}

/** Runs in the page (page.evaluate with Output's element): starts recording Output's paints. */
export function watchPaints(output: Element): void {
  const probe = (window as unknown as ProbeWindow).__probe;
  // scheduler.postTask is newer than TypeScript's DOM types.
  const scheduler = (
    window as unknown as {
      scheduler?: { postTask?: (task: () => void, options: { priority: string }) => Promise<void> };
    }
  ).scheduler;
  const post = (task: () => void) => {
    if (scheduler?.postTask) void scheduler.postTask(task, { priority: 'user-blocking' });
    else {
      const channel = new MessageChannel();
      channel.port1.onmessage = task;
      channel.port2.postMessage(0);
    }
  };
  let inFrame = false;
  const tick = () => {
    inFrame = true;
    post(() => (inFrame = false));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const changes: Omit<ProbeRecord['paints'][number], 'painted'>[] = [];
  const taskEnd = () => {
    const change = changes.shift();
    if (change) probe.paints.push({ ...change, painted: performance.now() });
  };
  new MutationObserver(() => {
    const changed = performance.now();
    changes.push({ changed, inFrame, frame: Number(document.timeline.currentTime ?? changed) });
    post(taskEnd);
  }).observe(output, { childList: true, subtree: true, characterData: true });
}

export interface LongTasks {
  count: number;
  worstMs: number;
  totalMs: number;
}

export function longTasksIn(record: ProbeRecord, from: number, to: number): LongTasks {
  const inside = record.longTasks.filter((t) => t.start >= from && t.start <= to);
  return {
    count: inside.length,
    worstMs: Math.max(0, ...inside.map((t) => t.duration)),
    totalMs: inside.reduce((s, t) => s + t.duration, 0),
  };
}

/** The long animation frames inside [from, to], one line each: longest first, at most `max`. */
export function framesIn(record: ProbeRecord, from: number, to: number, max = 8): string[] {
  return record.frames
    .filter((f) => f.start >= from && f.start <= to)
    .sort((a, b) => b.duration - a.duration)
    .slice(0, max)
    .map((f) => {
      const scripts = f.scripts
        .filter((s) => s.ms >= 2)
        .map(
          (s) =>
            `${s.what} ${s.ms.toFixed(0)}${s.forcedLayoutMs >= 1 ? ` (forced layout ${s.forcedLayoutMs.toFixed(0)})` : ''}`,
        )
        .join('; ');
      // When in the stream: a long frame at its start, in its middle or at its end has other causes.
      const at = `at ${(f.start - from).toFixed(0)} of ${(to - from).toFixed(0)} ms`;
      return `${f.duration.toFixed(0)} ms ${at}: style+layout+paint ${f.styleAndLayoutMs.toFixed(0)}; ${scripts || 'no script ≥ 2 ms'}`;
    });
}

export interface Keystrokes {
  /**
   * Where the slow keystrokes' time went, p95 of each over the keys that reached 16 ms (their
   * longest event): waiting for the thread (input delay: start → handlers ran), the handlers
   * themselves, and from the handlers to the next paint (presentation delay). null: no such key.
   */
  parts: { inputDelayMs: number; processingMs: number; presentationMs: number } | null;
  count: number;
  /** Keystrokes whose input-to-next-paint reached 16 ms (the Event Timing threshold). */
  over16: number;
  /** null: under 16 ms (Event Timing reports nothing shorter). */
  p95Ms: number | null;
  worstMs: number | null;
}

/** Keystroke-to-paint of the keydowns inside [from, to]. */
export function keystrokesIn(record: ProbeRecord, from: number, to: number): Keystrokes {
  const slowest = record.keys
    .filter((t) => t >= from && t <= to)
    .map((t) => {
      const down = record.events.find((e) => e.name === 'keydown' && Math.abs(e.start - t) < 0.01);
      if (!down) return null;
      const same = down.interactionId
        ? record.events.filter((e) => e.interactionId === down.interactionId)
        : [down];
      return same.reduce((a, b) => (b.duration > a.duration ? b : a));
    });
  const latencies = slowest.map((e) => e?.duration ?? 0).sort((a, b) => a - b);
  const slow = slowest.filter((e) => e !== null && e.duration >= 16) as ProbeRecord['events'];
  const p95 = (xs: number[]) =>
    percentile(
      xs.sort((a, b) => a - b),
      95,
    );
  const orNull = (v: number | undefined) => (v !== undefined && v >= 16 ? v : null);
  return {
    parts: slow.length
      ? {
          inputDelayMs: p95(slow.map((e) => e.processingStart - e.start)),
          processingMs: p95(slow.map((e) => e.processingEnd - e.processingStart)),
          presentationMs: p95(slow.map((e) => e.start + e.duration - e.processingEnd)),
        }
      : null,
    count: latencies.length,
    over16: latencies.filter((v) => v >= 16).length,
    p95Ms: orNull(percentile(latencies, 95)),
    worstMs: orNull(latencies.at(-1)),
  };
}

export interface DisplayLag {
  chunks: number;
  /** Chunks no Output change could have shown (should be none). */
  unpainted: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /**
   * The two parts of the lag, p95 each: waiting for the frame that showed the chunk to begin
   * (arrival → frame start; 0 for a change made outside a frame), and that frame's own work until
   * it had painted (frame start → painted). The wait alone reaches a whole frame (16.7 ms at
   * 60 Hz) for a chunk that arrives just after a frame began.
   */
  waitP95Ms: number;
  frameP95Ms: number;
}

/** Display lag of chunks arriving at `arrivals` (page clock, ascending) against Output's paints. */
export function displayLag(arrivals: number[], record: ProbeRecord): DisplayLag {
  const paints = record.paints;
  // The earliest arrival each change could show: nondecreasing along the paints in effect, so
  // one pass finds each chunk's first.
  const shows = (paint: ProbeRecord['paints'][number]) => (paint.inFrame ? paint.frame : paint.changed);
  const lags: number[] = [];
  const waits: number[] = [];
  const frames: number[] = [];
  let p = 0;
  for (const a of arrivals) {
    while (p < paints.length && !(shows(paints[p]!) >= a)) p++;
    if (p === paints.length) break;
    const paint = paints[p]!;
    lags.push(paint.painted - a);
    waits.push(Math.max(0, shows(paint) - a));
    frames.push(paint.painted - Math.max(shows(paint), a));
  }
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  sorted(lags);
  return {
    chunks: arrivals.length,
    unpainted: arrivals.length - lags.length,
    p50Ms: percentile(lags, 50),
    p95Ms: percentile(lags, 95),
    maxMs: lags.at(-1) ?? NaN,
    waitP95Ms: percentile(sorted(waits), 95),
    frameP95Ms: percentile(sorted(frames), 95),
  };
}
