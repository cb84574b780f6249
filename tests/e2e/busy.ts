/**
 * Keeps a page's main thread busy on purpose: `ms` of synchronous work on every animation frame,
 * as a heavy renderer would, until `stopBusy`. Used to prove (tests) and measure (bench) that
 * arrival times do not depend on what the main thread is doing.
 */
import type { Page } from 'playwright-core';

interface BusyWindow {
  __busy: boolean;
  __busyFrames: number;
}

export async function startBusy(page: Page, ms: number): Promise<void> {
  await page.evaluate((ms) => {
    const w = window as unknown as BusyWindow;
    w.__busy = true;
    w.__busyFrames = 0;
    const frame = () => {
      if (!w.__busy) return;
      const until = performance.now() + ms;
      while (performance.now() < until);
      w.__busyFrames += 1;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, ms);
}

/** Stops the busy loop; returns how many busy frames ran. */
export function stopBusy(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as BusyWindow;
    w.__busy = false;
    return w.__busyFrames;
  });
}
