/**
 * streamResponse, resumeResponse and completeResponse through the real openai SDK against the real
 * local SSE server's /responses routes; and streamChat's `dropAfter`, the Chat Completions half of
 * the cut-connection contrast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventType, frameLabel } from '../../src/lib/engine/frame-label';
import { probeResponses } from '../../src/lib/engine/probe';
import { streamChat } from '../../src/lib/engine/stream-chat';
import { completeResponse, resumeResponse, streamResponse } from '../../src/lib/engine/stream-response';
import type { ChatRequest, Connection, ResumePoint, StreamEvent } from '../../src/lib/engine/types';
import { WireLog } from '../../src/lib/engine/wire';
import {
  ANSWER_TEXT,
  BACKGROUND_GATE_AT,
  BACKGROUND_PIECES,
  errorReply,
  eventFrame,
  HELLO,
  messageItem,
  REASONING_TEXT,
  responseEvents,
  startServer,
  TOKYO_ARGS,
  WEATHER_ARGS,
  type Scenario,
  type TestServer,
} from '../server/sse-server';

let server: TestServer;
const KEY = 'sk-test-0123456789abcdefSECRET';

/**
 * A small Responses stream with a function call and text, multi-byte characters in both, cut at
 * every byte offset into two network writes held apart by a gate.
 */
const SPLIT_BODY = new TextEncoder().encode(
  [
    { type: 'response.created', response: { id: 'resp_split', status: 'in_progress' } },
    {
      type: 'response.output_item.added',
      output_index: 0,
      item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' },
    },
    {
      type: 'response.function_call_arguments.delta',
      item_id: 'fc_1',
      output_index: 0,
      delta: '{"city":"Zürich',
    },
    { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: ' 🚀"}' },
    {
      type: 'response.output_item.added',
      output_index: 1,
      item: { id: 'msg_1', type: 'message', content: [] },
    },
    {
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'Grüße ',
    },
    { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: '🚀!' },
    {
      type: 'response.completed',
      response: {
        id: 'resp_split',
        status: 'completed',
        usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
      },
    },
  ]
    .map((event, seq) => eventFrame({ ...event, sequence_number: seq }))
    .join(''),
);

const splits: Record<string, Scenario> = {
  'split-whole': () => ({ status: 200, steps: [{ write: SPLIT_BODY }, { end: true }] }),
  /** Six events of a background response (the first text delta last), then nothing, forever. */
  'resp-stall': (body) => {
    const frames = responseEvents({ items: [messageItem(HELLO)] }, { ...body, background: true })
      .slice(0, 6)
      .map((event) => ({ write: eventFrame(event) }));
    return { status: 200, steps: [...frames, { hang: true }] };
  },
  /** OpenAI's answer to a reasoning summary asked by an organization that is not verified. */
  'unverified-summary': () =>
    errorReply(400, 'Your organization must be verified to generate reasoning summaries.', {
      param: 'reasoning.summary',
      code: 'unsupported_value',
    }),
  'no-such-model': () =>
    errorReply(404, 'The model `no-such-model` does not exist.', { code: 'model_not_found' }),
};
for (let cut = 1; cut < SPLIT_BODY.length; cut++) {
  splits[`split-${cut}`] = () => ({
    status: 200,
    steps: [
      { write: SPLIT_BODY.slice(0, cut) },
      { gate: `split-${cut}` },
      { write: SPLIT_BODY.slice(cut) },
      { end: true },
    ],
  });
}

beforeAll(async () => {
  server = await startServer({ keys: [KEY], responseScenarios: splits });
});
afterAll(() => server.close());

function connection(): Connection {
  return {
    baseURL: server.baseURL,
    apiKey: KEY,
    fetch: globalThis.fetch,
    maxRetries: 0,
    stallMs: 30_000,
    api: 'responses',
  };
}

function request(model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'user', content: 'hi' }], ...extra };
}

interface Run {
  events: StreamEvent[];
  text: string;
  reasoning: string;
  end: Extract<StreamEvent, { kind: 'end' }>;
  wire: WireLog;
}

