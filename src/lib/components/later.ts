/**
 * Mounting a view in steps, so no one task holds the first paint or the first input for long:
 * `inNextTask` runs a callback in a task of its own, as soon as the current task (and the
 * rendering after it) is done, and returns a cancel function (an effect's teardown). A part
 * mounted this way appears one step after what came before it, never in the same long task.
 */
export function inNextTask(callback: () => void): () => void {
  const id = setTimeout(callback);
  return () => clearTimeout(id);
}

/**
 * Runs `callback` in a task after the next frame has rendered (a task queued from an animation
 * frame callback runs after that frame's rendering): work that reads layout then finds it clean
 * instead of forcing the layout of everything the current task changed. Returns a cancel function.
 */
export function afterNextPaint(callback: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(callback)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
