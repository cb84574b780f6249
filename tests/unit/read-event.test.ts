/**
 * What one Responses API event says (read-event.ts), event by event: the same StreamEvents a chat
 * chunk gives, sequence numbers checked, and nothing of an unexpected shape ever fatal.
 */
import { describe, expect, it } from 'vitest';
import {
  eventReader,
  finishReason,
  readEvent,
  resumePoint,
  toResponseUsage,
  type EventReader,
} from '../../src/lib/engine/read-event';
import type { StreamEvent } from '../../src/lib/engine/types';

const KEY = 'sk-proj-abcdefghijklmnop1234';
const fresh = () => eventReader({ baseURL: 'http://x/v1', model: 'm', apiKey: KEY, streaming: true });

/** Reads events in order through one reader, numbering them as the SDK would yield them. */
function read(events: unknown[], reader: EventReader = fresh()): StreamEvent[] {
  return events.flatMap((event, i) => [...readEvent(event, i, i * 10, reader)]);
}

/** Events numbered from `from` in the order given. */
const numbered = (events: Record<string, unknown>[], from = 0) =>
  events.map((e, i) => ({ ...e, sequence_number: from + i }));

const created = (status = 'in_progress') => ({
  type: 'response.created',
  response: { id: 'resp_1', object: 'response', status },
});
const text = (delta: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'response.output_text.delta',
  item_id: 'msg_1',
  output_index: 0,
  content_index: 0,
  delta,
  ...extra,
});
const USAGE = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 8 },
  output_tokens: 31,
  output_tokens_details: { reasoning_tokens: 20 },
  total_tokens: 43,
};

