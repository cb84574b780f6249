/**
 * `load` (a dynamic import of code loaded when first needed) as a function that runs it once and
 * keeps its promise: every caller shares the one load, and once the code is in, every later call
 * hands over a settled promise (so an `{#await}` on it shows its result at once, not a pending
 * branch for a task). A failed load is forgotten, so the next call asks again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
