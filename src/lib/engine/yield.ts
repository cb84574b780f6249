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
 * - `due()` is false until `budgetMs` have passed since the slicer was made, last yielded, or
 *   last began work in a task after the one it last checked in from (`begin()`), and true from
 *   then on: everything in between counts, whoever ran it (a collection, another loop's
 *   microtasks), because it is all one task. `yield()` resolves in a later task (never a
 *   microtask, never a clamped timer) and starts the budget afresh when it resolves. A yield
 *   counts the loop's budget so far against the frame budget (two loops in one task may both
 *   count the stretch they shared: the frame waits sooner, never later).
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

/** Counts the tasks that ended since a slicer last checked in (see `taskCount`). */
let tasksEnded = 0;
/** The channel whose message counts the next task's end (both ports kept: see taskCount). */
let counter: MessageChannel | null = null;
let counting = false;

/**
 * A count that moves once the current task has ended: the first call in a task posts a message
 * (one at a time for the whole page) that counts one when it runs, and a message runs only after
 * the task that posted it. So a loop whose count moved across an await gave the thread back while
 * it waited (for the network, a turn); one whose count did not is still in the task it checked in
 * from, however long the await took.
 */
function taskCount(): number {
  if (counting) return tasksEnded;
  if (!counter) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      tasksEnded++;
      counting = false;
    };
    // Node keeps a process alive while a port listens; a count must not.
    (channel.port1 as { unref?: () => void }).unref?.();
    // Held here, the listening port cannot be collected: a lost message would leave `counting`
    // set, and every wait for the network would then count as work.
    counter = channel;
  }
  counting = true;
  counter.port2.postMessage(null);
  return tasksEnded;
}

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
   * A piece of work begins (a loop calls it when an await has given it its next item): if a task
   * ended since the loop last checked in, it gave the thread back while it waited for data, and
   * its budget starts afresh from now. An await that came back within the same task started
   * nothing: the time it took (a collection, the SDK's work, another loop's) is the task's, and a
   * budget that restarted on every slow await let one task run on for 70 ms (traced).
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
  tasks = taskCount,
}: {
  budgetMs?: number;
  now?: () => number;
  yieldTask?: YieldTask;
  /** The current frame (see currentFrame), injectable for tests. */
  frame?: () => number | null;
  frameWait?: FrameWait;
  /** A count that moves when a task ends (see taskCount), injectable for tests. */
  tasks?: () => number;
} = {}): Slicer {
  let since = now();
  /** The task count when the loop last checked in (made, `due()`, resumed). */
  let task = tasks();
  return {
    begin() {
      const current = tasks();
      if (current !== task) since = now();
      task = current;
    },
    due() {
      task = tasks();
      return now() - since >= budgetMs;
    },
    async yield() {
      const current = frame();
      spend(current, now() - since);
      if (frameSpent(current)) await frameWait();
      else await yieldTask();
      since = now();
      task = tasks();
    },
  };
}
