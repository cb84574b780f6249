/**
 * MarkdownView under a burst: a text far longer than one step arriving between two frames is
 * rendered over several frames, STEP_CHARS at a time, and ends equal to a one-shot render.
 */
import { render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import MarkdownView, { STEP_CHARS, nextCut } from '../../src/lib/components/MarkdownView.svelte';
import { IncrementalMarkdown } from '../../src/lib/markdown/incremental';

const paragraph = (i: number) => `Paragraph ${i} with **bold** and \`code\` ${'word '.repeat(30)}\n\n`;
const burst = Array.from({ length: 200 }, (_, i) => paragraph(i)).join('');

function fullRender(text: string): string {
  const root = document.createElement('div');
  new IncrementalMarkdown(root).finish(text);
  return root.innerHTML;
}

describe('MarkdownView under a burst', () => {
  /** Frames run only when the test says so. */
  const frames: FrameRequestCallback[] = [];
  const nextFrame = () => {
    for (const cb of frames.splice(0)) cb(performance.now());
    flushSync();
  };
  afterEach(() => {
    vi.unstubAllGlobals();
    frames.length = 0;
  });

  it('shows one step a frame, goes on after the stream ends, and ends as a one-shot render', async () => {
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
    expect(burst.length).toBeGreaterThan(5 * STEP_CHARS);
    const { container, rerender } = render(MarkdownView, { text: burst, streaming: true });
    const view = container.querySelector('.markdown')!;
    const shown = () => view.textContent?.length ?? 0;
    // The first frame got one step of the burst, not all of it.
    expect(view.textContent).toContain('Paragraph 0 ');
    expect(shown()).toBeLessThanOrEqual(2 * STEP_CHARS);
    // The stream ends with most of the burst still to render: the steps go on, a step a frame.
    await rerender({ text: burst, streaming: false });
    let before = shown();
    let steps = 0;
    while (!view.textContent?.includes('Paragraph 199 ')) {
      nextFrame();
      expect(shown() - before).toBeLessThanOrEqual(2 * STEP_CHARS);
      before = shown();
      expect(++steps).toBeLessThan(50);
    }
    expect(steps).toBeGreaterThan(3);
    nextFrame();
    expect(view.innerHTML).toBe(fullRender(burst));
  });

  it('renders a text that was never streamed here whole at once', () => {
    const { container } = render(MarkdownView, { text: burst, streaming: false });
    expect(container.querySelector('.markdown')!.innerHTML).toBe(fullRender(burst));
  });
});

describe('nextCut', () => {
  it('takes all of a small backlog, and a step ending at a line break of a large one', () => {
    expect(nextCut('abc', 0)).toBe(3);
    const text = `${'a'.repeat(STEP_CHARS + 10)}\n${'b'.repeat(3 * STEP_CHARS)}`;
    expect(nextCut(text, 0)).toBe(STEP_CHARS + 11);
    // No line break within two steps: cut at exactly one step on.
    expect(nextCut('x'.repeat(5 * STEP_CHARS), STEP_CHARS)).toBe(2 * STEP_CHARS);
  });
});
