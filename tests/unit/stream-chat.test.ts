/**
 * streamChat and completeChat through the real openai SDK against a real local SSE server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeChat, CompletionError, streamChat } from '../../src/lib/engine/stream-chat';
import type { ChatRequest, Connection, StreamEvent } from '../../src/lib/engine/types';
import { WireLog } from '../../src/lib/engine/wire';
import { HELLO, pacedStream, startServer, type TestServer } from '../server/sse-server';

let server: TestServer;
const KEY = 'sk-test-0123456789abcdefSECRET';
/** An answer far longer than one slice's work: 20,000 one-word chunks. */
const LONG = Array.from({ length: 20_000 }, (_, i) => (i % 25 === 24 ? ` w${i}\n` : ` w${i}`));

beforeAll(async () => {
  server = await startServer({
    keys: [KEY],
    scenarios: { 'long-answer': (body) => pacedStream(LONG, body, { perWrite: LONG.length, gap: 0 }) },
  });
});
afterAll(() => server.close());

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    baseURL: server.baseURL,
    apiKey: KEY,
    fetch: globalThis.fetch,
    maxRetries: 0,
    stallMs: 30_000,
    ...overrides,
  };
}

function request(model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'user', content: 'hi' }], ...extra };
}

async function collect(
  model: string,
  opts: {
    extra?: Partial<ChatRequest>;
    conn?: Partial<Connection>;
    signal?: AbortSignal;
    wire?: WireLog;
  } = {},
) {
  const events: StreamEvent[] = [];
  for await (const e of streamChat(request(model, opts.extra), {
    connection: connection(opts.conn),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.wire ? { wire: opts.wire } : {}),
  })) {
    events.push(e);
  }
  const text = events.flatMap((e) => (e.kind === 'content' ? [e.text] : [])).join('');
  const end = events.at(-1);
  const error = events.find((e) => e.kind === 'error');
  return { events, text, end, error: error?.kind === 'error' ? error.error : undefined };
}

