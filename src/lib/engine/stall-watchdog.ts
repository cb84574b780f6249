/**
 * The stall watchdog: calls `onStall` once `ms` pass with no `arm()`. The tap arms it when a
 * body starts and again after every read, and stops it when the body ends either way.
 *
 * Invariants: at most one timer is pending; after `stop()` it fires only if armed again; `ms` <= 0 disables it.
 */
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
