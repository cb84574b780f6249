/**
 * The byte helpers the build puts in place of the SDK's (vite.config.ts, sdkBytes) must be the
 * SDK's own, function for function: the same exports, and the same string from every input.
 */
import { describe, expect, it } from 'vitest';
import * as sdk from '../../node_modules/openai/internal/utils/bytes.mjs';
import * as ours from '../../src/lib/engine/sdk-bytes';

const { JS_DECODE_MAX } = ours;

const encode = (text: string) => new TextEncoder().encode(text);

/** A deterministic byte source, so a failure names an input that can be run again. */
function bytes(seed: number, length: number, max: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) % (max + 1);
  }
  return out;
}

const INPUTS: [string, Uint8Array][] = [
  ['nothing', new Uint8Array()],
  ['an SSE line', encode('data: {"choices":[{"index":0,"delta":{"content":" w"}}]}')],
  ['an event line', encode('event: response.output_text.delta')],
  ['accents and an emoji', encode('data: {"content":"Café 🚀"}')],
  ['a byte order mark first', encode('\uFEFFdata: x')],
  ['a byte order mark later', encode('data: \uFEFFx')],
  ['an emoji cut after two bytes', encode('🚀').subarray(0, 2)],
  ['a lone continuation byte', Uint8Array.of(0x61, 0x80, 0x62)],
  ['the last ASCII byte and the first beyond', Uint8Array.of(0x7f, 0x80)],
  ['control characters and NUL', Uint8Array.of(0, 9, 10, 13, 27, 0x7f)],
  ['ASCII at the length decoded in JavaScript', bytes(1, JS_DECODE_MAX, 0x7f)],
  ['ASCII one byte longer', bytes(2, JS_DECODE_MAX + 1, 0x7f)],
  ['a view into the middle of a buffer', encode('xxdata: [DONE]yy').subarray(2, 14)],
  ['every byte value', Uint8Array.from({ length: 256 }, (_, i) => i)],
];
for (let seed = 0; seed < 200; seed++) {
  const max = seed % 2 ? 0x7f : 0xff;
  INPUTS.push([`random ${max === 0x7f ? 'ASCII' : 'bytes'} #${seed}`, bytes(seed, seed * 7, max)]);
}
/** Pieces of text, and byte sequences UTF-8 forbids (surrogates, overlong forms, past U+10FFFF). */
const PIECES = ['a', ' ', 'é', 'ß', '中', '文', '🚀', '𝄞', '\uFEFF', '"', '\n'].map(encode);
const FORBIDDEN = [
  [0xed, 0xa0, 0x80],
  [0xc0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5],
  [0xff],
];
for (let seed = 0; seed < 300; seed++) {
  const pick = bytes(seed + 1000, 40, 255);
  const parts = [...pick].map((b, i) =>
    i % 9 === 8 && seed % 3 === 0
      ? Uint8Array.from(FORBIDDEN[b % FORBIDDEN.length]!)
      : PIECES[b % PIECES.length]!,
  );
  let text = Uint8Array.from(parts.flatMap((part) => [...part]));
  // Some cut anywhere (mid-character too), some with one byte changed.
  if (seed % 4 === 1) text = text.subarray(pick[0]! % 7, text.length - (pick[1]! % 5));
  if (seed % 4 === 2) text[pick[2]! % text.length] = pick[3]!;
  INPUTS.push([`random text #${seed}`, text]);
}
INPUTS.push(['text at the length decoded in JavaScript', encode('é'.repeat(JS_DECODE_MAX / 2))]);
INPUTS.push(['text one byte longer', encode(`a${'é'.repeat(JS_DECODE_MAX / 2)}`)]);

describe('the SDK byte helpers the build swaps in', () => {
  it('export what the SDK module exports', () => {
    expect(
      Object.keys(ours)
        .filter((name) => name !== 'JS_DECODE_MAX')
        .sort(),
    ).toEqual(Object.keys(sdk).sort());
  });

  it.each(INPUTS)('decode %s exactly as the SDK and TextDecoder do', (_, input) => {
    const expected = new TextDecoder().decode(input);
    expect(ours.decodeUTF8(input)).toBe(expected);
    expect(sdk.decodeUTF8(input)).toBe(expected);
  });

  it('encode and concatenate as the SDK does', () => {
    const text = 'data: Café 🚀\n\n';
    expect(ours.encodeUTF8(text)).toEqual(sdk.encodeUTF8(text));
    const parts = [encode('ab'), new Uint8Array(), encode('cé').subarray(1)];
    expect(ours.concatBytes(parts)).toEqual(sdk.concatBytes(parts));
    expect(ours.concatBytes([])).toEqual(new Uint8Array());
  });
});
