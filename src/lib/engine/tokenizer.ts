/**
 * Lazy access to gpt-tokenizer's o200k_base (the encoding of gpt-4o and later). The 2 MB of
 * ranks load on first use only, so the tokenizer never weighs on the initial bundle.
 *
 * BPE is quadratic in the length of one pre-token, and a run of letters without spaces is one
 * pre-token (120 KB of them: seconds). `count` is exact for any text without a run of
 * LONG_RUN non-space characters; such a run is counted in LONG_RUN slices, an estimate that
 * stays linear. Counting for the UI happens off the main thread (token-count.ts).
 */
import { loadOnce } from '../load-once';

const LONG_RUN = 1024;

/** Splits `text` so that no piece holds more than LONG_RUN non-space characters in a row. */
export function boundedPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c === 32 || c === 10 || c === 9 || c === 13 ? 0 : run + 1;
    if (run === LONG_RUN) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
      run = 0;
    }
  }
  if (start === 0) return [text];
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

export interface Tokenizer {
  encode(text: string): number[];
  /** Exact for text without a run of LONG_RUN non-space characters; linear for any text. */
  count(text: string): number;
  /**
   * Splits text into the pieces a model would stream: one per token, except that tokens holding
   * part of a multi-byte character are merged with the next, as real providers do.
   */
  pieces(text: string): { text: string; tokens: number }[];
}

/** A failed load (offline) is tried again on the next call. */
export const loadTokenizer: () => Promise<Tokenizer> = loadOnce(() =>
  import('gpt-tokenizer/encoding/o200k_base').then((enc) => ({
    encode: (text) => enc.encode(text),
    count: (text) => boundedPieces(text).reduce((n, piece) => n + enc.countTokens(piece), 0),
    pieces(text) {
      const tokens = enc.encode(text);
      let pulled = 0;
      function* feed() {
        for (const token of tokens) {
          pulled++;
          yield token;
        }
      }
      const out: { text: string; tokens: number }[] = [];
      let used = 0;
      for (const piece of enc.decodeGenerator(feed())) {
        out.push({ text: piece, tokens: pulled - used });
        used = pulled;
      }
      return out;
    },
  })),
);