describe('streamChat', () => {
  it('streams content events in order and ends complete', async () => {
    const { text, end, events } = await collect('test-model');
    expect(text).toBe(HELLO.join(''));
    expect(end).toMatchObject({ kind: 'end', outcome: 'complete' });
    expect(events[0]).toMatchObject({ kind: 'open', status: 200, attempts: 1 });
    expect(events.find((e) => e.kind === 'finish')).toMatchObject({ reason: 'stop' });
  });

  it('numbers content chunks from 1 and keeps the SDK chunk index apart', async () => {
    const { events } = await collect('test-model');
    const contents = events.filter((e) => e.kind === 'content');
    // The role-only first chunk is SDK chunk 0 but not a content chunk.
    expect(contents.map((e) => [e.sdkChunk, e.contentChunk])).toEqual(HELLO.map((_, i) => [i + 1, i + 1]));
    expect(events.find((e) => e.kind === 'finish')).toMatchObject({ sdkChunk: HELLO.length + 1 });
  });

  it('frames and reads a whole answer delivered in one network read over many tasks, with the same events and times', async () => {
    // Everything arrives in one read: the SDK then has every chunk at hand, and only the engine's
    // slicing lets a task queued meanwhile (input, a frame) run before the stream has been read.
    const oneRead: typeof fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const wire = new WireLog();
    // A task queued once the read is taken runs while its frames are still being decoded.
    let framesWhenTaskRan: number | null = null;
    wire.onRead = () => {
      if (wire.reads.length !== 1 || wire.onRead === null) return;
      wire.onRead = null;
      setTimeout(() => (framesWhenTaskRan = wire.frames.length), 0);
    };
    const events: StreamEvent[] = [];
    let otherTaskRanAt: number | null = null;
    for await (const e of streamChat(request('long-answer'), {
      connection: connection({ fetch: oneRead }),
      wire,
    })) {
      if (events.length === 1) setTimeout(() => (otherTaskRanAt = events.length), 0);
      events.push(e);
    }
    expect(wire.reads).toHaveLength(1);
    const contents = events.filter((e) => e.kind === 'content');
    expect(contents.map((e) => e.text)).toEqual(LONG);
    expect(contents.map((e) => e.contentChunk)).toEqual(LONG.map((_, i) => i + 1));
    expect(contents.map((e) => e.sdkChunk)).toEqual(LONG.map((_, i) => i + 1));
    expect(new Set(contents.map((e) => e.t))).toEqual(new Set([wire.reads[0]!.t]));
    expect(events.map((e) => e.kind)).toEqual(['open', ...LONG.map(() => 'content'), 'finish', 'end']);
    expect(events.at(-1)).toMatchObject({ kind: 'end', outcome: 'complete', t: wire.closedAt });
    expect(framesWhenTaskRan).not.toBeNull();
    expect(framesWhenTaskRan!).toBeLessThan(wire.frames.length / 2);
    expect(otherTaskRanAt).not.toBeNull();
    expect(otherTaskRanAt!).toBeLessThan(events.length / 2);
  });

  it('sends the key only in the Authorization header', async () => {
    await collect('test-model');
    const last = server.requests.at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(last.url).not.toContain(KEY);
    expect(JSON.stringify(last.body)).not.toContain(KEY);
  });

  it('sends only the parameters that were set, with stream_options for usage', async () => {
    await collect('test-model', { extra: { max_tokens: 50, temperature: 0.2, include_usage: true } });
    const body = server.requests.at(-1)!.body!;
    expect(body).toMatchObject({
      model: 'test-model',
      stream: true,
      max_tokens: 50,
      temperature: 0.2,
      stream_options: { include_usage: true },
    });
    expect(body).not.toHaveProperty('stop');
    expect(body).not.toHaveProperty('logprobs');
  });

  it('reads the usage-only final chunk with empty choices', async () => {
    const { events } = await collect('test-model', { extra: { include_usage: true } });
    const usage = events.find((e) => e.kind === 'usage');
    expect(usage).toMatchObject({ usage: { prompt_tokens: 9, completion_tokens: HELLO.length } });
  });

  it('joins an event split across several reads', async () => {
    const wire = new WireLog();
    // The server holds after every write until the client has read it, so each of the 15 writes
    // (five events cut in three) is its own read however busy the machine is.
    let gate = server.hold('split-events');
    const done = collect('split-events', { wire });
    for (let written = 1; ; written++) {
      if (!(await Promise.race([gate.reached, done.then(() => null)]))) break;
      await expect.poll(() => wire.reads.length).toBeGreaterThanOrEqual(written);
      const next = server.hold('split-events');
      gate.release();
      gate = next;
    }
    gate.release();
    const { text } = await done;
    expect(text).toBe('Split events');
    expect(wire.reads.length).toBeGreaterThanOrEqual(15);
  });

  it('the wire log never holds a key the provider echoes back, in any letter case or split across reads', async () => {
    const wire = new WireLog();
    const { text } = await collect('echo-key', { wire });
    expect(text).toBe('Echoed');
    // The key really was cut across two reads and really came back upper-cased.
    // The mask stands where the key began; the half that spilled into the next read is left out.
    const cut = wire.reads.findIndex((r) => r.text.includes('authorised as'));
    expect(wire.reads[cut]?.text.endsWith(': authorised as sk-…CRET')).toBe(true);
    expect(wire.reads[cut + 1]?.text.startsWith('\n\n')).toBe(true);
    const seen = [...wire.reads.map((r) => r.text), ...wire.frames.flatMap((f) => [f.raw, f.data])]
      .join('\n')
      .toLowerCase();
    expect(seen).not.toContain(KEY.toLowerCase().slice(6, 20));
    expect(seen).not.toContain(KEY.toLowerCase().slice(-10));
    expect(wire.frames.find((f) => f.type === 'comment')?.raw).toBe(': authorised as sk-…CRET');
    expect(wire.frames.some((f) => f.data.includes('"echo":"SK-…CRET"'))).toBe(true);
  });

  it('masks a key cut at any point across reads, and one echoed in another letter case', () => {
    const key = 'local-token-0123456789';
    const body = `: as ${key}\n\ndata: {"echo":"${key.toUpperCase()}"}\n\n`;
    for (let cut = 1; cut < body.length; cut++) {
      for (const size of [1, 3, 1000]) {
        const wire = new WireLog();
        wire.begin(key);
        const parts = [
          body.slice(0, cut),
          ...(body.slice(cut).match(new RegExp(`[^]{1,${size}}`, 'g')) ?? []),
        ];
        for (const part of parts) wire.record(0, new TextEncoder().encode(part));
        const seen = [...wire.reads.map((r) => r.text), ...wire.frames.map((f) => f.raw)].join('|');
        expect(seen.toLowerCase(), `cut at ${cut}, pieces of ${size}`).not.toMatch(/token-0|456789/);
      }
    }
  });

  it('separates several events delivered in one read', async () => {
    const wire = new WireLog();
    const { text, events } = await collect('one-read', { wire });
    expect(text).toBe('All at once');
    expect(events.filter((e) => e.kind === 'content')).toHaveLength(3);
    expect(wire.frames.filter((f) => f.type === 'data')).toHaveLength(5);
  });

  it('decodes multi-byte characters split across reads', async () => {
    const { text } = await collect('utf8-split');
    expect(text).toBe('Café 🚀!');
  });

  it('handles \\r\\n line endings, even split across reads', async () => {
    const { text, end } = await collect('crlf');
    expect(text).toBe('Windows lines');
    expect(end).toMatchObject({ outcome: 'complete' });
  });

  it('skips comment lines and keeps chunk times aligned with their frames', async () => {
    const wire = new WireLog();
    const { text, events } = await collect('comments', { wire });
    expect(text).toBe('Comments ignored');
    expect(wire.frames.filter((f) => f.type === 'comment').map((f) => f.raw)).toEqual([
      ': OPENROUTER PROCESSING',
      ': keep-alive',
    ]);
    for (const e of events) {
      if (e.kind !== 'content') continue;
      const frame = wire.frames[wire.chunkFrames[e.sdkChunk]!]!;
      expect(frame.data).toContain(JSON.stringify(e.text));
      expect(e.t).toBe(frame.t);
    }
  });

  it('takes usage from the finish chunk and survives chunks without choices', async () => {
    const { text, events, end } = await collect('usage-on-finish');
    expect(text).toBe('Usage');
    expect(events.find((e) => e.kind === 'usage')).toMatchObject({ usage: { completion_tokens: 1 } });
    expect(end).toMatchObject({ outcome: 'complete' });
  });

  it('turns an error object in the stream into a mid-stream error and keeps the text', async () => {
    const { text, error, end } = await collect('mid-error');
    expect(text).toBe('Partial');
    expect(error).toMatchObject({ kind: 'mid_stream', retryable: true });
    expect(error!.detail).toContain('overloaded');
    expect(end).toMatchObject({ outcome: 'error' });
  });

  it('reports a dropped connection as dropped, with the text so far', async () => {
    // The socket is cut once the last chunk is in (gate 'drop'), not 20 ms after it was written.
    const cut = server.hold('drop');
    const events: StreamEvent[] = [];
    for await (const e of streamChat(request('drop'), { connection: connection() })) {
      events.push(e);
      if (e.kind === 'content' && e.text === ' here') cut.release();
    }
    const text = events.flatMap((e) => (e.kind === 'content' ? [e.text] : [])).join('');
    expect(text).toBe('Dropped here');
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ error: { kind: 'dropped' } });
  });

  it('fails a stalled stream after the idle timeout and closes the connection', async () => {
    const started = performance.now();
    const { text, error } = await collect('stall', { conn: { stallMs: 300 } });
    expect(text).toBe('Stalled');
    expect(error).toMatchObject({ kind: 'stalled' });
    // It waited out the idle time before giving up (a hang would fail on the test's own timeout).
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    await expect.poll(() => server.requests.at(-1)!.closedAt).not.toBeNull();
  });

  it('ends as aborted, not failed, and the server sees the connection close', async () => {
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    // The server holds the stream after " w50", so it is certainly still open when we abort.
    const gate = server.hold('slow');
    for await (const e of streamChat(request('slow'), {
      connection: connection(),
      signal: controller.signal,
    })) {
      events.push(e);
      if (e.kind === 'content' && events.filter((x) => x.kind === 'content').length === 3) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ kind: 'end', outcome: 'aborted' });
    expect(events.some((e) => e.kind === 'error')).toBe(false);
    const served = server.requests.at(-1)!;
    await expect.poll(() => served.clientAborted).toBe(true);
    // 400 chunks were scripted; the connection closed while the server held it at the gate,
    // before anything past " w50" was written.
    expect(served.writes.length).toBeLessThanOrEqual(1 + 51);
    gate.release();
  });

  it('classifies a wrong key as auth and never shows the key', async () => {
    const wrong = 'sk-wrong-key-abcdefghijklmnop';
    const { error } = await collect('test-model', { conn: { apiKey: wrong } });
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  it.each([
    ['no-such-model', 'model_not_found'],
    ['bad-param', 'bad_request'],
    ['quota', 'quota'],
    ['rate-limit', 'rate_limit'],
    ['http-500', 'server'],
  ])('classifies %s as %s', async (model, kind) => {
    const { error } = await collect(model);
    expect(error?.kind).toBe(kind);
  });

  it('names the parameter of a 400 and offers the fix', async () => {
    const { error } = await collect('bad-param');
    expect(error).toMatchObject({ param: 'max_tokens' });
    expect(error!.hint).toContain('max_completion_tokens');
  });

  it('reads retry-after from a 429', async () => {
    const { error } = await collect('rate-limit');
    expect(error?.retryAfterMs).toBe(2000);
  });

  it('reports an unreachable host as a network error', async () => {
    const { error } = await collect('test-model', { conn: { baseURL: 'http://127.0.0.1:9/v1' } });
    expect(error).toMatchObject({ kind: 'network' });
    expect(error!.hint).toMatch(/OLLAMA_ORIGINS/);
  });
});

