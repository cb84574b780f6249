import { describe, expect, it } from 'vitest';
import { highlight, parseWatchWords, WordDetector } from '../../src/labs/word-detection/detect';

describe('WordDetector', () => {
  it('finds a word whose letters arrive in different chunks, in the chunk that completes it', () => {
    const d = new WordDetector(['neural']);
    expect(d.push('Ne', 10, 1)).toEqual([]);
    expect(d.push('ural nets', 20, 2)).toEqual([{ word: 'neural', t: 20, chunk: 2 }]);
  });

  it('reports each word once, case-insensitively', () => {
    const d = new WordDetector(['Deep']);
    expect(d.push('deep and DEEP', 1, 1)).toHaveLength(1);
    expect(d.push(' deep again', 2, 2)).toHaveLength(0);
    expect(d.found).toEqual([{ word: 'Deep', t: 1, chunk: 1 }]);
  });

  it('finds a word split over three chunks', () => {
    const d = new WordDetector(['learning']);
    d.push('lea', 1, 1);
    d.push('rn', 2, 2);
    expect(d.push('ing', 3, 3)).toEqual([{ word: 'learning', t: 3, chunk: 3 }]);
  });
});

describe('parseWatchWords', () => {
  it('splits on commas, trims, drops empties and repeats', () => {
    expect(parseWatchWords(' neural, Deep ,,deep, model ')).toEqual(['neural', 'Deep', 'model']);
  });
});

describe('highlight', () => {
  it('marks every occurrence, preferring the longest word', () => {
    expect(highlight('Deep models model', ['model', 'models', 'deep'])).toEqual([
      { text: 'Deep', mark: true },
      { text: ' ', mark: false },
      { text: 'models', mark: true },
      { text: ' ', mark: false },
      { text: 'model', mark: true },
    ]);
  });
});
