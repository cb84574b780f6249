/**
 * Our SSE decoder against the installed openai SDK: the same bytes, cut every way, must give the
 * same chunks in the same order. The wire tap times the SDK's k-th chunk by our k-th chunk frame,
 * so an SDK upgrade that frames differently has to fail here, not skew times silently.
 */
import { Stream } from 'openai/core/streaming';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameDecoder, isChunk, type SSEFrame } from '../../src/lib/engine/sse-decoder';
import { splitEvents } from '../../src/lib/engine/split-events';

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  });
const ROLE = chunk({ role: 'assistant', content: '' });
const HI = chunk({ content: 'Hi' });
const CAFE = chunk({ content: 'Café 🚀' });
const FINISH = JSON.stringify({
  id: 'c1',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
});
const USAGE = JSON.stringify({
  id: 'c1',
  object: 'chat.completion.chunk',
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});
const ERROR = JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } });

/** Named after the edge each stream exercises; every one is also cut at every byte. */
const STREAMS: Record<string, string> = {
  'a chat completion with usage and [DONE]': `data: ${ROLE}\n\ndata: ${HI}\n\ndata: ${FINISH}\n\ndata: ${USAGE}\n\ndata: [DONE]\n\n`,
  '[DONE] without a space after the colon': `data: ${HI}\n\ndata:[DONE]\n\n`,
  '[DONE] with more on its line, or split over data lines': `data: ${HI}\n\ndata: [DONE] \ndata: bye\n\ndata: ${CAFE}\n\n`,
  'frames after [DONE] are ignored': `data: ${HI}\n\ndata: [DONE]\n\ndata: ${CAFE}\n\n`,
  'a stream that ends without [DONE]': `data: ${HI}\n\ndata: ${FINISH}\n\n`,
  'comment lines and keep-alives': `: OPENROUTER PROCESSING\n\ndata: ${HI}\n\n: keep-alive\n\n: keep-alive\ndata: ${CAFE}\n\ndata: [DONE]\n\n`,
  'event: lines before data': `event: message\ndata: ${HI}\n\nevent: completion\ndata: ${CAFE}\n\ndata: [DONE]\n\n`,
  'an empty event: field alone is not a message': `event:\n\ndata: ${HI}\n\ndata: [DONE]\n\n`,
  'id: and retry: fields alone are not messages': `retry: 3000\n\nid: 7\ndata: ${HI}\n\nid: 8\n\ndata: [DONE]\n\n`,
  '\\r\\n line endings': `data: ${ROLE}\r\n\r\ndata: ${CAFE}\r\n\r\n: keep-alive\r\n\r\ndata: [DONE]\r\n\r\n`,
  '\\r\\n line endings inside a frame': `event: message\r\ndata: {"choices":\r\ndata: []}\r\n\r\ndata: ${HI}\r\n: note\r\n\r\ndata: [DONE]\r\n\r\n`,
  'lone \\r line endings': `data: ${HI}\r\rdata: ${CAFE}\r\r:c\r\rdata: ${FINISH}\r\r`,
  'mixed line endings in one stream': `data: ${HI}\r\n\ndata: ${CAFE}\n\r\ndata: ${FINISH}\r\r\ndata: [DONE]\n\n`,
  'multi-line data joined with \\n': `data: {"id":"c1","choices":\ndata: [{"index":0,"delta":{"content":"two lines"}}]}\n\ndata: [DONE]\n\n`,
  'multi-byte characters in content': `data: ${CAFE}\n\ndata: ${chunk({ content: 'ñ€𝄞 naïve' })}\n\ndata: [DONE]\n\n`,
  'a value without the optional space after the colon': `data:${HI}\n\ndata:  ${CAFE}\n\ndata: [DONE]\n\n`,
  'a byte-order mark before the first line and before a later line': `\uFEFFdata: ${HI}\n\n\uFEFFdata: ${CAFE}\n\ndata: [DONE]\n\n`,
  'a last frame with no blank line after it': `data: ${HI}\n\ndata: ${CAFE}\n`,
  'an error object mid-stream': `data: ${HI}\n\ndata: ${ERROR}\n\ndata: ${CAFE}\n\ndata: [DONE]\n\n`,
  'an event with no data': `data: ${HI}\n\nevent: ping\n\ndata: [DONE]\n\n`,
  'data that is not JSON': `data: ${HI}\n\ndata: not json\n\ndata: [DONE]\n\n`,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bodyOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

/** What the SDK yields, as JSON text, and whether it threw after those. */
async function sdkChunks(pieces: Uint8Array[]): Promise<{ values: string[]; threw: boolean }> {
  const stream = Stream.fromSSEResponse(new Response(bodyOf(pieces)), new AbortController());
  const values: string[] = [];
  try {
    for await (const value of stream) values.push(JSON.stringify(value));
  } catch {
    return { values, threw: true };
  }
  return { values, threw: false };
}

function ourFrames(pieces: Uint8Array[]): SSEFrame[] {
  const decoder = new FrameDecoder();
  return pieces.flatMap((piece) => decoder.push(piece).frames);
}

/** The SDK's chunks are our chunk frames' data, in order; a frame it throws on is our next one. */
async function expectSameChunks(pieces: Uint8Array[]): Promise<void> {
  const sdk = await sdkChunks(pieces);
  const ours = ourFrames(pieces).filter((f) => isChunk(f.type));
  const cut = pieces.length > 8 ? `${pieces.length} pieces` : pieces.map((p) => p.byteLength).join('+');
  const yielded = ours.slice(0, sdk.values.length).map((f) => JSON.stringify(JSON.parse(f.data)));
  expect(yielded, `cut ${cut}`).toEqual(sdk.values);
  if (!sdk.threw) {
    expect(ours.length, `cut ${cut}`).toBe(sdk.values.length);
    return;
  }
  const culprit = ours[sdk.values.length];
  expect(culprit, `cut ${cut}: the frame the SDK threw on`).toBeDefined();
  expect(() => {
    if (JSON.parse(culprit!.data).error) throw new Error('an error object');
  }).toThrow();
}

function twoPieceCuts(bytes: Uint8Array): Uint8Array[][] {
  const cuts: Uint8Array[][] = [[bytes]];
  for (let at = 1; at < bytes.length; at++) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return cuts;
}

/** mulberry32: a small seeded PRNG, so a failing cut can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCuts(bytes: Uint8Array, seed: number, count: number, longest = 12): Uint8Array[][] {
  const random = prng(seed);
  const cuts: Uint8Array[][] = [[...bytes].map((b) => Uint8Array.of(b))];
  for (let n = 0; n < count; n++) {
    const pieces: Uint8Array[] = [];
    let start = 0;
    while (start < bytes.length) {
      const end = Math.min(bytes.length, start + 1 + Math.floor(random() * longest));
      pieces.push(bytes.subarray(start, end));
      start = end;
    }
    cuts.push(pieces);
  }
  return cuts;
}

beforeEach(() => {
  // The SDK logs the text it could not parse before it throws; the tests expect that throw.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

describe('SSE framing matches the openai SDK', () => {
  for (const [name, text] of Object.entries(STREAMS)) {
    const bytes = encoder.encode(text);

    it(`${name}: the same chunks, cut at every byte`, async () => {
      for (const pieces of twoPieceCuts(bytes)) await expectSameChunks(pieces);
    });

    it(`${name}: the same chunks, cut in many random places`, async () => {
      for (const pieces of randomCuts(bytes, bytes.length, 20)) await expectSameChunks(pieces);
    });

    it(`${name}: our frames do not depend on how the bytes were cut`, () => {
      const whole = ourFrames([bytes]);
      for (const pieces of [...twoPieceCuts(bytes), ...randomCuts(bytes, 7, 5)]) {
        expect(ourFrames(pieces)).toEqual(whole);
      }
    });

    it(`${name}: the tap's event-aligned split, at any piece size, changes nothing the SDK yields`, async () => {
      // Reads of up to 12 bytes, and of up to 3,000, so that every minimum size cuts some of them.
      const cuts = [[bytes], ...randomCuts(bytes, 11, 5), ...randomCuts(bytes, 13, 5, 3000)];
      for (const reads of cuts) {
        const expected = await sdkChunks(reads);
        for (const minBytes of [0, 1, 40, 1024]) {
          const split = reads.map((read) => [...splitEvents(read, minBytes)]);
          for (const [r, pieces] of split.entries()) {
            expect(Buffer.concat(pieces)).toEqual(Buffer.from(reads[r]!));
            // Every piece but a read's last ends at an event boundary, at or past the minimum.
            for (const piece of pieces.slice(0, -1)) {
              expect(piece.length).toBeGreaterThanOrEqual(minBytes);
              expect(decoder.decode(piece.subarray(-4))).toMatch(/(\n\n|\r\r|\r\n\r\n)$/);
            }
          }
          expect(await sdkChunks(split.flat())).toEqual(expected);
        }
      }
    });
  }

  it('the corpus exercises what the tap must time: chunks, comments, [DONE] and what follows it', () => {
    const types = new Set(
      Object.values(STREAMS).flatMap((t) => ourFrames([encoder.encode(t)]).map((f) => f.type)),
    );
    expect([...types].sort()).toEqual(['comment', 'data', 'done', 'event', 'ignored']);
  });
});