function summary(events: StreamEvent[], wire: WireLog): Run {
  const end = events.at(-1);
  if (end?.kind !== 'end') throw new Error('no end event');
  expect(events.filter((e) => e.kind === 'end')).toHaveLength(1);
  return {
    events,
    text: events.flatMap((e) => (e.kind === 'content' ? [e.text] : [])).join(''),
    reasoning: events.flatMap((e) => (e.kind === 'reasoning' ? [e.text] : [])).join(''),
    end,
    wire,
  };
}

async function drain(stream: AsyncIterable<StreamEvent>, wire: WireLog): Promise<Run> {
  const events: StreamEvent[] = [];
  for await (const e of stream) events.push(e);
  return summary(events, wire);
}

function respond(model: string, extra: Partial<ChatRequest> = {}, dropAfter?: number): Promise<Run> {
  const wire = new WireLog();
  const options = { connection: connection(), wire, ...(dropAfter !== undefined ? { dropAfter } : {}) };
  return drain(streamResponse(request(model, extra), options), wire);
}

function resume(point: ResumePoint): Promise<Run> {
  const wire = new WireLog();
  return drain(resumeResponse(point, { connection: connection(), wire }), wire);
}

const of = <K extends StreamEvent['kind']>(run: Run, kind: K) =>
  run.events.filter((e): e is Extract<StreamEvent, { kind: K }> => e.kind === kind);

