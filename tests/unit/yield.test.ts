/**
 * The slicer (engine/yield.ts) with an injected clock: when a loop must give the thread back, and
 * that giving it back takes a turn of the event loop, not a microtask.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSlicer, yieldToEventLoop } from '../../src/lib/engine/yield';

describe('createSlicer', () => {
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