describe('completeChat', () => {
  it('returns the whole answer at once with usage', async () => {
    const result = await completeChat(request('test-model'), { connection: connection() });
    expect(result.text).toBe(HELLO.join(''));
    expect(result.usage?.completion_tokens).toBe(HELLO.length);
    expect(result.t).toBeGreaterThan(0);
  });

  it('throws a classified error', async () => {
    const failure = completeChat(request('http-503'), { connection: connection() });
    await expect(failure).rejects.toBeInstanceOf(CompletionError);
    await expect(failure).rejects.toMatchObject({ error: { kind: 'server', status: 503 } });
  });
});

describe('splitEvents', () => {
  it('cuts a read after every blank line and loses no byte', async () => {
    const { splitEvents } = await import('../../src/lib/engine/split-events');
    const text = 'data: a\n\ndata: b\r\n\r\n: c\n\ndata: d\r\rdata: par';
    const pieces = [...splitEvents(new TextEncoder().encode(text))].map((p) => new TextDecoder().decode(p));
    expect(pieces).toEqual(['data: a\n\n', 'data: b\r\n\r\n', ': c\n\n', 'data: d\r\r', 'data: par']);
    expect(pieces.join('')).toBe(text);
  });

  it('with a minimum size, cuts at the first blank line at or past it, so a piece holds whole events', async () => {
    const { splitEvents } = await import('../../src/lib/engine/split-events');
    const text = 'data: a\n\ndata: b\r\n\r\n: c\n\ndata: d\r\rdata: par';
    const split = (minBytes: number) =>
      [...splitEvents(new TextEncoder().encode(text), minBytes)].map((p) => new TextDecoder().decode(p));
    expect(split(10)).toEqual(['data: a\n\ndata: b\r\n\r\n', ': c\n\ndata: d\r\r', 'data: par']);
    expect(split(9)).toEqual(['data: a\n\n', 'data: b\r\n\r\n', ': c\n\ndata: d\r\r', 'data: par']);
    expect(split(1000)).toEqual([text]);
    for (const minBytes of [0, 1, 9, 10, 25, 1000]) expect(split(minBytes).join('')).toBe(text);
  });
});