describe('streamResponse', () => {
  it('streams a text answer: open, response created, content numbered from 1, usage, finish stop', async () => {
    const run = await respond('test-model');
    expect(run.text).toBe(HELLO.join(''));
    expect(run.end).toMatchObject({ outcome: 'complete' });
    expect(run.end.resume).toBeUndefined();
    expect(run.events[0]).toMatchObject({ kind: 'open', status: 200 });
    const statuses = of(run, 'response').map((e) => e.status);
    expect(statuses).toEqual(['in_progress', 'in_progress', 'completed']);
    expect(of(run, 'response')[0]!.id).toMatch(/^resp_/);
    expect(of(run, 'content').map((e) => e.contentChunk)).toEqual(HELLO.map((_, i) => i + 1));
    expect(of(run, 'usage')[0]!.usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 12,
      total_tokens: 21,
      completion_tokens_details: { reasoning_tokens: 0 },
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(of(run, 'finish').map((e) => e.reason)).toEqual(['stop']);
    // Usage, then finish, from the one response.completed event.
    const kinds = run.events.map((e) => e.kind);
    expect(kinds.indexOf('usage')).toBeLessThan(kinds.indexOf('finish'));
    expect(of(run, 'sequence')).toEqual([]);
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', url: '/v1/responses' });
  });

  it('times each event by the frame the SDK yielded it from (sdkChunk = chunkFrames index)', async () => {
    const run = await respond('test-model');
    for (const e of of(run, 'content')) {
      const frame = run.wire.frames[run.wire.chunkFrames[e.sdkChunk]!]!;
      expect(frame.raw.startsWith('event: response.output_text.delta\n')).toBe(true);
      expect(JSON.parse(frame.data).delta).toBe(e.text);
      expect(e.t).toBe(frame.t);
    }
  });

  it('reads logprobs from output_text deltas', async () => {
    const run = await respond('test-model', { logprobs: true, top_logprobs: 2 });
    const tokens = of(run, 'logprobs').flatMap((e) => e.tokens);
    expect(tokens.map((t) => t.token)).toEqual(HELLO);
    expect(tokens[0]).toEqual({ token: 'Hello', logprob: -0.5, top: [{ token: 'Hello', logprob: -0.5 }] });
  });

  it('reads the reasoning summary apart from the answer, with its token counts', async () => {
    const run = await respond('resp-reasoning');
    expect(run.reasoning).toBe(REASONING_TEXT);
    expect(run.text).toBe(ANSWER_TEXT);
    expect(new Set(of(run, 'reasoning').map((e) => e.field))).toEqual(new Set(['reasoning_summary']));
    expect(of(run, 'usage')[0]!.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 31,
      total_tokens: 43,
      completion_tokens_details: { reasoning_tokens: 20 },
      prompt_tokens_details: { cached_tokens: 8 },
    });
    const kinds = run.events.map((e) => e.kind);
    expect(kinds.lastIndexOf('reasoning')).toBeLessThan(kinds.indexOf('content'));
  });

  it('holds at gate "reasoned" with the whole summary read and no answer yet', async () => {
    const gate = server.hold('reasoned');
    const events: StreamEvent[] = [];
    const done = (async () => {
      for await (const e of streamResponse(request('resp-reasoning'), { connection: connection() }))
        events.push(e);
    })();
    await gate.reached;
    await expect
      .poll(() => events.flatMap((e) => (e.kind === 'reasoning' ? [e.text] : [])).join(''))
      .toBe(REASONING_TEXT);
    expect(events.some((e) => e.kind === 'content')).toBe(false);
    gate.release();
    await done;
    expect(events.at(-1)).toMatchObject({ kind: 'end', outcome: 'complete' });
  });

  it('reads two function calls as tool calls 0 and 1 with their ids, names and arguments; finish tool_calls', async () => {
    const run = await respond('resp-tool');
    const calls = new Map<number, { id: string; name: string; args: string; type: string }>();
    for (const e of of(run, 'tool_call')) {
      const call = calls.get(e.index) ?? { id: '', name: '', args: '', type: e.type };
      call.id += e.id ?? '';
      call.name += e.name ?? '';
      call.args += e.args;
      calls.set(e.index, call);
    }
    expect([...calls.entries()]).toEqual([
      [0, { id: 'call_weather_paris', name: 'get_weather', args: WEATHER_ARGS, type: 'function' }],
      [1, { id: 'call_weather_tokyo', name: 'get_weather', args: TOKYO_ARGS, type: 'function' }],
    ]);
    expect(of(run, 'finish').map((e) => e.reason)).toEqual(['tool_calls']);
    expect(run.text).toBe('');
  });

  it('ends an answer cut by max_output_tokens with usage, then finish length', async () => {
    const run = await respond('resp-incomplete', { max_completion_tokens: 3 });
    expect(server.requests.at(-1)!.body).toMatchObject({ max_output_tokens: 3 });
    expect(run.text).toBe(HELLO.slice(0, 3).join(''));
    expect(of(run, 'response').at(-1)!.status).toBe('incomplete');
    expect(of(run, 'usage')[0]!.usage.completion_tokens).toBe(3);
    expect(of(run, 'finish').map((e) => e.reason)).toEqual(['length']);
    expect(run.end.outcome).toBe('complete');
  });

  it('ends with outcome error at a mid-stream error event, keeping the text before it', async () => {
    const run = await respond('resp-error');
    expect(run.text).toBe('Partial answer');
    const errors = of(run, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toMatchObject({ kind: 'mid_stream' });
    expect(errors[0]!.error.detail).toBe('server_error: The model crashed in the middle of the answer.');
    expect(run.events.at(-2)).toBe(errors[0]);
    expect(run.end).toMatchObject({ outcome: 'error' });
    expect(run.end.resume).toBeUndefined();
    expect(of(run, 'finish')).toEqual([]);
  });

  it('skips an unknown event type, which the wire log still shows', async () => {
    const run = await respond('resp-unknown');
    expect(run.text).toBe(HELLO.join(''));
    expect(run.end.outcome).toBe('complete');
    expect(of(run, 'error')).toEqual([]);
    expect(of(run, 'sequence')).toEqual([]);
    const unknown = run.wire.frames.find((f) => f.raw.startsWith('event: response.future_thing'));
    expect(unknown).toBeDefined();
    // The SDK yielded it too: it has its place among the chunks.
    expect(run.wire.chunkFrames).toContain(run.wire.frames.indexOf(unknown!));
  });

  it('reports a missing sequence number as a gap', async () => {
    const run = await respond('resp-gap');
    expect(of(run, 'sequence').map(({ expected, got }) => ({ expected, got }))).toEqual([
      { expected: 5, got: 6 },
    ]);
    expect(run.end.outcome).toBe('complete');
    // The lost event carried a piece of text; the rest arrived.
    expect(run.text).toBe(HELLO.filter((_, i) => i !== 1).join(''));
  });

  it('reports two events in the wrong order: the skip ahead, then the late one', async () => {
    const run = await respond('resp-reorder');
    expect(of(run, 'sequence').map(({ expected, got }) => ({ expected, got }))).toEqual([
      { expected: 5, got: 6 },
      { expected: 7, got: 5 },
    ]);
    const sequence = of(run, 'sequence')[0]!;
    const frame = run.wire.frames[run.wire.chunkFrames[sequence.sdkChunk]!]!;
    expect(JSON.parse(frame.data).sequence_number).toBe(6);
    expect(run.end.outcome).toBe('complete');
  });

  it('ends aborted when the caller aborts, and the server sees the client go', async () => {
    const gate = server.hold('resp-background');
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const done = (async () => {
      for await (const e of streamResponse(request('resp-background'), {
        connection: connection(),
        signal: controller.signal,
      }))
        events.push(e);
    })();
    const held = await gate.reached;
    controller.abort();
    await done;
    gate.release();
    expect(events.at(-1)).toMatchObject({ kind: 'end', outcome: 'aborted' });
    expect(events.some((e) => e.kind === 'error')).toBe(false);
    await expect.poll(() => held.clientAborted).toBe(true);
  });
});

describe('a cut connection', () => {
  const WHOLE = BACKGROUND_PIECES.join('');

  it('Chat Completions: dropAfter cuts after n chunks, says so, and gives no resume point', async () => {
    const events: StreamEvent[] = [];
    const wire = new WireLog();
    const chat = { ...connection(), api: 'chat' as const };
    for await (const e of streamChat(request('slow', { background: true }), {
      connection: chat,
      wire,
      dropAfter: 4,
    }))
      events.push(e);
    const run = summary(events, wire);
    expect(run.text).toBe(' w0 w1 w2');
    expect(of(run, 'error')[0]!.error).toMatchObject({ kind: 'network' });
    expect(of(run, 'error')[0]!.error.title).toBe('The connection was cut on purpose after 4 events.');
    expect(of(run, 'error')[0]!.error.hint).toMatch(/rest of the answer is lost/);
    expect(run.end).toMatchObject({ outcome: 'error' });
    expect(run.end.resume).toBeUndefined();
    expect(server.requests.at(-1)!.body).not.toHaveProperty('background');
    await expect.poll(() => server.requests.at(-1)!.clientAborted).toBe(true);
  });

  it('Responses without background: dropAfter cuts the same way, with no resume point', async () => {
    const run = await respond('resp-background', {}, 6);
    expect(run.end).toMatchObject({ outcome: 'error' });
    expect(run.end.resume).toBeUndefined();
    expect(of(run, 'error')[0]!.error.title).toBe('The connection was cut on purpose after 6 events.');
  });

  it('Responses with background: dropAfter gives the resume point, and resumeResponse gets the rest', async () => {
    const uncut = await respond('resp-background', { background: true });
    expect(uncut.text).toBe(WHOLE);
    expect(of(uncut, 'response')[0]!.status).toBe('queued');

    const cut = await respond('resp-background', { background: true }, 7);
    expect(server.requests.at(-1)!.body).toMatchObject({ background: true, stream: true });
    await expect.poll(() => server.requests.at(-1)!.clientAborted).toBe(true);
    const id = of(cut, 'response')[0]!.id;
    // Events 0..6: created, queued, in progress, item added, part added, two deltas.
    expect(cut.end).toEqual({ kind: 'end', t: cut.end.t, outcome: 'error', resume: { id, after: 6 } });
    expect(of(cut, 'error')[0]!.error).toMatchObject({
      kind: 'network',
      title: 'The connection was cut on purpose after 7 events.',
    });
    expect(of(cut, 'error')[0]!.error.hint).toMatch(/resume/);
    expect(cut.text).toBe(BACKGROUND_PIECES.slice(0, 2).join(''));

    const rest = await resume(cut.end.resume!);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: `/v1/responses/${id}?stream=true&starting_after=6`,
    });
    expect(rest.end.outcome).toBe('complete');
    expect(of(rest, 'sequence')).toEqual([]);
    expect(of(rest, 'content')[0]!.contentChunk).toBe(1);
    expect(cut.text + rest.text).toBe(WHOLE);
    expect(of(rest, 'finish').map((e) => e.reason)).toEqual(['stop']);
  });

  it('a real drop of a background stream by the server gives the same resume point', async () => {
    const gate = server.hold('resp-cut');
    const wire = new WireLog();
    const running = drain(
      streamResponse(request('resp-background-cut', { background: true }), {
        connection: connection(),
        wire,
      }),
      wire,
    );
    await gate.reached;
    // Every event up to the gate has been read before the socket goes.
    await expect.poll(() => wire.chunkFrames.length).toBe(BACKGROUND_GATE_AT + 1);
    gate.release();
    const cut = await running;
    expect(of(cut, 'error')[0]!.error.kind).toBe('dropped');
    expect(cut.end).toMatchObject({ outcome: 'error', resume: { after: BACKGROUND_GATE_AT } });
    const rest = await resume(cut.end.resume!);
    expect(cut.text + rest.text).toBe(WHOLE);
    expect(rest.end.outcome).toBe('complete');
  });

  it('a stalled background stream is closed by the watchdog and can be resumed from its last event', async () => {
    const wire = new WireLog();
    const run = await drain(
      streamResponse(request('resp-stall', { background: true }), {
        connection: { ...connection(), stallMs: 300 },
        wire,
      }),
      wire,
    );
    expect(of(run, 'error')[0]!.error.kind).toBe('stalled');
    expect(run.end).toMatchObject({ outcome: 'error', resume: { id: of(run, 'response')[0]!.id, after: 5 } });
    expect(run.text).toBe('Hello');
    await expect.poll(() => server.requests.at(-1)!.clientAborted).toBe(true);
  });

  it('a real drop of a stream that is not background gives no resume point', async () => {
    const gate = server.hold('resp-cut');
    const wire = new WireLog();
    const running = drain(
      streamResponse(request('resp-background-cut'), { connection: connection(), wire }),
      wire,
    );
    await gate.reached;
    await expect.poll(() => wire.chunkFrames.length).toBe(BACKGROUND_GATE_AT + 1);
    gate.release();
    const cut = await running;
    expect(cut.end.outcome).toBe('error');
    expect(cut.end.resume).toBeUndefined();
  });

  it('resuming a response that was not created in the background is refused with a 400', async () => {
    const run = await respond('test-model');
    const rest = await resume({ id: of(run, 'response')[0]!.id, after: 3 });
    expect(of(rest, 'error')[0]!.error).toMatchObject({
      status: 400,
      kind: 'bad_request',
      title: 'This response cannot be resumed (400).',
    });
    expect(of(rest, 'error')[0]!.error.detail).toMatch(/not created with background=true/);
    expect(rest.end.outcome).toBe('error');
  });

  it('resuming a response that does not exist ends with an error that says so', async () => {
    const rest = await resume({ id: 'resp_nope', after: 3 });
    expect(of(rest, 'error')[0]!.error).toMatchObject({
      status: 404,
      kind: 'not_found',
      title: 'The response to resume was not found (404).',
    });
    expect(rest.end.outcome).toBe('error');
    expect(rest.end.resume).toBeUndefined();
  });
});

