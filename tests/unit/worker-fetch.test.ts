/**
 * The page's side of the network worker (worker-fetch.ts) with the worker's own code (net-worker.ts)
 * on the other end of a real MessageChannel, fetching from the real local SSE server through the
 * real SDK. Only the Worker object is stood in for: Node has no Web Workers.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamChat } from '../../src/lib/engine/stream-chat';
import type { StreamEvent } from '../../src/lib/engine/types';
import { createWorkerFetch } from '../../src/lib/engine/worker-fetch';
import { startServer, type TestServer } from '../server/sse-server';

let server: TestServer;
let page: MessagePort;
let worker: MessagePort;
let workerFetch: typeof fetch;

beforeAll(async () => {
  server = await startServer();
  ({ port1: page, port2: worker } = new MessageChannel());
  // net-worker.ts talks to `self`; here that is the worker's end of the channel.
  (globalThis as { self?: unknown }).self = worker;
  await import('../../src/lib/engine/net-worker');
  workerFetch = createWorkerFetch(page as unknown as Worker);
});
afterAll(async () => {
  page.close();
  delete (globalThis as { self?: unknown }).self;
  await server.close();
});

/** Streams `model`, pausing `awayMs` after every event as a reader that yields for frames does. */
async function readSlowly(model: string, awayMs: number) {
  const events: StreamEvent[] = [];
  const connection = {
    baseURL: server.baseURL,
    apiKey: 'k',
    fetch: workerFetch,
    maxRetries: 0,
    stallMs: 30_000,
  };
  for await (const e of streamChat({ model, messages: [{ role: 'user', content: 'hi' }] }, { connection })) {
    events.push(e);
    await new Promise((r) => setTimeout(r, awayMs));
  }
  const text = events.flatMap((e) => (e.kind === 'content' ? [e.text] : [])).join('');
  const error = events.find((e) => e.kind === 'error');
  return { text, error: error?.kind === 'error' ? error.error : undefined };
}

describe('worker fetch', () => {
  it('streams a whole answer through the SDK', async () => {
    const { text, error } = await readSlowly('test-model', 0);
    expect(error).toBeUndefined();
    expect(text).toBe('Hello from the test server.');
  });

  it('keeps the bytes that arrived before a dropped connection, though the reader was away', async () => {
    // The drop scenario writes "Dropped", then " here" 10 ms later, then cuts the socket 20 ms
    // after that: the last chunk and the failure both land while this reader sleeps.
    const response = await workerFetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'drop', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    let body = '';
    const decoder = new TextDecoder();
    let failure: unknown = null;
    try {
      for (;;) {
        await new Promise((r) => setTimeout(r, 80));
        const { done, value } = await reader.read();
        if (done) break;
        body += decoder.decode(value, { stream: true });
      }
    } catch (error) {
      failure = error;
    }
    expect(body).toContain('"content":"Dropped"');
    expect(body).toContain('"content":" here"');
    expect(failure).toBeInstanceOf(TypeError);
  });

  it('streams through the SDK and keeps the text of a dropped answer', async () => {
    const { text, error } = await readSlowly('drop', 80);
    expect(text).toBe('Dropped here');
    expect(error).toMatchObject({ kind: 'dropped' });
  });
});
