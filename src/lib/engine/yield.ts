/**
 * Time slicing for loops over data that is already there: a stream delivered in one burst resolves
 * every read as a microtask, so a plain `for await` over it never lets the browser paint or take
 * input until it is done. A Slicer tells such a loop when it has held the thread for its budget,
 * and gives the thread back for one turn of the event loop.
 *
 * Yielding one turn is not enough under a burst: Chromium runs a `scheduler.yield()` continuation
 * ahead of rendering, so a loop that yields every 8 ms can still hold back the next frame for
 * 100 ms and more (measured: frames of 120–180 ms made of 8 ms slices, every keystroke waiting for
 * them to paint). So the slicers of a page share a frame budget: once they have worked
 * FRAME_BUDGET_MS since the last frame began, the next yield waits until a frame has rendered.
 *
 * Invariants:
 * - `due()` is false until `budgetMs` of work have passed since the slicer was made, last
 *   yielded, or last began work after a pause (`begin()`), and true from then on; `yield()`
 *   resolves in a later task (never a microtask, never a clamped timer) and starts the budget
 *   afresh when it resolves. Only that work counts against the frame budget.
 * - In a visible page, sliced work of all slicers together that reaches FRAME_BUDGET_MS within one
 *   frame makes the yield wait for the next frame to render (a task after its callbacks). The
 *   frame is told by `document.timeline.currentTime`, which changes when a frame begins. A
 *   hidden page (no frames) and a context with no document yield one turn; a frame that does not
 *   come within FRAME_WAIT_MAX_MS, or the page turning hidden, ends the wait anyway, and after a
 *   timeout slicers yield turns until a frame begins again.
 * - Slicing changes when work runs, never what it does: the loop sees the same values in order.
 * - The clock and the way of yielding are injectable, so both are testable without a browser.
 */

/** Gives the thread back for one turn of the event loop. */
export type YieldTask = () => Promise<void>;

/** Main-thread work longer than this delays a frame; a loop yields well before a long task (50 ms). */
const SLICE_BUDGET_MS = 5;
/** A pause between a loop's items longer than this was a wait for data, not work (see `begin`). */
const IDLE_GAP_MS = 1;

interface SchedulerYield {
  yield(): Promise<void>;
}

/**
 * `scheduler.yield()` where the browser has it (Chromium: the loop continues ahead of other
 * queued tasks, after input and rendering), else a MessageChannel message — a task that, unlike
 * setTimeout(0), is never clamped to 4 ms.
 */
export const yieldToEventLoop: YieldTask = () => {
  const scheduler = (globalThis as { scheduler?: Partial<SchedulerYield> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
};

/**
 * Sliced work all loops together do in one frame before they let it render. Measured in the app
 * bench against 8 ms: under a burst, display lag p95 45–61 ms instead of 74–105 and keystrokes
 * 32–40 ms instead of 40–56, while a 100,000-token burst takes about 1.5 times as long to drain.
 */
export const FRAME_BUDGET_MS = 5;
/** A frame wait never outlasts this, even if no frame comes. */
const FRAME_WAIT_MAX_MS = 100;

/** Waits for the next frame to render; resolves in a task. */
export type FrameWait = () => Promise<void>;

/** The frame a wait gave up on (no frame came): until another begins, there are none to wait for. */
let stalledFrame: number | null = null;

/** The current frame's start (it changes when a frame begins), or null with no frames to wait for. */
function currentFrame(): number | null {
  if (typeof document === 'undefined' || typeof requestAnimationFrame !== 'function') return null;
  if (document.visibilityState !== 'visible') return null;
  const t = document.timeline?.currentTime;
  return typeof t === 'number' && t !== stalledFrame ? t : null;
}

let waiting: Promise<void> | null = null;

/**
 * Resolves in a task after the next frame rendered (a message posted from its animation frame
 * callback runs after the frame's rendering), or after FRAME_WAIT_MAX_MS, or when the page turns
 * hidden. Every waiter shares one wait. A wait that times out marks its frame stalled, so slicers
 * stop waiting for frames until one comes.
 */
export const afterNextFrame: FrameWait = () => {
  if (waiting) return waiting;
  const from = currentFrame();
  const wait = new Promise<void>((resolve) => {
    let settled = false;
    const done = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      document.removeEventListener('visibilitychange', hidden);
      if (timedOut) stalledFrame = from;
      if (waiting === wait) waiting = null;
      resolve();
    };
    const hidden = () => done(false);
    const timer = setTimeout(() => done(true), FRAME_WAIT_MAX_MS);
    document.addEventListener('visibilitychange', hidden);
    const frame = requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        done(false);
      };
      channel.port2.postMessage(null);
    });
  });
  waiting = wait;
  return wait;
};

/** The page's shared frame budget: which frame it is for, and how much of it sliced work used. */
const budget = { frame: null as number | null, spentMs: 0 };

/** Counts `ms` of sliced work against `frame`'s budget (a new frame starts it afresh). */
function spend(frame: number | null, ms: number): void {
  if (frame !== budget.frame) {
    budget.frame = frame;
    budget.spentMs = 0;
  }
  budget.spentMs += ms;
}

/** Whether sliced work should let `frame` render before going on. */
function frameSpent(frame: number | null): boolean {
  return frame !== null && frame === budget.frame && budget.spentMs >= FRAME_BUDGET_MS;
}

export interface Slicer {
  /**
   * A piece of work begins (a loop calls it when an await has given it its next item): if the
   * loop paused longer than IDLE_GAP_MS since its last `due()`, it waited for data that was not
   * there yet (the network, another loop's turn), and its budget starts afresh from now — a wait
   * is not work, and another loop's work is not this one's.
   */
  begin(): void;
  /** The loop has held the thread for its budget: it should `yield()` before going on. */
  due(): boolean;
  /** Yields to the event loop; the budget starts again when the loop resumes. */
  yield(): Promise<void>;
}

export function createSlicer({
  budgetMs = SLICE_BUDGET_MS,
  now = () => performance.now(),
  yieldTask = yieldToEventLoop,
  frame = currentFrame,
  frameWait = afterNextFrame,
}: {
  budgetMs?: number;
  now?: () => number;
  yieldTask?: YieldTask;
  /** The current frame (see currentFrame), injectable for tests. */
  frame?: () => number | null;
  frameWait?: FrameWait;
} = {}): Slicer {
  let since = now();
  /** When the loop last checked in (its last `due()`, or its resumption). */
  let seen = since;
  return {
    begin() {
      const t = now();
      if (t - seen > IDLE_GAP_MS) since = t;
      seen = t;
    },
    due() {
      seen = now();
      return seen - since >= budgetMs;
    },
    async yield() {
      const current = frame();
      spend(current, now() - since);
      if (frameSpent(current)) await frameWait();
      else await yieldTask();
      since = seen = now();
    },
  };
}
