/**
 * The simulator speaking the Responses API, read through the real SDK (`client.responses.create`
 * / `retrieve` / `cancel`): the event lifecycle and its sequence numbers, the same answers as Chat
 * Completions, reasoning summaries only when asked for, function calls, structured output, the
 * token limit, faults, and background responses that outlive their connection and resume.
 * Packing, batching and jitter are 0 wherever counts matter.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { answerFor } from '../../src/lib/engine/simulator/answers';
import { createSimulator, type SimTiming } from '../../src/lib/engine/simulator/simulator';
import { loadTokenizer } from '../../src/lib/engine/tokenizer';

const EXACT: SimTiming = { ttftMs: 1, tokenMs: 0, jitter: 0, packing: 0, batching: 0 };
const PROMPT = 'Tell me the benefits of learning programming';
const POEM = 'Write a short poem about coding.';
const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

function clientFor(timing: SimTiming = EXACT, fault: () => 'error' | null = () => null) {
  return new OpenAI({
    baseURL: SIMULATOR_BASE_URL,
    apiKey: 'x',
    maxRetries: 0,
    fetch: createSimulator({ timing: () => timing, fault }),
  });
}
const client = clientFor();

type Params = Omit<OpenAI.Responses.ResponseCreateParamsStreaming, 'stream'>;

async function events(params: Params, c = client): Promise<ResponseStreamEvent[]> {
  const out: ResponseStreamEvent[] = [];
  for await (const event of await c.responses.create({ ...params, stream: true })) out.push(event);
  return out;
}

const types = (list: ResponseStreamEvent[]) => list.map((e) => e.type);
const deltas = (list: ResponseStreamEvent[], type: ResponseStreamEvent['type']) =>
  list.flatMap((e) => (e.type === type && 'delta' in e && typeof e.delta === 'string' ? [e.delta] : []));
const textOf = (list: ResponseStreamEvent[]) => deltas(list, 'response.output_text.delta').join('');
function last<T extends ResponseStreamEvent['type']>(list: ResponseStreamEvent[], type: T) {
  return list.filter((e): e is Extract<ResponseStreamEvent, { type: T }> => e.type === type).at(-1);
}

/** The chat answer to the same messages, to compare with. */
async function chat(params: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>) {
  return client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: PROMPT }],
    ...params,
  });
}

