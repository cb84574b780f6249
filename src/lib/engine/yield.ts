/**
 * Time slicing for loops over data that is already there: a stream delivered in one burst resolves
 * every read as a microtask, so a plain `for await` over it never lets the browser paint or take
 * input until it is done. A Slicer tells such a loop when it has held the thread for its budget,
 * and gives the thread back for one turn of the event loop.
 *
 * Invariants:
 * - `due()` is false until `budgetMs` have passed since the slicer was made or last yielded, and
 *   true from then on; `yield()` resolves in a later task (never a microtask, never a clamped
 *   timer) and starts the budget afresh when it resolves.
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
}: { budgetMs?: number; now?: () => number; yieldTask?: YieldTask } = {}): Slicer {
  let since = now();
  return {
    due: () => now() - since >= budgetMs,
    async yield() {
      await yieldTask();
      since = now();
    },
  };
}