describe('readEvent', () => {
  it('says the response id and status from created, queued and in_progress', () => {
    const reader = fresh();
    const events = read(
      numbered([
        created('queued'),
        { type: 'response.queued', response: { id: 'resp_1', status: 'queued' } },
        { type: 'response.in_progress', response: { status: 'in_progress' } },
      ]),
      reader,
    );
    expect(events).toEqual([
      { kind: 'response', t: 0, sdkChunk: 0, id: 'resp_1', status: 'queued' },
      { kind: 'response', t: 10, sdkChunk: 1, id: 'resp_1', status: 'queued' },
      { kind: 'response', t: 20, sdkChunk: 2, id: 'resp_1', status: 'in_progress' },
    ]);
    expect(reader.id).toBe('resp_1');
  });

  it('numbers content chunks from 1 by text deltas only, skipping empty ones', () => {
    const events = read(numbered([created(), text('Hel'), text(''), text('lo')]));
    expect(events.filter((e) => e.kind === 'content')).toEqual([
      { kind: 'content', t: 10, sdkChunk: 1, contentChunk: 1, text: 'Hel' },
      { kind: 'content', t: 30, sdkChunk: 3, contentChunk: 2, text: 'lo' },
    ]);
  });

  it('reads logprobs from a text delta, after its content', () => {
    const logprobs = [
      { token: 'Hi', logprob: -0.2, bytes: [72, 105], top_logprobs: [{ token: 'Hey', logprob: -1 }] },
    ];
    expect(read([text('Hi', { logprobs })]).map((e) => e.kind)).toEqual(['content', 'logprobs']);
    expect(read([text('Hi', { logprobs })])[1]).toMatchObject({
      tokens: [{ token: 'Hi', logprob: -0.2, top: [{ token: 'Hey', logprob: -1 }] }],
    });
    expect(read([text('Hi', { logprobs: [] })]).map((e) => e.kind)).toEqual(['content']);
  });

  it('reads refusals and both kinds of reasoning, never as content', () => {
    const events = read([
      { type: 'response.refusal.delta', delta: 'No.' },
      { type: 'response.reasoning_summary_text.delta', summary_index: 0, delta: 'Summary' },
      { type: 'response.reasoning_text.delta', content_index: 0, delta: 'Raw' },
    ]);
    expect(events).toEqual([
      { kind: 'refusal', t: 0, sdkChunk: 0, text: 'No.' },
      { kind: 'reasoning', t: 10, sdkChunk: 1, text: 'Summary', field: 'reasoning_summary' },
      { kind: 'reasoning', t: 20, sdkChunk: 2, text: 'Raw', field: 'reasoning_text' },
    ]);
  });

  it('numbers tool calls by their order among tool-call items and finds their pieces by item or index', () => {
    const added = (outputIndex: number, item: Record<string, unknown>) => ({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item,
    });
    const events = read([
      added(0, { id: 'rs_1', type: 'reasoning', summary: [] }),
      added(1, { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '' }),
      added(2, { id: 'msg_1', type: 'message', content: [] }),
      added(3, { id: 'ct_b', type: 'custom_tool_call', call_id: 'call_b', name: 'run_sql', input: '' }),
      { type: 'response.function_call_arguments.delta', item_id: 'fc_a', output_index: 1, delta: '{"a"' },
      { type: 'response.custom_tool_call_input.delta', item_id: 'ct_b', output_index: 3, delta: 'SELECT' },
      // No item_id: found by output_index.
      { type: 'response.function_call_arguments.delta', output_index: 1, delta: ':1}' },
      // An item nobody announced: skipped.
      { type: 'response.function_call_arguments.delta', item_id: 'fc_zz', output_index: 9, delta: 'x' },
    ]);
    expect(events).toEqual([
      {
        kind: 'tool_call',
        t: 10,
        sdkChunk: 1,
        index: 0,
        id: 'call_a',
        name: 'get_weather',
        type: 'function',
        args: '',
      },
      {
        kind: 'tool_call',
        t: 30,
        sdkChunk: 3,
        index: 1,
        id: 'call_b',
        name: 'run_sql',
        type: 'custom',
        args: '',
      },
      { kind: 'tool_call', t: 40, sdkChunk: 4, index: 0, type: 'function', args: '{"a"' },
      { kind: 'tool_call', t: 50, sdkChunk: 5, index: 1, type: 'custom', args: 'SELECT' },
      { kind: 'tool_call', t: 60, sdkChunk: 6, index: 0, type: 'function', args: ':1}' },
    ]);
  });

  it('ends a completed response with its status, usage, then finish stop (tool_calls after a call)', () => {
    const completed = {
      type: 'response.completed',
      response: { id: 'resp_1', status: 'completed', usage: USAGE },
    };
    expect(read([completed])).toEqual([
      { kind: 'response', t: 0, sdkChunk: 0, id: 'resp_1', status: 'completed' },
      {
        kind: 'usage',
        t: 0,
        sdkChunk: 0,
        usage: {
          prompt_tokens: 12,
          completion_tokens: 31,
          total_tokens: 43,
          completion_tokens_details: { reasoning_tokens: 20 },
          prompt_tokens_details: { cached_tokens: 8 },
        },
      },
      { kind: 'finish', t: 0, sdkChunk: 0, reason: 'stop' },
    ]);
    const call = {
      type: 'response.output_item.added',
      output_index: 0,
      item: { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '' },
    };
    expect(read([call, completed]).at(-1)).toMatchObject({ kind: 'finish', reason: 'tool_calls' });
    // A resumed stream may not have seen the call's head: the final output still says there was one.
    const withCall = { ...completed, response: { ...completed.response, output: [call.item] } };
    expect(read([withCall]).at(-1)).toMatchObject({ kind: 'finish', reason: 'tool_calls' });
  });

  it.each([
    ['max_output_tokens', 'length'],
    ['content_filter', 'content_filter'],
  ])('maps an incomplete response for %s to finish %s', (reason, finish) => {
    const events = read([
      {
        type: 'response.incomplete',
        response: { id: 'resp_1', status: 'incomplete', incomplete_details: { reason }, usage: USAGE },
      },
    ]);
    expect(events.map((e) => e.kind)).toEqual(['response', 'usage', 'finish']);
    expect(events.at(-1)).toMatchObject({ reason: finish });
  });

  it('reads an error event and a failed response as errors with the provider’s code and message, masked', () => {
    const [error] = read([{ type: 'error', code: 'server_error', message: `Bad key ${KEY}`, param: null }]);
    expect(error).toMatchObject({ kind: 'error', error: { kind: 'mid_stream' } });
    const detail = error?.kind === 'error' ? error.error.detail : '';
    expect(detail).toMatch(/^server_error: Bad key /);
    expect(detail).not.toContain(KEY);
    const failed = read([
      {
        type: 'response.failed',
        response: {
          id: 'resp_1',
          status: 'failed',
          error: { code: 'rate_limit_exceeded', message: 'Slow down' },
        },
      },
    ]);
    expect(failed.map((e) => e.kind)).toEqual(['response', 'error']);
    expect(failed[1]).toMatchObject({ error: { detail: 'rate_limit_exceeded: Slow down' } });
  });

  it('reports a gap and a late event once each, and keeps the highest number as the resume point', () => {
    const reader = fresh();
    const events = read(
      [created(), text('a'), text('c'), text('b'), text('d')].map((e, i) => ({
        ...e,
        sequence_number: [0, 1, 3, 2, 4][i],
      })),
      reader,
    );
    expect(events.filter((e) => e.kind === 'sequence')).toEqual([
      { kind: 'sequence', t: 20, sdkChunk: 2, expected: 2, got: 3 },
      { kind: 'sequence', t: 30, sdkChunk: 3, expected: 4, got: 2 },
    ]);
    // The sequence report comes before what its event carries.
    expect(events.slice(2, 4).map((e) => e.kind)).toEqual(['sequence', 'content']);
    expect(resumePoint(reader)).toEqual({ id: 'resp_1', after: 4 });
  });

  it('continues a resumed stream from after + 1, numbering its content from 1', () => {
    const reader = eventReader(fresh().context, 6, 'resp_1');
    expect(resumePoint(reader)).toEqual({ id: 'resp_1', after: 6 });
    const events = read(numbered([text('x'), text('y')], 7), reader);
    expect(events).toEqual([
      { kind: 'content', t: 0, sdkChunk: 0, contentChunk: 1, text: 'x' },
      { kind: 'content', t: 10, sdkChunk: 1, contentChunk: 2, text: 'y' },
    ]);
    expect(
      read([{ ...text('z'), sequence_number: 3 }], eventReader(fresh().context, 6, 'resp_1'))[0],
    ).toMatchObject({
      kind: 'sequence',
      expected: 7,
      got: 3,
    });
  });

  it('has no resume point before it knows both the id and a sequence number', () => {
    const reader = fresh();
    read([created()], reader);
    expect(resumePoint(reader)).toBeUndefined();
    const other = fresh();
    read([{ ...text('a'), sequence_number: 0 }], other);
    expect(resumePoint(other)).toBeUndefined();
  });

  it('skips unknown types and fields of unexpected shapes without throwing', () => {
    const odd: unknown[] = [
      null,
      42,
      'text',
      [],
      { type: 'response.future_thing', sequence_number: 'x' },
      { type: 7 },
      text(5),
      text(null, { logprobs: 'bad' }),
      { type: 'response.output_item.added', item: null },
      { type: 'response.output_item.added', item: { type: 'function_call', name: 3, call_id: {} } },
      { type: 'response.completed', response: 'done' },
      { type: 'response.completed', response: { status: 'completed', usage: { output_tokens: 'many' } } },
      { type: 'response.failed' },
      { type: 'error' },
      { ...text('ok'), sequence_number: 1.5 },
    ];
    const events = read(odd);
    expect(events.map((e) => e.kind)).toEqual(['tool_call', 'finish', 'error', 'error', 'content']);
    expect(events[0]).toEqual({
      kind: 'tool_call',
      t: 90,
      sdkChunk: 9,
      index: 0,
      type: 'function',
      args: '',
    });
  });
});

describe('usage and finish', () => {
  it('maps Responses usage onto Chat Completions’ names, details only where they are numbers', () => {
    expect(toResponseUsage({ input_tokens: 3, output_tokens: 4, total_tokens: 7 })).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
    });
    expect(toResponseUsage(null)).toBeNull();
    expect(toResponseUsage({ input_tokens: 3 })).toBeNull();
  });

  it('has no finish reason while a response runs', () => {
    expect(finishReason({ status: 'in_progress' }, false)).toBeNull();
    expect(finishReason({ status: 'incomplete' }, false)).toBe('incomplete');
  });
});
