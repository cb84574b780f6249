/**
 * RunState and CompletionState over the Responses API: the real SDK and engine against the real
 * local SSE server. A run goes by its connection's `api`; a cut background response is resumed as
 * the same run, its second connection's times shifted onto the first's t0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, Connection, StreamEvent } from '../../src/lib/engine/types';
import { parseExportedRun } from '../../src/lib/run-file/parse';
import { replayApi, replayPieces } from '../../src/lib/run-file/replay';
import { CompletionState } from '../../src/lib/state/completion.svelte';
import { RunState } from '../../src/lib/state/run.svelte';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import {
  ANSWER_TEXT,
  BACKGROUND_PIECES,
  HELLO,
  REASONING_TEXT,
  startServer,
  type TestServer,
} from '../server/sse-server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function connection(api?: Connection['api']): Connection {
  return {
    baseURL: server.baseURL,
    apiKey: 'sk-test',
    fetch: globalThis.fetch,
    maxRetries: 0,
    stallMs: 30_000,
    ...(api ? { api } : {}),
  };
}

const request = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

/** The paths of the requests the server received since `from`. */
const paths = (from: number) => server.requests.slice(from).map((r) => `${r.method} ${r.url.split('?')[0]}`);

describe('a run goes by its connection’s API', () => {
  it('Responses: POST /responses, answer and reasoning summary apart, the response id and usage', async () => {
    const from = server.requests.length;
    const run = new RunState('basic-streaming');
    await run.start(request('resp-reasoning'), connection('responses'));
    expect(paths(from)).toEqual(['POST /v1/responses']);
    expect(run.api).toBe('responses');
    expect(run.status).toBe('done');
    expect(run.text).toBe(ANSWER_TEXT);
    expect(run.reasoning).toBe(REASONING_TEXT);
    expect(run.responseId).toMatch(/^resp_/);
    expect(run.finishReason).toBe('stop');
    expect(run.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 31 });
    expect(run.sequenceIssues).toEqual([]);
    expect(run.resumable).toBeNull();
    expect(run.connections).toEqual([run.wire]);
    expect(run.exportRun().request).toMatchObject({ api: 'responses', model: 'resp-reasoning' });
  });

  it('Chat Completions, and a connection that names no API: POST /chat/completions, no api in the export', async () => {
    for (const api of ['chat', undefined] as const) {
      const from = server.requests.length;
      const run = new RunState('basic-streaming');
      await run.start(request('plain'), connection(api));
      expect(paths(from)).toEqual(['POST /v1/chat/completions']);
      expect(run.api).toBe('chat');
      expect(run.text).toBe(HELLO.join(''));
      expect(run.responseId).toBeNull();
      expect(run.exportRun().request).not.toHaveProperty('api');
    }
  });

  it('keeps every sequence_number problem the stream reported, with its time', async () => {
    const run = new RunState('basic-streaming');
    await run.start(request('resp-gap'), connection('responses'));
    expect(run.sequenceIssues).toEqual([{ expected: 5, got: 6, t: expect.any(Number) }]);
    expect(run.sequenceIssues[0]!.t).toBeGreaterThan(0);
    // A new run starts with none.
    await run.start(request('plain'), connection('responses'));
    expect(run.sequenceIssues).toEqual([]);
  });

  it('a non-streamed request goes by the connection’s API too', async () => {
    const from = server.requests.length;
    const completion = new CompletionState();
    await completion.start(request('resp-reasoning'), connection('responses'));
    expect(completion.status).toBe('done');
    expect(completion.result?.text).toBe(ANSWER_TEXT);
    await completion.start(request('plain'), connection('chat'));
    expect(completion.result?.text).toBe(HELLO.join(''));
    expect(paths(from)).toEqual(['POST /v1/responses', 'POST /v1/chat/completions']);
  });
});