describe('simulator /responses: a text answer', () => {
  it('goes through the event lifecycle with sequence numbers counting from 0', async () => {
    const list = await events({ model: 'gpt-4o-mini', input: PROMPT });
    const kinds = types(list);
    expect(kinds.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(kinds.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(new Set(kinds.slice(4, -4))).toEqual(new Set(['response.output_text.delta']));
    expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));

    const created = list[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(created.response.id).toMatch(/^resp_/);
    expect(created.response.status).toBe('in_progress');
    expect(created.response.background).toBe(false);
    const added = list[2] as OpenAI.Responses.ResponseOutputItemAddedEvent;
    expect(added.item).toMatchObject({
      type: 'message',
      status: 'in_progress',
      role: 'assistant',
      content: [],
    });
    expect(added.item.id).toMatch(/^msg_/);
  });

  it('streams the same answer Chat Completions gives, one token a delta, usage in response.completed', async () => {
    const tokenizer = await loadTokenizer();
    const list = await events({ model: 'gpt-4o-mini', input: PROMPT });
    const text = textOf(list);
    expect(text).toBe(answerFor(PROMPT));
    expect(last(list, 'response.output_text.done')?.text).toBe(text);
    const completed = last(list, 'response.completed')!.response;
    expect(completed.status).toBe('completed');
    expect(completed.output).toMatchObject([
      { type: 'message', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] },
    ]);
    const usage = completed.usage!;
    expect(usage.output_tokens).toBe(tokenizer.count(text));
    expect(deltas(list, 'response.output_text.delta')).toHaveLength(usage.output_tokens);
    const reference = await chat({});
    expect(usage.input_tokens).toBe(reference.usage!.prompt_tokens);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.output_tokens_details.reasoning_tokens).toBe(0);
    expect(usage.input_tokens_details.cached_tokens).toBe(0);
  });

  it('reads instructions and message items with input_text parts as the chat messages they are', async () => {
    const conversation = [
      { role: 'user' as const, content: 'What is a function in programming?' },
      { role: 'assistant' as const, content: answerFor('What is a function in programming?') },
      { role: 'user' as const, content: 'Why?' },
    ];
    const reference = await chat({ messages: [{ role: 'system', content: 'Be brief.' }, ...conversation] });
    const list = await events({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      input: conversation.map((m) =>
        m.role === 'user'
          ? { role: m.role, content: [{ type: 'input_text' as const, text: m.content }] }
          : { role: m.role, content: m.content },
      ),
    });
    expect(textOf(list)).toBe(reference.choices[0]!.message.content);
    expect(last(list, 'response.completed')!.response.usage!.input_tokens).toBe(
      reference.usage!.prompt_tokens,
    );
  });

  it('sends typed SSE frames: an event line naming the data type, and no [DONE]', async () => {
    const response = await createSimulator({ timing: () => EXACT })(`${SIMULATOR_BASE_URL}/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', input: 'The capital of France is', stream: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const reads: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads.push(decoder.decode(value));
    }
    // Batching 0: one frame a read.
    for (const read of reads) {
      const match = /^event: (\S+)\ndata: (.*)\n\n$/.exec(read);
      expect(match, read).not.toBeNull();
      expect((JSON.parse(match![2]!) as { type: string }).type).toBe(match![1]);
    }
    expect(reads.join('')).not.toContain('[DONE]');
  });

  it('answers stream: false with the Response object the stream builds', async () => {
    const done = await client.responses.create({ model: 'gpt-4o-mini', input: PROMPT });
    expect(done.object).toBe('response');
    expect(done.status).toBe('completed');
    expect(done.output_text).toBe(answerFor(PROMPT));
    expect(done.usage?.output_tokens).toBeGreaterThan(0);
    const fetched = await client.responses.retrieve(done.id);
    expect(fetched.output_text).toBe(done.output_text);
  });

  it('sends logprobs in each delta when include asks for them', async () => {
    const list = await events({
      model: 'gpt-4o-mini',
      input: PROMPT,
      include: ['message.output_text.logprobs'],
      top_logprobs: 3,
    });
    const textDeltas = list.filter(
      (e): e is OpenAI.Responses.ResponseTextDeltaEvent => e.type === 'response.output_text.delta',
    );
    for (const d of textDeltas) {
      expect(d.logprobs.map((l) => l.token).join('')).toBe(d.delta);
      for (const l of d.logprobs) expect(l.top_logprobs).toHaveLength(3);
    }
    const plain = await events({ model: 'gpt-4o-mini', input: PROMPT });
    for (const d of plain) if (d.type === 'response.output_text.delta') expect(d.logprobs).toEqual([]);
  });
});

describe('simulator /responses: sim-thinking', () => {
  it('streams its reasoning as a summary before the answer when reasoning.summary is set', async () => {
    const reference = await client.chat.completions.create({
      model: 'sim-thinking',
      messages: [{ role: 'user', content: POEM }],
    });
    const list = await events({ model: 'sim-thinking', input: POEM, reasoning: { summary: 'auto' } });
    const summary = deltas(list, 'response.reasoning_summary_text.delta').join('');
    const message = reference.choices[0]!.message as unknown as {
      content: string;
      reasoning_content: string;
    };
    expect(summary).toBe(message.reasoning_content);
    expect(textOf(list)).toBe(message.content);
    const kinds = types(list);
    expect(kinds.indexOf('response.reasoning_summary_text.done')).toBeLessThan(
      kinds.indexOf('response.output_text.delta'),
    );
    const items = list.filter(
      (e): e is OpenAI.Responses.ResponseOutputItemAddedEvent => e.type === 'response.output_item.added',
    );
    expect(items.map((e) => [e.item.type, e.output_index])).toEqual([
      ['reasoning', 0],
      ['message', 1],
    ]);
    expect(items[0]!.item.id).toMatch(/^rs_/);
    expect(kinds).toContain('response.reasoning_summary_part.added');
    expect(last(list, 'response.reasoning_summary_text.done')?.text).toBe(summary);
    const usage = last(list, 'response.completed')!.response.usage!;
    expect(usage.output_tokens_details.reasoning_tokens).toBe(
      reference.usage!.completion_tokens_details!.reasoning_tokens,
    );
    expect(usage.output_tokens).toBe(reference.usage!.completion_tokens);
  });

  it('without reasoning.summary streams none of its reasoning but still counts it', async () => {
    const shown = await events({ model: 'sim-thinking', input: POEM, reasoning: { summary: 'detailed' } });
    const hidden = await events({ model: 'sim-thinking', input: POEM });
    expect(types(hidden).filter((t) => t.startsWith('response.reasoning_summary'))).toEqual([]);
    const reasoningItems = hidden.filter(
      (e): e is OpenAI.Responses.ResponseOutputItemDoneEvent =>
        e.type === 'response.output_item.done' && e.item.type === 'reasoning',
    );
    expect(reasoningItems).toHaveLength(1);
    expect(reasoningItems[0]!.item).toMatchObject({ type: 'reasoning', summary: [] });
    expect(textOf(hidden)).toBe(textOf(shown));
    const hiddenUsage = last(hidden, 'response.completed')!.response.usage!;
    const shownUsage = last(shown, 'response.completed')!.response.usage!;
    expect(hiddenUsage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(hiddenUsage).toEqual(shownUsage);
  });

  it('thinks as long as reasoning.effort asks', async () => {
    const reasoningTokens = async (effort: 'low' | 'high') =>
      last(await events({ model: 'sim-thinking', input: POEM, reasoning: { effort } }), 'response.completed')!
        .response.usage!.output_tokens_details.reasoning_tokens;
    expect(await reasoningTokens('low')).toBeLessThan(await reasoningTokens('high'));
  });

  it("refuses a temperature other than 1 with OpenAI's 400, and takes max_output_tokens", async () => {
    const error = await client.responses
      .create({ model: 'sim-thinking', input: POEM, temperature: 0.7, stream: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      param: 'temperature',
      code: 'unsupported_value',
    });
    const limited = await events({ model: 'sim-thinking', input: POEM, max_output_tokens: 500 });
    expect(last(limited, 'response.completed')?.response.status).toBe('completed');
  });
});

describe('simulator /responses: function calls and structured output', () => {
  it('streams each call as a function_call item with its arguments in deltas', async () => {
    const list = await events({
      model: 'gpt-4o-mini',
      input: 'What is the weather in Paris and Tokyo?',
      tools: [WEATHER],
    });
    const added = list.filter(
      (e): e is OpenAI.Responses.ResponseOutputItemAddedEvent => e.type === 'response.output_item.added',
    );
    expect(added.map((e) => e.output_index)).toEqual([0, 1]);
    for (const [i, e] of added.entries()) {
      const item = e.item as OpenAI.Responses.ResponseFunctionToolCall;
      expect(item).toMatchObject({
        type: 'function_call',
        name: 'get_weather',
        arguments: '',
        status: 'in_progress',
      });
      expect(item.id).toMatch(/^fc_/);
      expect(item.call_id).toMatch(/^call_/);
      const args = list
        .filter(
          (d): d is OpenAI.Responses.ResponseFunctionCallArgumentsDeltaEvent =>
            d.type === 'response.function_call_arguments.delta' && d.item_id === item.id,
        )
        .map((d) => d.delta)
        .join('');
      expect(JSON.parse(args)).toEqual({ city: ['Paris', 'Tokyo'][i] });
      const done = list.find(
        (d): d is OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent =>
          d.type === 'response.function_call_arguments.done' && d.item_id === item.id,
      );
      expect(done?.arguments).toBe(args);
    }
    const completed = last(list, 'response.completed')!.response;
    expect(completed.output.map((o) => o.type)).toEqual(['function_call', 'function_call']);
    expect(completed.output.every((o) => o.type === 'function_call' && o.status === 'completed')).toBe(true);
    expect(types(list)).not.toContain('response.output_text.delta');
  });

  it("answers in text when tool_choice is 'none', and calls only the named function", async () => {
    const none = await events({
      model: 'gpt-4o-mini',
      input: 'Weather in Paris?',
      tools: [WEATHER],
      tool_choice: 'none',
    });
    expect(textOf(none).length).toBeGreaterThan(0);
    expect(types(none)).not.toContain('response.function_call_arguments.delta');
    const other = { ...WEATHER, name: 'get_time', description: 'Current time in a city' };
    const named = await events({
      model: 'gpt-4o-mini',
      input: 'Weather in Paris?',
      tools: [WEATHER, other],
      tool_choice: { type: 'function', name: 'get_time' },
    });
    const calls = last(named, 'response.completed')!.response.output;
    expect(calls.map((c) => (c.type === 'function_call' ? c.name : c.type))).toEqual(['get_time']);
  });

  it('writes JSON matching text.format json_schema', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, population: { type: 'integer' } },
      required: ['city', 'population'],
      additionalProperties: false,
    };
    const list = await events({
      model: 'gpt-4o-mini',
      input: 'Tell me about Paris',
      text: { format: { type: 'json_schema', name: 'city', schema, strict: true } },
    });
    const value = JSON.parse(textOf(list)) as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['city', 'population']);
    expect(value.city).toBe('Paris');
    expect(Number.isInteger(value.population)).toBe(true);
  });
});

describe('simulator /responses: how a response ends early', () => {
  it('ends with response.incomplete (reason max_output_tokens) when the limit cuts it', async () => {
    const list = await events({ model: 'gpt-4o-mini', input: PROMPT, max_output_tokens: 5 });
    const end = list.at(-1)!;
    expect(end.type).toBe('response.incomplete');
    const response = (end as OpenAI.Responses.ResponseIncompleteEvent).response;
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage?.output_tokens).toBe(5);
    expect(deltas(list, 'response.output_text.delta')).toHaveLength(5);
    expect(answerFor(PROMPT).startsWith(textOf(list))).toBe(true);
    expect(last(list, 'response.output_item.done')?.item).toMatchObject({
      type: 'message',
      status: 'incomplete',
    });
    expect(types(list)).not.toContain('response.completed');
  });

  it('sends an error event then response.failed half-way when the fault says so', async () => {
    const list = await events(
      { model: 'gpt-4o-mini', input: PROMPT },
      clientFor(EXACT, () => 'error'),
    );
    expect(types(list).slice(-2)).toEqual(['error', 'response.failed']);
    const error = list.at(-2) as OpenAI.Responses.ResponseErrorEvent;
    expect(error.code).toBe('server_error');
    expect(error.message.length).toBeGreaterThan(0);
    const failed = (list.at(-1) as OpenAI.Responses.ResponseFailedEvent).response;
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('server_error');
    const text = textOf(list);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(answerFor(PROMPT).length);
    expect(answerFor(PROMPT).startsWith(text)).toBe(true);
    expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));
  });

  it('fails a chat completions stream half-way with an error frame, which the SDK throws', async () => {
    const stream = await clientFor(EXACT, () => 'error').chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
    });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('server_error');
    expect(text.length).toBeGreaterThan(0);
    expect(answerFor(PROMPT).startsWith(text) && text !== answerFor(PROMPT)).toBe(true);
  });

  it('answers a non-streamed request the fault picks with a 500, on both APIs', async () => {
    const c = clientFor(EXACT, () => 'error');
    const responses = await c.responses
      .create({ model: 'gpt-4o-mini', input: PROMPT })
      .catch((e: unknown) => e);
    const chatError = await c.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] })
      .catch((e: unknown) => e);
    for (const error of [responses, chatError]) {
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('server_error');
    }
  });

  it('reads the fault once per request: only the requests it picks fail', async () => {
    const picks = ['error', null] as const;
    let n = 0;
    const c = clientFor(EXACT, () => picks[n++ % 2]!);
    expect(types(await events({ model: 'gpt-4o-mini', input: PROMPT }, c)).at(-1)).toBe('response.failed');
    expect(types(await events({ model: 'gpt-4o-mini', input: PROMPT }, c)).at(-1)).toBe('response.completed');
    expect(n).toBe(2);
  });
});

/** Slow enough that a response is still being generated when its reader goes away. */
const LIVE: SimTiming = { ttftMs: 1, tokenMs: 4, jitter: 0, packing: 0, batching: 0 };

/** Reads a stream until `enough` says stop (the SDK then aborts the request), or to its end. */
async function readUntil(
  stream: AsyncIterable<ResponseStreamEvent>,
  enough: (seen: ResponseStreamEvent[]) => boolean = () => false,
) {
  const seen: ResponseStreamEvent[] = [];
  for await (const event of stream) {
    seen.push(event);
    if (enough(seen)) break;
  }
  return seen;
}
const afterDeltas = (n: number) => (seen: ResponseStreamEvent[]) =>
  deltas(seen, 'response.output_text.delta').length >= n;
const idOf = (list: ResponseStreamEvent[]) => (list[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;

describe('simulator /responses: background responses', () => {
  it('starts queued, says so, then goes in progress', async () => {
    const list = await events({ model: 'gpt-4o-mini', input: PROMPT, background: true });
    expect(types(list).slice(0, 3)).toEqual(['response.created', 'response.queued', 'response.in_progress']);
    const created = (list[0] as OpenAI.Responses.ResponseCreatedEvent).response;
    expect(created).toMatchObject({ status: 'queued', background: true });
    expect(textOf(list)).toBe(answerFor(PROMPT));
    expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));
  });

  it('goes on after its connection is cut, and a resume from the last sequence number finishes it', async () => {
    const c = clientFor(LIVE);
    const uncut = textOf(await events({ model: 'gpt-4o-mini', input: PROMPT }));
    const stream = await c.responses.create({
      model: 'gpt-4o-mini',
      input: PROMPT,
      background: true,
      stream: true,
    });
    const first = await readUntil(stream, afterDeltas(5));
    const after = first.at(-1)!.sequence_number;
    const resumed = await readUntil(
      await c.responses.retrieve(idOf(first), { stream: true, starting_after: after }),
    );
    expect(resumed.map((e) => e.sequence_number)).toEqual(resumed.map((_, i) => after + 1 + i));
    expect(resumed.at(-1)!.type).toBe('response.completed');
    expect(textOf(first) + textOf(resumed)).toBe(uncut);
    expect((await c.responses.retrieve(idOf(first))).status).toBe('completed');
  });

  it('replays every event from 0 when no starting_after is given', async () => {
    const whole = await events({ model: 'gpt-4o-mini', input: PROMPT, background: true });
    const replay = await readUntil(await client.responses.retrieve(idOf(whole), { stream: true }));
    expect(replay).toEqual(whole);
  });

  it('runs stream: false in the background: returns it queued, to be read by id', async () => {
    const queued = await client.responses.create({ model: 'gpt-4o-mini', input: PROMPT, background: true });
    expect(queued.status).toBe('queued');
    const list = await readUntil(await client.responses.retrieve(queued.id, { stream: true }));
    expect(textOf(list)).toBe(answerFor(PROMPT));
    const done = await client.responses.retrieve(queued.id);
    expect(done.status).toBe('completed');
    expect(done.output_text).toBe(answerFor(PROMPT));
  });

  it('stops a background response on cancel: its stream ends there and it says cancelled', async () => {
    const c = clientFor(LIVE);
    const stream = await c.responses.create({
      model: 'gpt-4o-mini',
      input: PROMPT,
      background: true,
      stream: true,
    });
    const seen: ResponseStreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (deltas(seen, 'response.output_text.delta').length === 3) {
        expect((await c.responses.cancel(idOf(seen))).status).toBe('cancelled');
      }
    }
    expect(types(seen)).not.toContain('response.completed');
    expect(textOf(seen).length).toBeLessThan(answerFor(PROMPT).length);
    expect((await c.responses.retrieve(idOf(seen))).status).toBe('cancelled');
  });

  it('stops a plain (not background) response when its connection is cut, and will not resume it', async () => {
    const c = clientFor(LIVE);
    const stream = await c.responses.create({ model: 'gpt-4o-mini', input: PROMPT, stream: true });
    const first = await readUntil(stream, afterDeltas(5));
    const stopped = await c.responses.retrieve(idOf(first));
    expect(stopped.status).toBe('cancelled');
    expect(stopped.output_text).toBe(textOf(first));
    const error = await c.responses
      .retrieve(idOf(first), { stream: true, starting_after: first.at(-1)!.sequence_number })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('stream');
    const cancel = await c.responses.cancel(idOf(first)).catch((e: unknown) => e);
    expect(cancel).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('stops a plain response whose body is cancelled, as when its reader goes away', async () => {
    const response = await createSimulator({ timing: () => LIVE })(`${SIMULATOR_BASE_URL}/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', input: PROMPT, stream: true }),
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const id = (JSON.parse(first.split('data: ')[1]!) as { response: { id: string } }).response.id;
    await reader.read();
    await reader.cancel();
    expect((await client.responses.retrieve(id)).status).toBe('cancelled');
  });

  it('answers an unknown id with a 404, as OpenAI does', async () => {
    for (const ask of [
      () => client.responses.retrieve('resp_nope', { stream: true, starting_after: 3 }),
      () => client.responses.retrieve('resp_nope'),
      () => client.responses.cancel('resp_nope'),
    ]) {
      const error = await ask().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toContain("'resp_nope' not found");
    }
  });
});