describe('a refused reasoning summary', () => {
  it('says what to do when the organization may not receive reasoning summaries', async () => {
    const run = await respond('unverified-summary');
    expect(of(run, 'error')[0]!.error).toMatchObject({ kind: 'bad_request', param: 'reasoning.summary' });
    expect(of(run, 'error')[0]!.error.hint).toMatch(/verified organizations.*Chat Completions/);
  });
});

describe('a server without the Responses API', () => {
  it('ends the stream with a 404 that names the Responses API, not chat completions', async () => {
    const chatOnly = await startServer({ responses: false });
    try {
      const wire = new WireLog();
      const run = await drain(
        streamResponse(request('test-model'), {
          connection: { ...connection(), baseURL: chatOnly.baseURL },
          wire,
        }),
        wire,
      );
      expect(of(run, 'error')[0]!.error).toMatchObject({ kind: 'not_found', status: 404 });
      expect(of(run, 'error')[0]!.error.title).toMatch(/has no Responses API at this address \(404\)/);
      expect(run.end.outcome).toBe('error');
    } finally {
      await chatOnly.close();
    }
  });
});

describe('completeResponse', () => {
  it('says tool_calls when the output holds function calls', async () => {
    const done = await completeResponse(request('resp-tool'), { connection: connection() });
    expect(done.finishReason).toBe('tool_calls');
    expect(done.text).toBe('');
  });

  it('answers with the whole text, usage and finish reason', async () => {
    const done = await completeResponse(request('test-model'), { connection: connection() });
    expect(server.requests.at(-1)!.body).toMatchObject({ stream: false });
    expect(done.text).toBe(HELLO.join(''));
    expect(done.finishReason).toBe('stop');
    expect(done.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 });
  });

  it('says length for a response cut by max_output_tokens', async () => {
    const done = await completeResponse(request('resp-incomplete', { max_tokens: 2 }), {
      connection: connection(),
    });
    expect(done.text).toBe(HELLO.slice(0, 2).join(''));
    expect(done.finishReason).toBe('length');
  });
});

