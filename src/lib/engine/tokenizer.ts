/**
 * Lazy access to gpt-tokenizer's o200k_base (the encoding of gpt-4o and later). The 2 MB of
 * ranks load on first use only, so the tokenizer never weighs on the initial bundle.
 */

export interface Tokenizer {
  encode(text: string): number[];
  count(text: string): number;
  /**
   * Splits text into the pieces a model would stream: one per token, except that tokens holding
   * part of a multi-byte character are merged with the next, as real providers do.
   */
  pieces(text: string): { text: string; tokens: number }[];
}

let loading: Promise<Tokenizer> | null = null;

export function loadTokenizer(): Promise<Tokenizer> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((enc) => ({
    encode: (text) => enc.encode(text),
    count: (text) => enc.countTokens(text),
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
  }));
  return loading;
}
