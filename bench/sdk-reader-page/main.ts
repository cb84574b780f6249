/**
 * The SDK-reader benchmark page: the openai SDK's own `Stream` (with our bytes module, as the app
 * builds it) parses one 100,000-chunk answer, handed to it the way the wire tap hands it a body:
 * the network's reads, cut at event boundaries into pieces of at least `minBytes` (0: one event a
 * piece), or not cut at all (`minBytes` null: each read as it came).
 */
import { Stream } from 'openai/core/streaming';
import { splitEvents } from '../../src/lib/engine/split-events';

export interface ReaderRun {
  ms: number;
  /** The size of the network's reads the pieces were cut from. */
  readBytes: number;
  pieces: number;
  chunks: number;
  /** The chunks' text, joined, equals the answer's. */
  correct: boolean;
}

const READ_BYTES = 65_536;

function answer(events: number): { body: Uint8Array; text: string } {
  let sse = '';
  let text = '';
  for (let i = 0; i < events; i++) {
    const content = i % 20 === 19 ? ' w\n' : ' w';
    text += content;
    const chunk = {
      id: 'chatcmpl-bench0123456789',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'gpt-4o-mini-2024-07-18',
      system_fingerprint: 'fp_0123456789',
      choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
    };
    sse += `data: ${JSON.stringify(chunk)}\n\n`;
  }
  sse += 'data: [DONE]\n\n';
  return { body: new TextEncoder().encode(sse), text };
}

let cached: { events: number; body: Uint8Array; text: string } | null = null;

async function run(events: number, minBytes: number | null): Promise<ReaderRun> {
  if (cached?.events !== events) cached = { events, ...answer(events) };
  const { body, text } = cached;
  const reads: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += READ_BYTES) reads.push(body.subarray(at, at + READ_BYTES));
  const pieces = minBytes === null ? reads : reads.flatMap((read) => [...splitEvents(read, minBytes)]);
  const started = performance.now();
  const stream = Stream.fromSSEResponse(
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const piece of pieces) controller.enqueue(piece);
          controller.close();
        },
      }),
    ),
    new AbortController(),
  );
  let chunks = 0;
  let got = '';
  for await (const chunk of stream as AsyncIterable<{ choices: { delta: { content?: string } }[] }>) {
    chunks++;
    got += chunk.choices[0]?.delta.content ?? '';
  }
  return {
    ms: performance.now() - started,
    readBytes: READ_BYTES,
    pieces: pieces.length,
    chunks,
    correct: got === text,
  };
}

(window as unknown as { readerBench: { run: typeof run } }).readerBench = { run };
