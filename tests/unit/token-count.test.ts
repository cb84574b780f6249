import { describe, expect, it } from 'vitest';
import { countTokens as encodingCount } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens } from '../../src/lib/engine/token-count';
import { boundedPieces, loadTokenizer } from '../../src/lib/engine/tokenizer';
import { generateDocument } from '../fixtures/markdown-docs';

describe('token counts', () => {
  it('are exact for ordinary text', async () => {
    const tokenizer = await loadTokenizer();
    for (const text of [
      generateDocument(3, 4000),
      'Emoji 🚀🧪 and accents: déjà vu, 東京.',
      'x'.repeat(1023),
    ]) {
      expect(tokenizer.count(text)).toBe(encodingCount(text));
      expect(await countTokens([text])).toEqual([encodingCount(text)]);
    }
  });

  it('count a long run without spaces in slices, so the work stays linear', async () => {
    const tokenizer = await loadTokenizer();
    const run = 'ab'.repeat(60_000);
    const pieces = boundedPieces(`intro ${run} outro`);
    expect(pieces.join('')).toBe(`intro ${run} outro`);
    expect(
      Math.max(...pieces.map((p) => Math.max(...p.split(/\s/).map((w) => w.length)))),
    ).toBeLessThanOrEqual(1024);
    expect(tokenizer.count(`intro ${run} outro`)).toBe(pieces.reduce((n, p) => n + encodingCount(p), 0));
  });

  it('count several texts in order', async () => {
    expect(await countTokens(['Hello world', '', 'a b c'])).toEqual([
      encodingCount('Hello world'),
      0,
      encodingCount('a b c'),
    ]);
  });
});