describe('a cut connection', () => {
  it('Chat Completions: the rest of the answer is lost, nothing to resume', async () => {
    const run = new RunState('basic-streaming');
    await run.start(request('plain'), connection('chat'), { dropAfter: 3 });
    expect(run.status).toBe('error');
    expect(run.error?.kind).toBe('network');
    expect(run.resumable).toBeNull();
    expect(run.text.length).toBeLessThan(HELLO.join('').length);
    await run.resume(connection('chat'));
    expect(run.connections).toHaveLength(1);
  });

  it('Responses without background: cut, and nothing to resume', async () => {
    const run = new RunState('basic-streaming');
    await run.start(request('resp-background'), connection('responses'), { dropAfter: 6 });
    expect(run.status).toBe('error');
    expect(run.resumable).toBeNull();
  });

  it('a background response resumes as the same run: text and chunks append on one timeline with the gap', async () => {
    const run = new RunState('basic-streaming');
    const seen: StreamEvent[] = [];
    await run.start(request('resp-background', { background: true }), connection('responses'), {
      dropAfter: 6,
      onEvent: (event) => seen.push(event),
    });
    expect(run.status).toBe('error');
    const point = run.resumable;
    expect(point).toEqual({ id: run.responseId, after: expect.any(Number) });
    const before = run.chunks.length;
    const cutText = run.text;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(BACKGROUND_PIECES.length);
    const firstEnd = run.endT!;

    const from = server.requests.length;
    await run.resume(connection('responses'));
    expect(paths(from)).toEqual([`GET /v1/responses/${point!.id}`]);
    expect(server.requests.at(-1)!.url).toContain(`starting_after=${point!.after}`);

    expect(run.status).toBe('done');
    expect(run.error).toBeNull();
    expect(run.resumable).toBeNull();
    expect(run.text).toBe(BACKGROUND_PIECES.join(''));
    expect(run.text.startsWith(cutText)).toBe(true);
    expect(run.chunks).toHaveLength(BACKGROUND_PIECES.length);
    expect(run.finishReason).toBe('stop');
    expect(run.usage).not.toBeNull();

    // Two connections, the latest is `wire`; the resumed one's times moved onto the first's t0.
    const [first, second] = run.connections;
    expect(run.connections).toHaveLength(2);
    expect(run.wire).toBe(second);
    const shift = second!.t0 - first!.t0;
    expect(shift).toBeGreaterThan(0);
    for (const chunk of run.chunks.slice(before))
      expect(chunk.t).toBeCloseTo(second!.chunkTime(chunk.sdkChunk)! + shift, 6);
    // One timeline: in order, the resumed chunks after the first connection ended (the gap).
    const times = run.chunks.map((c) => c.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(run.chunks[before]!.t).toBeGreaterThan(firstEnd);
    expect(run.endT!).toBeGreaterThan(firstEnd);
    expect(run.metrics.chunks).toBe(BACKGROUND_PIECES.length);
    expect(run.metrics.e2eMs).toBe(run.chunks.at(-1)!.t);
    expect(run.metrics.ttftMs).toBe(run.chunks[0]!.t);

    // onEvent saw every content chunk numbered on from the first connection's, shifted too.
    const numbers = seen.flatMap((e) => (e.kind === 'content' ? [e.contentChunk] : []));
    expect(numbers).toEqual(BACKGROUND_PIECES.map((_, i) => i + 1));
    const contentTimes = seen.flatMap((e) => (e.kind === 'content' ? [e.t] : []));
    expect(contentTimes).toEqual(times);
    expect(seen.filter((e) => e.kind === 'end')).toHaveLength(2);

    const file = run.exportRun();
    expect(file.request).toMatchObject({ api: 'responses', background: true });
    expect(file.chunks.map((c) => c.t)).toEqual(times);
    expect(file.text).toBe(BACKGROUND_PIECES.join(''));
    expect(file.error).toBeNull();
  });

  it('a new run after a resumed one starts over with one connection', async () => {
    const run = new RunState('basic-streaming');
    await run.start(request('resp-background', { background: true }), connection('responses'), {
      dropAfter: 6,
    });
    await run.resume(connection('responses'));
    expect(run.connections).toHaveLength(2);
    await run.start(request('plain'), connection('responses'));
    expect(run.connections).toHaveLength(1);
    expect(run.text).toBe(HELLO.join(''));
    expect(run.chunks.every((c) => c.t <= run.endT!)).toBe(true);
  });
});

describe('a Responses run file', () => {
  it('records api, reads back, and replays through the simulator as Responses events', async () => {
    const run = new RunState('token-stats');
    await run.start(request('resp-reasoning'), connection('responses'));
    const file = parseExportedRun(JSON.stringify(run.exportRun()));
    expect(file.request?.api).toBe('responses');
    expect(replayApi(file)).toBe('responses');
    // A file from before the field existed went by Chat Completions.
    const older = parseExportedRun(JSON.stringify({ ...file, request: { ...file.request, api: undefined } }));
    expect(older.request).not.toHaveProperty('api');
    expect(replayApi(older)).toBe('chat');
    // Anything else a file says is not a format the app knows: read as Chat Completions.
    const odd = parseExportedRun(JSON.stringify({ ...file, request: { ...file.request, api: 'soap' } }));
    expect(odd.request).not.toHaveProperty('api');

    const settings = new SettingsState();
    const replay = new RunState('token-stats');
    await replay.start(
      { model: file.request!.model, messages: file.request!.messages },
      settings.replayConnection(await replayPieces(file), replayApi(file)),
    );
    expect(replay.api).toBe('responses');
    expect(replay.status).toBe('done');
    expect(replay.text).toBe(ANSWER_TEXT);
    expect(replay.reasoning).toBe(REASONING_TEXT);
    expect(replay.chunks.map((c) => c.text)).toEqual(file.chunks.map((c) => c.text));
    expect(replay.wire.frames.some((f) => f.raw.startsWith('event: response.output_text.delta'))).toBe(true);
    expect(replay.exportRun().request?.api).toBe('responses');
  });
});
