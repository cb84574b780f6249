/**
 * A test's way to act at a state change, not after a timer: `then` runs once, in the effect flush
 * (a microtask) after `when()` — read from reactive state — first turns true.
 */
export function once(when: () => boolean, then: () => void): () => void {
  let fired = false;
  return $effect.root(() => {
    $effect(() => {
      if (!fired && when()) {
        fired = true;
        then();
      }
    });
  });
}
