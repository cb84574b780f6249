/**
 * The stall watchdog: calls `onStall` once `ms` pass with no `arm()`. The tap arms it when a
 * body starts and again after every read, and stops it when the body ends either way.
 *
 * Invariants: at most one timer is pending; after `stop()` it fires only if armed again; `ms` <= 0 disables it.
 */
/** What a body fails with when the watchdog fires. */
export class StallError extends Error {
  override name = 'StallError';
  constructor(readonly afterMs: number) {
    super(`No data arrived for ${Math.round(afterMs / 1000)} s; the stream stalled.`);
  }
}

export interface Watchdog {
  arm(): void;
  stop(): void;
}

export function createWatchdog(ms: number, onStall: () => void): Watchdog {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    arm() {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(onStall, ms);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
