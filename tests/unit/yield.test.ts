/**
 * The slicer (engine/yield.ts) with an injected clock: when a loop must give the thread back, and
 * that giving it back takes a turn of the event loop, not a microtask.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FRAME_BUDGET_MS, afterNextFrame, createSlicer, yieldToEventLoop } from '../../src/lib/engine/yield';

describe('createSlicer', () => {
  /** Busy-waits `ms`, as a collection or another loop's work would hold the thread. */
  const hold = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  it('counts awaits that come back within the task as work, however slow, and is due after its budget', async () => {
    const slicer = createSlicer({ budgetMs: 5, yieldTask: async () => {} });
    let items = 0;
    // Each item's await is a microtask that holds the thread 2 ms: all of it is one task.
    for (; items < 100; items++) {
      await Promise.resolve().then(() => hold(2));
      slicer.begin();
      if (slicer.due()) break;
    }
    // A pause of more than a millisecond used to count as a wait for data, so this never came due.
    expect(items).toBeLessThanOrEqual(3);
  });

  it('starts its budget afresh after an await that gave the thread back to other tasks', async () => {
    // The task count's channel is made on first use, and in Node a new port's first message can
    // come a turn late, so the first wait would count as work. Make the channel, and let it start.
    createSlicer();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const slicer = createSlicer({ budgetMs: 5, yieldTask: async () => {} });
    for (let items = 0; items < 10; items++) {
      hold(2);
      // The next item comes in a later task, as a network read does. An immediate, not a timer:
      // Node's event loop may run an expired timer before it polls for the message that counts
      // the task's end; an immediate runs after that poll.
      await new Promise((resolve) => setImmediate(resolve));
      slicer.begin();
      expect(slicer.due()).toBe(false);
    }
  });

  it('is due once the budget has passed since it was made, and not before', () => {
    let clock = 100;
    const slicer = createSlicer({ budgetMs: 8, now: () => clock, yieldTask: async () => {} });
    expect(slicer.due()).toBe(false);
    clock = 107.9;
    expect(slicer.due()).toBe(false);
    clock = 108;
    expect(slicer.due()).toBe(true);
    clock = 500;
    expect(slicer.due()).toBe(true);
  });

  it('yields through its yield task and starts the budget again when the loop resumes', async () => {
    let clock = 0;
    const turns: number[] = [];
    const slicer = createSlicer({
      budgetMs: 8,
      now: () => clock,
      // The event loop's turn takes time too: the budget runs from the resumption, not the request.
      yieldTask: async () => {
        turns.push(clock);
        clock += 30;
      },
    });
    clock = 10;
    expect(slicer.due()).toBe(true);
    await slicer.yield();
    expect(turns).toEqual([10]);
    expect(slicer.due()).toBe(false);
    clock = 47;
    expect(slicer.due()).toBe(false);
    clock = 48;
    expect(slicer.due()).toBe(true);
  });
});

describe('the frame budget slicers share', () => {
  /** A slicer on a shared fake clock and frame, recording how each of its yields went. */
  function slicerAt(clock: { t: number; frame: number | null; task?: number }, log: string[], name: string) {
    return createSlicer({
      budgetMs: 1,
      now: () => clock.t,
      frame: () => clock.frame,
      tasks: () => clock.task ?? 0,
      yieldTask: async () => void log.push(`${name}: turn`),
      frameWait: async () => void log.push(`${name}: frame`),
    });
  }

  it('waits for a frame once the slicers together have worked its budget, not before', async () => {
    const clock = { t: 0, frame: 1_000 as number | null };
    const log: string[] = [];
    const a = slicerAt(clock, log, 'a');
    clock.t += FRAME_BUDGET_MS / 2;
    await a.yield();
    // b starts its work where a stopped: the two halves fill the frame.
    const b = slicerAt(clock, log, 'b');
    clock.t += FRAME_BUDGET_MS / 2;
    await b.yield();
    expect(log).toEqual(['a: turn', 'b: frame']);
  });

  it('counts a wait for data that gave the thread back as no work, and a slow await in the same task as work', async () => {
    const clock = { t: 0, frame: 3_000 as number | null, task: 0 };
    const log: string[] = [];
    const a = slicerAt(clock, log, 'a');
    clock.t += 0.5;
    expect(a.due()).toBe(false);
    // The next item came 20 ms later, in another task: the budget starts when it is there.
    clock.t += 20;
    clock.task++;
    a.begin();
    clock.t += FRAME_BUDGET_MS / 2;
    await a.yield();
    expect(log).toEqual(['a: turn']);
    // An await that took 20 ms within the same task (a collection, another loop's work) is
    // that task's work: the loop must give the thread back at once.
    clock.t += 20;
    a.begin();
    expect(a.due()).toBe(true);
    await a.yield();
    expect(log).toEqual(['a: turn', 'a: frame']);
  });

  it('starts the budget afresh in a new frame', async () => {
    const clock = { t: 0, frame: 2_000 as number | null };
    const log: string[] = [];
    const a = slicerAt(clock, log, 'a');
    clock.t += FRAME_BUDGET_MS;
    await a.yield();
    clock.frame = 2_016;
    clock.t += FRAME_BUDGET_MS / 2;
    await a.yield();
    expect(log).toEqual(['a: frame', 'a: turn']);
  });

  it('only yields turns where there are no frames to wait for (no document, a hidden page)', async () => {
    const clock = { t: 0, frame: null as number | null };
    const log: string[] = [];
    const a = slicerAt(clock, log, 'a');
    clock.t += FRAME_BUDGET_MS * 10;
    await a.yield();
    expect(log).toEqual(['a: turn']);
  });
});

