/**
 * The openai SDK's byte helpers (`openai/internal/utils/bytes.mjs`), which the build puts in that
 * module's place (vite.config.ts, `sdkBytes`). The same three functions, with one difference:
 * decodeUTF8 turns a short ASCII input into a string in JavaScript instead of through TextDecoder.
 *
 * Why: the SDK decodes every SSE line on its own (`internal/decoders/line.mjs`). In Chromium each
 * string a TextDecoder returns is an external string held by a weak handle, and a major garbage
 * collection visits every one made since the last: on the 100,000-chunk answer they added 10–35 ms
 * to each pause, the page's longest tasks (bench/app.run.ts, traced; the floor page, which decodes
 * whole reads, had none). A string made in JavaScript is an ordinary heap string.
 *
 * Invariant: decodeUTF8 returns exactly what `new TextDecoder().decode(bytes)` returns for every
 * input (tests/unit/sdk-bytes.test.ts). ASCII is UTF-8 one byte a character, and holds no BOM.
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
  if (bytes.length <= JS_DECODE_MAX && isAscii(bytes))
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return (decoder ??= new TextDecoder()).decode(bytes);
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}
