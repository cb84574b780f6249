/**
 * The openai SDK's byte helpers (`openai/internal/utils/bytes.mjs`), which the build puts in that
 * module's place (vite.config.ts, `sdkBytes`). The same three functions, with one difference:
 * decodeUTF8 decodes an input of up to JS_DECODE_MAX bytes in JavaScript, not with TextDecoder.
 *
 * Why: the SDK decodes every SSE line on its own (`internal/decoders/line.mjs`). In Chromium each
 * string a TextDecoder returns is an external string held by a weak handle, and a major garbage
 * collection visits every one made since the last: on the 100,000-chunk answer they added 10–35 ms
 * to each pause, the page's longest tasks (bench/app.run.ts, traced; the floor page, which decodes
 * whole reads, had none). A string made in JavaScript is an ordinary heap string.
 *
 * Invariant: decodeUTF8 returns exactly what `new TextDecoder().decode(bytes)` returns for every
 * input (tests/unit/sdk-bytes.test.ts): the WHATWG UTF-8 decoder, one U+FFFD for each maximal
 * invalid subsequence, and a leading byte order mark dropped.
 */

/** Longest input decoded in JavaScript; an SSE line is far shorter, and longer ones are rare. */
export const JS_DECODE_MAX = 4096;

let decoder: TextDecoder | null = null;
let encoder: TextEncoder | null = null;

export function concatBytes(buffers: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const buffer of buffers) length += buffer.length;
  const output = new Uint8Array(length);
  let index = 0;
  for (const buffer of buffers) {
    output.set(buffer, index);
    index += buffer.length;
  }
  return output;
}

export function encodeUTF8(text: string): Uint8Array {
  return (encoder ??= new TextEncoder()).encode(text);
}

export function decodeUTF8(bytes: Uint8Array): string {
  if (bytes.length > JS_DECODE_MAX) return (decoder ??= new TextDecoder()).decode(bytes);
  let ascii = true;
  for (let i = 0; i < bytes.length && ascii; i++) ascii = bytes[i]! < 0x80;
  return ascii ? String.fromCharCode.apply(null, bytes as unknown as number[]) : decodeSome(bytes);
}

const REPLACEMENT = 0xfffd;

/** The WHATWG UTF-8 decoder (Encoding Standard, "UTF-8 decoder"), for a short input. */
function decodeSome(bytes: Uint8Array): string {
  const units: number[] = [];
  // A byte order mark first is dropped, as TextDecoder does unless told `ignoreBOM`.
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let needed = 0;
  let seen = 0;
  let point = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (needed === 0) {
      if (byte < 0x80) units.push(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1;
        point = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
        point = byte & 0xf;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
        point = byte & 0x7;
      } else units.push(REPLACEMENT);
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence ends here, unfinished: one replacement, and this byte starts afresh.
      needed = seen = point = 0;
      lower = 0x80;
      upper = 0xbf;
      units.push(REPLACEMENT);
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    point = (point << 6) | (byte & 0x3f);
    if (++seen < needed) continue;
    if (point > 0xffff) units.push(0xd7c0 + (point >> 10), 0xdc00 + (point & 0x3ff));
    else units.push(point);
    needed = seen = point = 0;
  }
  if (needed) units.push(REPLACEMENT);
  return String.fromCharCode.apply(null, units);
}
