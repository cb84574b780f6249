/**
 * Mounting a view in steps, so no one task holds the first paint or the first input for long: each
 * helper runs a callback later, in a task of its own, and returns a cancel function (an effect's
 * teardown).
 *
 * - `inNextTask`: as soon as the current task (and the rendering after it) is done; for what the
 *   learner sees right away, one step after what came before it.
 * - `whenIdle`: when the browser is idle, or after `timeoutMs` at the latest, so a busy page still
 *   gets it; for what nobody needs in the first frames (below the fold, or behind a click).
 */
export function inNextTask(callback: () => void): () => void {
  const id = setTimeout(callback);
  return () => clearTimeout(id);
}

export function whenIdle(callback: () => void, timeoutMs = 1000): () => void {
  if (typeof requestIdleCallback !== 'function') return inNextTask(callback);
  const id = requestIdleCallback(() => callback(), { timeout: timeoutMs });
  return () => cancelIdleCallback(id);
}
