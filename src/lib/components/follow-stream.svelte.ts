/**
 * `{@attach followStream(() => running)}`: a scrolling container that follows a growing stream.
 *
 * Invariants:
 * - While pinned, every change to the container's content scrolls it to the bottom, at most once
 *   per animation frame (one layout read per frame, however many chunks arrived).
 * - Scrolling up unpins it: the learner's position is kept while text keeps arriving. Scrolling
 *   back to the bottom pins it again. Growth or shrinking content never unpins it by itself.
 * - When a run starts (the getter turns true) the container is pinned again, and if it is below (or
 *   above) the viewport, the page scrolls smoothly just far enough to show it whole as it will be
 *   at its full height, with `below()` under it when given (Chat's Message box and Stop button,
 *   which the growing log would otherwise push off the screen) — never further than its top, so the
 *   controls above it stay in sight where they fit. While the box grows (the page may be too short
 *   to scroll that far at first) the page keeps it in view, until the run ends (one last time in
 *   the frame after, as a run's end may add text above it) or the learner scrolls or presses a key:
 *   from then on the page is theirs.
 * - The container is made focusable, so it can be scrolled from the keyboard.
 */
import type { Attachment } from 'svelte/attachments';

/** Within this many pixels of the bottom counts as at the bottom (sub-pixel rounding, zoom). */
const SLACK_PX = 4;
/** Room kept above the container when the page scrolls to reveal it. */
const MARGIN_PX = 8;

export function atBottom(node: HTMLElement): boolean {
  return node.scrollHeight - node.scrollTop - node.clientHeight <= SLACK_PX;
}

/**
 * How far the page should scroll down (positive) or up (negative) to show a box whose top is at
 * `top` and whose height will grow to `height`, in a viewport `viewport` pixels tall; 0 if it fits.
 */
export function revealBy(top: number, height: number, viewport: number): number {
  if (top < 0) return top - MARGIN_PX;
  const overflow = top + height + MARGIN_PX - viewport;
  if (overflow <= 0) return 0;
  return Math.min(overflow, Math.max(0, top - MARGIN_PX));
}

/** The height the box will reach: its max-height when it has one, else its current height. */
function fullHeight(node: HTMLElement): number {
  const max = parseFloat(getComputedStyle(node).maxHeight);
  return Number.isFinite(max) ? Math.min(max, window.innerHeight) : node.getBoundingClientRect().height;
}

export function followStream(
  running: () => boolean,
  below?: () => Element | null | undefined,
): Attachment<HTMLElement> {
  return (node) => {
    let pinned = true;
    // Read in the first frame, not now: reading a layout value while the view mounts would force
    // a layout in the middle of the mount, one long task instead of two.
    let lastTop = 0;
    const first = requestAnimationFrame(() => (lastTop = node.scrollTop));
    let frame = 0;
    /** The page keeps the box in view (from a run's start until the learner takes over). */
    let revealing = false;
    if (node.tabIndex < 0) node.tabIndex = 0;

    const reveal = () => {
      const box = node.getBoundingClientRect();
      // What sits under the box moves down with it as it grows: its distance below the box now.
      const after = below?.();
      const under = after ? Math.max(0, after.getBoundingClientRect().bottom - box.bottom) : 0;
      const by = revealBy(box.top, fullHeight(node) + under, window.innerHeight);
      if (Math.abs(by) >= 1) window.scrollBy({ top: by, behavior: 'smooth' });
    };
    const follow = () => {
      frame = 0;
      if (revealing) reveal();
      if (!pinned) return;
      node.scrollTop = node.scrollHeight;
      lastTop = node.scrollTop;
    };
    const schedule = () => {
      if ((pinned || revealing) && !frame) frame = requestAnimationFrame(follow);
    };
    const takeOver = () => {
      revealing = false;
    };
    const intents = ['wheel', 'touchmove', 'keydown'] as const;
    for (const type of intents) window.addEventListener(type, takeOver, { passive: true });
    const onScroll = () => {
      const top = node.scrollTop;
      if (atBottom(node)) pinned = true;
      else if (top < lastTop) pinned = false;
      lastTop = top;
    };
    node.addEventListener('scroll', onScroll, { passive: true });
    const observer = new MutationObserver(schedule);
    observer.observe(node, { childList: true, subtree: true, characterData: true });

    let wasRunning = false;
    $effect(() => {
      const now = running();
      if (now && !wasRunning) {
        pinned = true;
        revealing = true;
        reveal();
        schedule();
      }
      if (!now && wasRunning && revealing) {
        // What a run's end adds above the box (a check, a note) must not push it out of view:
        // one last reveal once that has rendered, then the page is the learner's.
        requestAnimationFrame(() => {
          if (revealing) reveal();
          revealing = false;
        });
      } else if (!now) revealing = false;
      wasRunning = now;
    });

    return () => {
      observer.disconnect();
      for (const type of intents) window.removeEventListener(type, takeOver);
      node.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(first);
      if (frame) cancelAnimationFrame(frame);
    };
  };
}
