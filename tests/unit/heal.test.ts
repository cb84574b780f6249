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
