/**
 * What bench/app.run.ts records inside the app's page, and the pure reductions of it.
 *
 * In the page (`installProbe`, an init script, so it sees everything from the first task):
 * - long tasks (PerformanceObserver 'longtask', buffered);
 * - Event Timing entries of 16 ms and more (type 'event', durationThreshold 16: the browser's own
 *   input-to-next-paint for each event), and the timeStamp of every keydown;
 * - once `watchPaints` is called on Output: for each batch of DOM changes in it, the start of the
 *   frame it was made in (document.timeline.currentTime) and when that task ended (a
 *   MessageChannel message posted from the MutationObserver callback runs after the frame's
 *   rendering when the change was made in a frame's callbacks, as the app's once-a-frame flush is).
 *
 * In node: long tasks inside a window; keystroke latency per keydown (Event Timing, the longest
 * entry of its interaction; a keydown with no entry took under 16 ms); display lag per chunk,
 * arrival → the end of the first Output change made in a frame that began at or after the
 * arrival. That pairing assumes a frame shows everything that arrived before it began (raw
 * display); a change made outside a frame counts against the frame before it, so the lag is, if
 * anything, overstated by up to one frame.
 */
import { percentile } from '../src/lib/metrics/metrics';

export interface ProbeRecord {
  longTasks: { start: number; duration: number }[];
  events: { name: string; start: number; duration: number; interactionId: number }[];
  keys: number[];
  paints: { frame: number; painted: number }[];
}

interface ProbeWindow {
  __probe: ProbeRecord;
}

/** Runs in the page before its own scripts (page.addInitScript): keep it self-contained. */
export function installProbe(): void {
  const probe: ProbeRecord = { longTasks: [], events: [], keys: [], paints: [] };
  (window as unknown as ProbeWindow).__probe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    // interactionId is newer than TypeScript's DOM types.
    for (const e of list.getEntries() as (PerformanceEventTiming & { interactionId: number })[])
      probe.events.push({
        name: e.name,
        start: e.startTime,
        duration: e.duration,
        interactionId: e.interactionId,
      });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
  addEventListener('keydown', (e) => probe.keys.push(e.timeStamp), true);
}

/** Runs in the page (page.evaluate with Output's element): starts recording Output's paints. */
export function watchPaints(output: Element): void {
  const probe = (window as unknown as ProbeWindow).__probe;
  const frames: number[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () =>
    probe.paints.push({ frame: frames.shift() ?? NaN, painted: performance.now() });
  new MutationObserver(() => {
    frames.push(Number(document.timeline.currentTime ?? performance.now()));
    channel.port2.postMessage(0);
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

export interface Keystrokes {
  count: number;
  /** Keystrokes whose input-to-next-paint reached 16 ms (the Event Timing threshold). */
  over16: number;
  /** null: under 16 ms (Event Timing reports nothing shorter). */
  p95Ms: number | null;
  worstMs: number | null;
}

/** Keystroke-to-paint of the keydowns inside [from, to]. */
export function keystrokesIn(record: ProbeRecord, from: number, to: number): Keystrokes {
  const latencies = record.keys
    .filter((t) => t >= from && t <= to)
    .map((t) => {
      const down = record.events.find((e) => e.name === 'keydown' && Math.abs(e.start - t) < 0.01);
      if (!down) return 0;
      const same = down.interactionId
        ? record.events.filter((e) => e.interactionId === down.interactionId)
        : [down];
      return Math.max(...same.map((e) => e.duration));
    })
    .sort((a, b) => a - b);
  const orNull = (v: number | undefined) => (v !== undefined && v >= 16 ? v : null);
  return {
    count: latencies.length,
    over16: latencies.filter((v) => v >= 16).length,
    p95Ms: orNull(percentile(latencies, 95)),
    worstMs: orNull(latencies.at(-1)),
  };
}

export interface DisplayLag {
  chunks: number;
  /** Chunks that arrived after Output's last change (should be none). */
  unpainted: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Display lag of chunks arriving at `arrivals` (page clock, ascending) against Output's paints. */
export function displayLag(arrivals: number[], record: ProbeRecord): DisplayLag {
  const paints = record.paints;
  const lags: number[] = [];
  let p = 0;
  for (const a of arrivals) {
    while (p < paints.length && !(paints[p]!.frame >= a)) p++;
    if (p === paints.length) break;
    lags.push(paints[p]!.painted - a);
  }
  lags.sort((a, b) => a - b);
  return {
    chunks: arrivals.length,
    unpainted: arrivals.length - lags.length,
    p50Ms: percentile(lags, 50),
    p95Ms: percentile(lags, 95),
    maxMs: lags.at(-1) ?? NaN,
  };
}
