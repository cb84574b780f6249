import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MarkdownView from '../../src/lib/components/MarkdownView.svelte';

/** The text nodes under `root` that show something, in document order. */
function visibleTextNodes(root: Element): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent?.trim()) nodes.push(n as Text);
  return nodes;
}

/** Renders `text` mid-stream and returns the view's root. */
function streaming(text: string): Element {
  const { container } = render(MarkdownView, { text, streaming: true });
  return container.querySelector('.markdown')!;
}

// Each partial answer ends with some inline or block element followed, or not, by more text.
const PARTIALS: [string, string][] = [
  ['text after a bold span', 'Good code is easy to **change**. These principles'],
  ['inside an unfinished bold span', 'Good code is easy to **chan'],
  ['right after a closed bold span', 'Good code is easy to **change**'],
  ['text after inline code', 'Call `fetch()` and then read'],
  ['inside unfinished inline code', 'Call `fet'],
  ['text after a link', 'See [the docs](https://example.com/docs) for more'],
  ['text after italics in a list item', '- first\n- second *item* with more'],
  ['a bold span ending a numbered item', '1. one\n2. **two**'],
  ['an open code fence', 'Example:\n\n```js\nconst a = 1;\n'],
  ['text after a heading with code', '## Use `map`\n\nThen **filter** the rest'],
  ['a quote ending in a link and text', '> read [this](https://example.com) first'],
  ['a space after bold', 'Easy to **change** '],
];

describe('the streaming cursor in rendered markdown', () => {
  it.each(PARTIALS)('is the last thing in text order: %s', (_name, text) => {
    const root = streaming(text);
    const cursors = root.querySelectorAll('.cursor');
    expect(cursors).toHaveLength(1);
    const nodes = visibleTextNodes(root);
    expect(nodes.at(-1)?.parentElement).toBe(cursors[0]);
    // Everything the text shows comes before the cursor.
    expect(root.textContent?.trimEnd().endsWith('▌')).toBe(true);
  });

  it('stays at the live end as the text grows past a bold span', async () => {
    const { container, rerender } = render(MarkdownView, { text: 'easy to **change**', streaming: true });
    await rerender({ text: 'easy to **change**. These principles', streaming: true });
    const root = container.querySelector('.markdown')!;
    expect(visibleTextNodes(root).at(-1)?.parentElement?.classList.contains('cursor')).toBe(true);
    expect(root.querySelector('strong .cursor')).toBeNull();
  });
});
