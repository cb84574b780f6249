import { describe, expect, it } from 'vitest';
import {
  capNesting,
  GrowingCap,
  MAX_HTML_DEPTH,
  MAX_INDENT,
  MAX_MARKERS,
} from '../../src/lib/markdown/nesting';

/** Every prefix of `text`, capped by one GrowingCap as it grows, against a fresh one-shot cap. */
function expectGrowingMatches(text: string, step = 1): void {
  const growing = new GrowingCap();
  for (let i = 0; i <= text.length; i += step) {
    const prefix = text.slice(0, i);
    expect(growing.cap(prefix), `at ${i} of ${JSON.stringify(text.slice(0, 80))}`).toBe(capNesting(prefix));
  }
  expect(growing.cap(text)).toBe(capNesting(text));
}

const deepQuote = `${'> '.repeat(MAX_MARKERS + 4)}quoted\n`;
const deepList = `${'- '.repeat(MAX_MARKERS + 3)}item\n`;
const deepHtml = `${'<div>'.repeat(MAX_HTML_DEPTH + 3)}x\n`;

describe('GrowingCap caps a growing text as capNesting caps the whole', () => {
  it.each([
    ['container markers', `Intro.\n${deepQuote}${deepList}1. a\n${'1. '.repeat(MAX_MARKERS + 2)}b\n`],
    ['indentation', `${' '.repeat(MAX_INDENT + 10)}- deep\n\t\t\t\t\t\t\t- tabs\nend`],
    [
      'a fence left open across lines',
      `\`\`\`\n${deepQuote}${deepHtml}\`\`\`\n${deepQuote}~~~~\n${deepList}~~~\nafter`,
    ],
    [
      'raw HTML depth across lines, reset by a blank line',
      `${deepHtml}${deepHtml}\n${deepHtml}\`<i><i>\` ${deepHtml}`,
    ],
    ['nothing to cap', 'Plain text.\n\n- a list\n  - nested\n\n> a quote\n'],
  ])('%s, at every length', (_name, text) => {
    expectGrowingMatches(text);
  });

  it('matches on seeded random streams grown in uneven steps', () => {
    const pieces = [
      '> ',
      '- ',
      '1. ',
      '  ',
      '\t',
      '<b>',
      '</b>',
      '<div>',
      '`',
      '```',
      '~~~',
      'word ',
      '\n',
      '\n\n',
      // Enough in one piece to be capped, so the streams do cap (deep markers, indentation, tags).
      '> '.repeat(MAX_MARKERS + 1),
      ' '.repeat(MAX_INDENT + 2),
      '<div>'.repeat(MAX_HTML_DEPTH),
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 30; run++) {
      let text = '';
      while (text.length < 600) text += pieces[Math.floor(random() * pieces.length)];
      expectGrowingMatches(text, 1 + Math.floor(random() * 7));
    }
  });

  it('caps as it did before it grew: escaped markers, capped indentation, tags as text', () => {
    expect(capNesting(`${'> '.repeat(MAX_MARKERS + 1)}x`)).toBe(`${'> '.repeat(MAX_MARKERS)}\\> x`);
    expect(capNesting(`${'- '.repeat(MAX_MARKERS)}1. x`)).toBe(`${'- '.repeat(MAX_MARKERS)}1\\. x`);
    expect(capNesting(`${' '.repeat(MAX_INDENT + 6)}- x\nnext`)).toBe(`${' '.repeat(MAX_INDENT)}- x\nnext`);
    const growing = new GrowingCap();
    growing.cap('a\nbc');
    expect(growing.cap('a\nb')).toBe('a\nb');
  });

  it('starts over when the text no longer extends the last one', () => {
    const growing = new GrowingCap();
    expect(growing.cap(`\`\`\`\n${deepQuote}`)).toBe(capNesting(`\`\`\`\n${deepQuote}`));
    // The fence opened above must not carry into an unrelated text.
    expect(growing.cap(deepQuote)).toBe(capNesting(deepQuote));
    expect(growing.cap(deepQuote)).not.toBe(deepQuote);
  });
});
