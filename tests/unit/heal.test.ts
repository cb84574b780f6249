import { describe, expect, it } from 'vitest';
import { heal } from '../../src/lib/markdown/heal';

describe('heal', () => {
  it.each([
    ['Some **bol', 'Some **bol**'],
    ['an *emph', 'an *emph*'],
    ['run `npm i', 'run `npm i`'],
    ['~~gone', '~~gone~~'],
    ['**bold and *both', '**bold and *both***'],
    ['done **bold** here', 'done **bold** here'],
    ['snake_case_name', 'snake_case_name'],
    ['* list item', '* list item'],
  ])('closes %j for display', (input, expected) => {
    expect(heal(input)).toBe(expected);
  });

  it('closes an open code fence and leaves its content alone', () => {
    expect(heal('Text\n\n```python\nx = "**"')).toBe('Text\n\n```python\nx = "**"\n```');
  });

  it('leaves a closed fence as it is', () => {
    expect(heal('```\ncode\n```\n\nafter *x')).toBe('```\ncode\n```\n\nafter *x*');
  });

  it('shows a half-written link as its text', () => {
    expect(heal('see [the docs](https://exa')).toBe('see the docs');
  });

  it('drops a half-written image so no partial URL is requested', () => {
    expect(heal('look ![a cat](https://evil.example/x?d=')).toBe('look ');
    expect(heal('look ![a ca')).toBe('look ');
  });

  it('only heals the last paragraph', () => {
    expect(heal('a **b\n\nc *d')).toBe('a **b\n\nc *d*');
  });
});

describe('heal on hostile tails', () => {
  const shapes: Record<string, (n: number) => string> = {
    'images opened': (n) => '!['.repeat(n),
    'links opened': (n) => '['.repeat(n),
    'brackets closed': (n) => '[a]('.repeat(n),
    'images closed': (n) => '![a]('.repeat(n),
    'alt text': (n) => `![${'a'.repeat(n)}`,
    'spaces then emphasis': (n) => `*x${' '.repeat(n)}`,
  };

  it.each(Object.keys(shapes))('examines each character a bounded number of times: %s', (name) => {
    const work = (n: number) => {
      const meter = { steps: 0 };
      heal(shapes[name]!(n), meter);
      return meter.steps / shapes[name]!(n).length;
    };
    // Steps per character stay flat as the input grows 16-fold; a quadratic scan would not.
    expect(work(16_000)).toBeLessThanOrEqual(8);
    expect(work(16_000)).toBeLessThanOrEqual(work(1_000) + 0.5);
  });

  it('keeps the half-written link and image rules', () => {
    // As the regular expression it replaces: the first link swallows the rest as its URL.
    expect(heal('[a]('.repeat(1000))).toBe('a');
    expect(heal('[a] and ![b](http://x')).toBe('[a] and ');
    expect(heal('[a ![b](http://x')).toBe('[a ');
    expect(heal('see [x](y) and [z](htt')).toBe('see [x](y) and z');
    expect(heal('![a](b) ![c')).toBe('![a](b) ');
    expect(heal('line\n[a](b')).toBe('line\na');
  });
});
