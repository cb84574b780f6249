/**
 * How the simulator waits: abortable sleeps and jittered delays. An abort rejects at once with the
 * DOMException a real fetch body errors with, so the SDK treats it exactly like a closed connection.
 */

export function abortError(): DOMException {
  return new DOMException('The request was aborted.', 'AbortError');
}

export function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `mean` varied by up to ±jitter (0..1) of itself, never below 0. */
export function jittered(mean: number, jitter: number): number {
  return Math.max(0, mean * (1 + (Math.random() * 2 - 1) * jitter));
}
