import { describe, expect, it } from 'vitest';
import { IncrementalMarkdown } from '../../src/lib/markdown/incremental';
import { NAIVE_CAP_CHARS, NaiveMarkdown } from '../../src/lib/markdown/naive';
import { revealBy } from '../../src/lib/components/follow-stream.svelte';

describe('NaiveMarkdown (the clear-and-redraw loop)', () => {
  it('re-parses the whole text on every update, and ends with the same DOM as the incremental view', () => {
    const text = '# Title\n\nSome **bold** text.\n\n- one\n- two\n\n```js\nlet x = 1;\n```\n';
    const naiveRoot = document.createElement('div');
    const oursRoot = document.createElement('div');
    const naive = new NaiveMarkdown(naiveRoot);
    const ours = new IncrementalMarkdown(oursRoot);
    let expected = 0;
    for (let i = 1; i <= text.length; i += 7) {
      naive.update(text.slice(0, i));
      ours.update(text.slice(0, i));
      expected += i;
    }
    expect(naive.parsedChars).toBe(expected);
    expect(naiveRoot.querySelector('.cursor')).not.toBeNull();
    naive.finish(text);
    ours.finish(text);
    expect(naiveRoot.textContent).toBe(oursRoot.textContent);
    expect(naiveRoot.querySelector('.cursor')).toBeNull();
    expect(ours.parsedChars).toBeLessThan(naive.parsedChars);
  });

  it('sanitizes what it draws while the text streams', () => {
    const root = document.createElement('div');
    new NaiveMarkdown(root).update(
      'Hi <img src=x onerror="alert(1)"> <script>alert(2)</script> <a href="javascript:x">l</a>',
    );
    expect(root.querySelector('script, img, [onerror], a[href^="javascript"]')).toBeNull();
  });

  it('stops re-rendering past its size cap, says why, and still draws the final text', () => {
    const root = document.createElement('div');
    const naive = new NaiveMarkdown(root);
    naive.update('short');
    const long = 'word '.repeat(NAIVE_CAP_CHARS / 4);
    naive.update(long);
    expect(naive.paused).toBe('size');
    expect(root.textContent).toContain('short');
    naive.finish(long + 'END');
    expect(root.textContent).toContain('END');
    expect(naive.paused).toBe('size');
    naive.update('next run');
    expect(naive.paused).toBeNull();
    expect(root.textContent).toContain('next run');
  });
});

describe('revealBy (how far the page scrolls to show Output)', () => {
  it('does nothing when the box fits', () => {
    expect(revealBy(100, 400, 800)).toBe(0);
  });
  it('scrolls down just enough to show the box at its full height', () => {
    expect(revealBy(700, 400, 800)).toBe(308);
  });
  it('never scrolls the box top out of view, even if the box is taller than the room', () => {
    expect(revealBy(300, 1000, 800)).toBe(292);
  });
  it('scrolls up to a box above the viewport', () => {
    expect(revealBy(-200, 100, 800)).toBe(-208);
  });
});