describe('afterNextFrame', () => {
  afterEach(() => vi.unstubAllGlobals());

  function stubPage(raf: (cb: FrameRequestCallback) => number) {
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('document', page);
    vi.stubGlobal('requestAnimationFrame', raf);
    vi.stubGlobal('cancelAnimationFrame', () => {});
    return page;
  }

  it('resolves in a task after the frame callback, one wait shared by every waiter', async () => {
    // The fallback timer is fake and never runs: only the frame can end this wait.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const frames: FrameRequestCallback[] = [];
      stubPage((cb) => frames.push(cb));
      let resolved = 0;
      const both = Promise.all([afterNextFrame(), afterNextFrame()]).then(() => resolved++);
      expect(frames).toHaveLength(1);
      for (let i = 0; i < 100; i++) await Promise.resolve();
      expect(resolved).toBe(0);
      frames[0]!(0);
      // Not within the frame callback: after it, in a task.
      for (let i = 0; i < 100; i++) await Promise.resolve();
      expect(resolved).toBe(0);
      await both;
      expect(resolved).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up waiting when no frame comes, or the page turns hidden', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      stubPage(() => 0);
      let gaveUp = false;
      const noFrame = afterNextFrame().then(() => (gaveUp = true));
      await vi.advanceTimersByTimeAsync(99);
      expect(gaveUp).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await noFrame;
      expect(gaveUp).toBe(true);
      const page = stubPage(() => 0);
      let ended = false;
      const hidden = afterNextFrame().then(() => (ended = true));
      await vi.advanceTimersByTimeAsync(50);
      expect(ended).toBe(false);
      page.dispatchEvent(new Event('visibilitychange'));
      await hidden;
      expect(ended).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a page that stops making frames', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('after a frame wait times out, slicers yield turns until a frame begins again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const timeline = { currentTime: 7_000 };
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible', timeline }));
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
    let clock = 0;
    const turns: number[] = [];
    const slicer = createSlicer({ now: () => clock, yieldTask: async () => void turns.push(clock) });
    clock += FRAME_BUDGET_MS;
    const waited = slicer.yield();
    await vi.advanceTimersByTimeAsync(100);
    await waited;
    expect(turns).toEqual([]);
    // No frame came: the next yields are turns, not another 100 ms wait each.
    clock += FRAME_BUDGET_MS;
    await slicer.yield();
    expect(turns).toEqual([clock]);
    // A frame began: the budget applies again.
    timeline.currentTime = 7_016;
    clock += FRAME_BUDGET_MS;
    let resumed = false;
    const next = slicer.yield().then(() => (resumed = true));
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(resumed).toBe(false);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    frames.at(-1)!(0);
    await next;
    expect(turns).toHaveLength(1);
  });
});

describe('yieldToEventLoop', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('resolves in a later task, after every pending microtask', async () => {
    let resolved = false;
    const done = yieldToEventLoop().then(() => (resolved = true));
    for (let i = 0; i < 1000; i++) await Promise.resolve();
    expect(resolved).toBe(false);
    await done;
    expect(resolved).toBe(true);
  });

  it('uses scheduler.yield where the browser has it', async () => {
    const schedulerYield = vi.fn(() => Promise.resolve());
    vi.stubGlobal('scheduler', { yield: schedulerYield });
    await yieldToEventLoop();
    expect(schedulerYield).toHaveBeenCalledOnce();
  });
});
