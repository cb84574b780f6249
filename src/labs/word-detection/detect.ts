/**
 * Watch-word detection over a stream: each word is reported once, case-insensitively, the moment
 * the accumulated text contains it — even when its letters arrived in different chunks. Each push
 * searches only the part of the text that could hold a new match, so the cost per chunk does not
 * grow with the answer.
 */

export interface Detection {
  word: string;
  /** ms since t0 of the chunk that completed the word. */
  t: number;
  /** 1-based number of the content chunk that completed it. */
  chunk: number;
}

/** "neural, Deep ,, learning" → ["neural", "Deep", "learning"], without case-insensitive repeats. */
export function parseWatchWords(input: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const raw of input.split(',')) {
    const word = raw.trim();
    if (word && !seen.has(word.toLowerCase())) {
      seen.add(word.toLowerCase());
      words.push(word);
    }
  }
  return words;
}

export class WordDetector {
  #pending: { word: string; lower: string }[];
  #text = '';
  readonly found: Detection[] = [];

  constructor(words: readonly string[]) {
    this.#pending = words.map((word) => ({ word, lower: word.toLowerCase() }));
  }

  /** Adds a chunk; returns the words it completed. */
  push(text: string, t: number, chunk: number): Detection[] {
    const before = this.#text.length;
    this.#text += text.toLowerCase();
    const hits: Detection[] = [];
    this.#pending = this.#pending.filter(({ word, lower }) => {
      const from = Math.max(0, before - lower.length + 1);
      if (this.#text.indexOf(lower, from) === -1) return true;
      hits.push({ word, t, chunk });
      return false;
    });
    this.found.push(...hits);
    return hits;
  }
}

export interface Segment {
  text: string;
  mark: boolean;
}

/** Splits text into plain and marked segments for every occurrence of the given words. */
export function highlight(text: string, words: readonly string[]): Segment[] {
  const lowerWords = words.map((w) => w.toLowerCase()).filter(Boolean);
  if (!lowerWords.length) return [{ text, mark: false }];
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return [{ text, mark: false }];
  const segments: Segment[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < lower.length) {
    let len = 0;
    for (const w of lowerWords) if (w.length > len && lower.startsWith(w, i)) len = w.length;
    if (len === 0) {
      i++;
      continue;
    }
    if (i > plainFrom) segments.push({ text: text.slice(plainFrom, i), mark: false });
    segments.push({ text: text.slice(i, i + len), mark: true });
    i += len;
    plainFrom = i;
  }
  if (plainFrom < text.length) segments.push({ text: text.slice(plainFrom), mark: false });
  return segments;
}