describe('a Responses stream split across two network reads', () => {
  /** The events without their times, which differ from run to run. */
  const timeless = (events: StreamEvent[]) => events.map(({ t: _t, ...rest }) => rest);

  it('gives the same events wherever the bytes are cut, even inside a multi-byte character', async () => {
    const whole = await respond('split-whole');
    expect(whole.text).toBe('Grüße 🚀!');
    expect(
      of(whole, 'tool_call')
        .map((e) => e.args)
        .join(''),
    ).toBe('{"city":"Zürich 🚀"}');
    expect(of(whole, 'finish').map((e) => e.reason)).toEqual(['tool_calls']);
    expect(of(whole, 'sequence')).toEqual([]);
    for (let cut = 1; cut < SPLIT_BODY.length; cut++) {
      const wire = new WireLog();
      const gate = server.hold(`split-${cut}`);
      const run = drain(streamResponse(request(`split-${cut}`), { connection: connection(), wire }), wire);
      await gate.reached;
      // The first write has been read on its own before the second is sent.
      while (wire.reads.length === 0) await new Promise((r) => setTimeout(r, 1));
      gate.release();
      const { events } = await run;
      expect(wire.reads.length, `cut at byte ${cut}`).toBeGreaterThanOrEqual(2);
      expect(timeless(events), `cut at byte ${cut}`).toEqual(timeless(whole.events));
      // The tap framed the bytes as the SDK did: each event's frame is the one it was read from.
      for (const e of events)
        if (e.kind === 'content' || e.kind === 'tool_call')
          expect(
            JSON.parse(wire.frames[wire.chunkFrames[e.sdkChunk]!]!.data),
            `cut at byte ${cut}`,
          ).toMatchObject(e.kind === 'content' ? { delta: e.text } : { sequence_number: e.sdkChunk });
    }
  }, 120_000);
});

