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
 * - `due()` is false until `budgetMs` have passed since the slicer was made or last yielded, and
 *   true from then on; `yield()` resolves in a later task (never a microtask, never a clamped
 *   timer) and starts the budget afresh when it resolves.
 * - In a visible page, sliced work of all slicers together that reaches FRAME_BUDGET_MS within one
 *   frame makes the yield wait for the next frame to render (a task after its callbacks). The
 *   frame is told by `document.timeline.currentTime`, which changes when a frame begins. A
 *   hidden page (no frames) and a context with no document yield one turn; a frame that does not
 *   come within FRAME_WAIT_MAX_MS, or the page turning hidden, ends the wait anyway.
 * - Slicing changes when work runs, never what it does: the loop sees the same values in order.
 * - The clock and the way of yielding are injectable, so both are testable without a browser.
 */

/** Gives the thread back for one turn of the event loop. */
export type YieldTask = () => Promise<void>;

/** Main-thread work longer than this delays a frame; a loop yields well before a long task (50 ms). */
const SLICE_BUDGET_MS = 8;

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

/** Sliced work all loops together do in one frame before they let it render. */
export const FRAME_BUDGET_MS = 8;
/** A frame wait never outlasts this, even if no frame comes. */
const FRAME_WAIT_MAX_MS = 100;

/** Waits for the next frame to render; resolves in a task. */
export type FrameWait = () => Promise<void>;

/** The current frame's start (it changes when a frame begins), or null with no frames to wait for. */
function currentFrame(): number | null {
  if (typeof document === 'undefined' || typeof requestAnimationFrame !== 'function') return null;
  if (document.visibilityState !== 'visible') return null;
  const t = document.timeline?.currentTime;
  return typeof t === 'number' ? t : null;
}

let waiting: Promise<void> | null = null;

/**
 * Resolves in a task after the next frame rendered (a message posted from its animation frame
 * callback runs after the frame's rendering), or after FRAME_WAIT_MAX_MS, or when the page turns
 * hidden. Every waiter shares one wait.
 */
export const afterNextFrame: FrameWait = () =>
  (waiting ??= new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', done);
      waiting = null;
      resolve();
    };
    const timer = setTimeout(done, FRAME_WAIT_MAX_MS);
    document.addEventListener('visibilitychange', done);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        done();
      };
      channel.port2.postMessage(null);
    });
  }));

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
  return {
    due: () => now() - since >= budgetMs,
    async yield() {
      const current = frame();
      spend(current, now() - since);
      if (frameSpent(current)) await frameWait();
      else await yieldTask();
      since = now();
    },
  };
}