describe('wire inspector labels for Responses events', () => {
  const labels = (run: Run) => run.wire.frames.map((f) => frameLabel(f));

  it('names each event of a text answer in plain words, with its sequence number and text', async () => {
    const run = await respond('test-model');
    expect(labels(run).map((l) => l.tags)).toEqual([
      ['created'],
      ['in progress'],
      ['item added: message'],
      ['part added'],
      ...HELLO.map(() => ['text delta']),
      ['text done'],
      ['part done'],
      ['item done: message'],
      ['completed'],
    ]);
    expect(labels(run)[4]!.detail).toBe('#4, + "Hello"');
    expect(labels(run)[2]!.detail).toMatch(/^#2, msg_test\d+$/);
    expect(labels(run)[3]!.detail).toBe(`#3, ${JSON.parse(run.wire.frames[3]!.data).item_id}`);
    expect(labels(run)[0]!.detail).toMatch(/^#0, resp_\w+ in_progress$/);
    expect(labels(run).at(-1)!.detail).toMatch(
      /^#\d+, resp_\w+ completed, usage 9 \+ 12 tokens \(0 reasoning\), finish stop$/,
    );
  });

  it('names reasoning summaries, function calls and their argument pieces', async () => {
    const reasoning = labels(await respond('resp-reasoning'));
    expect(reasoning.map((l) => l.tags[0])).toContain('item added: reasoning');
    expect(reasoning.map((l) => l.tags[0])).toContain('summary part added');
    expect(reasoning.find((l) => l.tags[0] === 'reasoning summary')!.detail).toMatch(
      /^#\d+, reasoning_summary \+ "PONDER/,
    );
    const tool = labels(await respond('resp-tool'));
    expect(tool[2]).toMatchObject({
      tags: ['item added: function_call'],
      detail: '#2, get_weather call_weather_paris',
    });
    expect(tool[3]!.tags).toEqual(['tool arguments']);
    expect(tool[3]!.detail).toMatch(/^#3, fc_test\d+ \+ "\{"$/);
    expect(tool.map((l) => l.tags[0])).toContain('tool arguments done');
  });

  it('names an unknown event by its type, and error and incomplete events', async () => {
    const unknown = labels(await respond('resp-unknown'));
    expect(unknown.map((l) => l.tags[0])).toContain('unknown event response.future_thing');
    const failed = labels(await respond('resp-error'));
    expect(failed.find((l) => l.tags[0] === 'error')!.detail).toMatch(
      /error: server_error: The model crashed in the middle of the answer\.$/,
    );
    const failedEvent = {
      type: 'response.failed',
      sequence_number: 9,
      response: { id: 'resp_1', status: 'failed', error: { code: 'x', message: 'y' } },
    };
    expect(frameLabel({ type: 'data', data: JSON.stringify(failedEvent) })).toMatchObject({
      tags: ['failed'],
      detail: '#9, resp_1 failed, error: x: y',
      event: 'response.failed',
    });
    const incomplete = labels(await respond('resp-incomplete', { max_tokens: 2 }));
    expect(incomplete.at(-1)!.tags).toEqual(['incomplete']);
    expect(incomplete.at(-1)!.detail).toMatch(/finish length$/);
  });

  it('gives each frame’s event type as sent, and null for chat frames', async () => {
    const run = await respond('resp-tool');
    expect(run.wire.frames.map((f) => eventType(f))).toEqual(
      run.wire.frames.map((f) => /^event: (.+)$/m.exec(f.raw)![1]),
    );
    expect(eventType({ type: 'event', data: '', raw: 'event: response.ping' })).toBe('response.ping');
    expect(eventType({ type: 'data', data: '{"choices":[]}', raw: 'data: {"choices":[]}' })).toBeNull();
    expect(eventType({ type: 'done', data: '[DONE]', raw: 'data: [DONE]' })).toBeNull();
    expect(eventType({ type: 'comment', data: '', raw: ': hi' })).toBeNull();
  });
});

describe('probeResponses', () => {
  const probeAt = (baseURL: string, apiKey = KEY) =>
    probeResponses({ ...connection(), baseURL, apiKey }, 'test-model');

  it('says yes when POST /responses answers, and sends a tiny non-streamed request', async () => {
    const result = await probeAt(server.baseURL);
    expect(result).toMatchObject({ ok: true });
    expect(result.title).toMatch(/speaks the Responses API/);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/responses',
      body: { model: 'test-model', input: 'ping', max_output_tokens: 16 },
    });
  });

  it('says yes when the route refuses the request with a JSON error other than 404', async () => {
    const result = await probeAt(server.baseURL, 'sk-wrong-key-0000000000');
    expect(result.ok).toBe(true);
    expect(result.title).toMatch(/401/);
  });

  it('says yes when the route answers 404 for an unknown model only', async () => {
    const result = await probeResponses(connection(), 'no-such-model');
    expect(result.ok).toBe(true);
    expect(result.title).toMatch(/does not know this model/);
  });

  it('says no when the server has no /responses route', async () => {
    const chatOnly = await startServer({ responses: false });
    try {
      const result = await probeAt(chatOnly.baseURL);
      expect(result).toMatchObject({ ok: false, hint: 'Use Chat Completions with this provider.' });
      expect(result.title).toMatch(/no Responses API.*404/);
      // The probe did ask POST /responses, and got the 404.
      expect(chatOnly.requests.at(-1)).toMatchObject({ method: 'POST', url: '/v1/responses' });
    } finally {
      await chatOnly.close();
    }
  });

  it('says it could not tell when nothing answers', async () => {
    const result = await probeAt('http://127.0.0.1:9/v1');
    expect(result.ok).toBe(false);
    expect(result.title).toMatch(/^Could not tell/);
  });
});
