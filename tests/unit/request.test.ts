/**
 * One place decides what a request sends: the body the real SDK puts on the wire, the params the
 * Python and TypeScript snippets print, and the request a run file records all come from it.
 */
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../src/lib/engine/dialect';
import { chatRequest, requestParams, requestRecord, responseParams } from '../../src/lib/engine/request';
import { pythonSnippet, typescriptSnippet, type SnippetProgram } from '../../src/lib/engine/snippets';
import { completeChat, streamChat } from '../../src/lib/engine/stream-chat';
import { completeResponse, streamResponse } from '../../src/lib/engine/stream-response';
import type { ChatRequest, Connection } from '../../src/lib/engine/types';

const CHUNK = {
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }],
};
const COMPLETION = {
  id: 'c',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
};

/** A fetch that keeps every request body and answers with one chunk (or one completion). */
function capturing(): { connection: Connection; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as { stream?: boolean };
    bodies.push(body);
    return body.stream
      ? new Response(`data: ${JSON.stringify(CHUNK)}\n\ndata: [DONE]\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        })
      : new Response(JSON.stringify(COMPLETION), { headers: { 'content-type': 'application/json' } });
  };
  return {
    bodies,
    connection: { baseURL: 'http://localhost:9/v1', apiKey: 'k', fetch, maxRetries: 0, stallMs: 30_000 },
  };
}

const RESPONSE = { id: 'resp_1', object: 'response', status: 'completed', output: [], usage: null };

/** A fetch that keeps every request body and answers as POST /responses would. */
function capturingResponses(): { connection: Connection; bodies: unknown[] } {
  const { connection, bodies } = capturing();
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as { stream?: boolean };
    bodies.push(body);
    const completed = { type: 'response.completed', sequence_number: 0, response: RESPONSE };
    return body.stream
      ? new Response(`event: response.completed\ndata: ${JSON.stringify(completed)}\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        })
      : new Response(JSON.stringify(RESPONSE), { headers: { 'content-type': 'application/json' } });
  };
  return { bodies, connection: { ...connection, fetch, api: 'responses' } };
}

async function sent(
  request: ChatRequest,
  stream: boolean,
  api: 'chat' | 'responses' = 'chat',
): Promise<unknown> {
  const { connection, bodies } = api === 'chat' ? capturing() : capturingResponses();
  if (api === 'responses') {
    if (stream) for await (const _ of streamResponse(request, { connection }));
    else await completeResponse(request, { connection });
  } else if (stream) for await (const _ of streamChat(request, { connection }));
  else await completeChat(request, { connection });
  expect(bodies).toHaveLength(1);
  return bodies[0];
}

/** The object literal passed to `create(` in the TypeScript snippet. */
function tsParams(code: string, nth = 0): unknown {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = code.indexOf('.create(', start + 1);
  start += '.create('.length;
  // The chat class sends its own history: `this.messages` reads back as null.
  return JSON.parse(code.slice(start, code.indexOf(');', start)).replace('this.messages', 'null'));
}

/** The keyword arguments of `create(` in the Python snippet, read back as JSON. */
function pyParams(code: string, nth = 0): unknown {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = code.indexOf('.create(\n', start + 1);
  start += '.create(\n'.length;
  const args = code
    .slice(start, start + code.slice(start).search(/\n\s*\)/))
    .replace('messages=self.messages', 'messages=None');
  // Rewrite only outside string literals: key= → "key":, True/False/None, trailing commas.
  const json = args
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/^(\s*)([a-z_]+)=/gm, '$1"$2": ')
            .replace(/\bTrue\b/g, 'true')
            .replace(/\bFalse\b/g, 'false')
            .replace(/\bNone\b/g, 'null')
            .replace(/,(\s*[\]}])/g, '$1'),
    )
    .join('')
    .replace(/,\s*$/, '');
  return JSON.parse(`{${json}}`);
}

const form = (maxTokens: number | null, temperature: number | null) => ({
  maxTokens,
  temperature,
  reasoningEffort: 'low' as const,
});
const hi = [{ role: 'user' as const, content: 'hi' }];
const custom = dialectFor('custom', 'm');

const REQUESTS: [string, ChatRequest][] = [
  ['model and messages only', { model: 'm', messages: hi }],
  ['a form left at the API defaults', chatRequest('m', hi, form(null, null), custom)],
  ['max tokens and temperature 0 from the form', chatRequest('m', hi, form(200, 0), custom)],
  [
    'an OpenAI reasoning model: max_completion_tokens and reasoning_effort, no temperature',
    chatRequest('o4-mini', hi, form(200, 0.7), dialectFor('openai', 'o4-mini')),
  ],
  [
    'a classic model on the simulator: max_completion_tokens and temperature',
    chatRequest('gpt-4o', hi, form(200, 0.7), dialectFor('simulator', 'gpt-4o')),
  ],
  [
    'a conversation with a system prompt and quotes, newlines, unicode',
    {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be "brief".\nReally.' },
        { role: 'user', content: 'Ünïcode ✓ and a \\ backslash' },
        { role: 'assistant', content: 'True False None = ,]' },
        { role: 'user', content: 'again' },
      ],
      max_tokens: 300,
    },
  ],
  ['a server-side stop with usage', { model: 'm', messages: hi, stop: ['10'], include_usage: true }],
  ['several stop sequences', { model: 'm', messages: hi, stop: ['a', 'b c'] }],
  ['an empty stop list', { model: 'm', messages: hi, stop: [] }],
  ['logprobs with alternatives', { model: 'm', messages: hi, logprobs: true, top_logprobs: 5 }],
  ['logprobs without alternatives', { model: 'm', messages: hi, logprobs: true }],
  ['top_logprobs without logprobs', { model: 'm', messages: hi, top_logprobs: 3 }],
  [
    'usage and obfuscation',
    { model: 'm', messages: hi, include_usage: true, include_obfuscation: false, temperature: 1.5 },
  ],
  ['a seed with a temperature', { model: 'm', messages: hi, temperature: 1.4, seed: 42 }],
  ['a seed of 0', { model: 'm', messages: hi, seed: 0 }],
  ['obfuscation alone', { model: 'm', messages: hi, include_obfuscation: true }],
  [
    'messages with extra fields',
    { model: 'm', messages: [{ role: 'user', content: 'x', status: 'done' } as ChatRequest['messages'][0]] },
  ],
];

describe('the request builder', () => {
  describe.each([true, false])('with stream: %s', (stream) => {
    it.each(REQUESTS)(
      'the SDK sends what the builder built, and both snippets print it: %s',
      async (_, r) => {
        const body = await sent(r, stream);
        expect(body).toEqual(requestParams(r, stream));
        const options = { baseURL: 'http://localhost:9/v1', stream };
        expect(tsParams(typescriptSnippet(r, options))).toEqual(body);
        expect(pyParams(pythonSnippet(r, options))).toEqual(body);
      },
    );
  });

  const PROGRAMS: SnippetProgram[] = [
    { kind: 'markdown' },
    { kind: 'word-detection', watchWords: ['a', 'b'] },
    { kind: 'early-stop', stopPhrase: 'x' },
    { kind: 'token-stats' },
  ];
  it.each(REQUESTS)('every lab’s program prints the params the builder built: %s', (_, r) => {
    const streamed = requestParams(r, true);
    const options = { baseURL: 'http://localhost:9/v1', stream: true };
    for (const program of PROGRAMS) {
      expect(tsParams(typescriptSnippet(r, { ...options, program }))).toEqual(streamed);
      expect(pyParams(pythonSnippet(r, { ...options, program }))).toEqual(streamed);
    }
    // Streaming vs non-streaming: the whole answer first, then the same request streamed.
    const compare = { ...options, program: { kind: 'compare' } as const };
    expect(tsParams(typescriptSnippet(r, compare), 0)).toEqual(requestParams(r, false));
    expect(pyParams(pythonSnippet(r, compare), 0)).toEqual(requestParams(r, false));
    expect(tsParams(typescriptSnippet(r, compare), 1)).toEqual(streamed);
    expect(pyParams(pythonSnippet(r, compare), 1)).toEqual(streamed);
    // Chat: the class sends its history in place of the messages; every other field as built.
    const chat = { ...options, program: { kind: 'chat' } as const };
    expect(tsParams(typescriptSnippet(r, chat))).toEqual({ ...streamed, messages: null });
    expect(pyParams(pythonSnippet(r, chat))).toEqual({ ...streamed, messages: null });
  });

  it('sends stream_options only on streamed requests', () => {
    const r: ChatRequest = { model: 'm', messages: hi, include_usage: true };
    expect(requestParams(r, true)).toHaveProperty('stream_options', { include_usage: true });
    expect(requestParams(r, false)).not.toHaveProperty('stream_options');
  });

  it('leaves empty form fields to the API', () => {
    const r = chatRequest('m', hi, { maxTokens: null, temperature: null, reasoningEffort: null }, custom);
    expect(Object.keys(requestParams(r, true))).toEqual(['model', 'messages', 'stream']);
  });

  it('records the seed it sent, so a saved run can be repeated', () => {
    const r: ChatRequest = { model: 'm', messages: hi, temperature: 0, seed: 0 };
    expect(requestParams(r, true)).toHaveProperty('seed', 0);
    expect(requestRecord(r, true, 'http://localhost:9/v1')).toMatchObject({ temperature: 0, seed: 0 });
  });

  it('records what was sent, with the usage flag, and never more', () => {
    const r: ChatRequest = {
      model: 'm',
      messages: hi,
      max_tokens: 5,
      stop: ['x'],
      logprobs: true,
      top_logprobs: 2,
      include_usage: true,
      include_obfuscation: true,
    };
    expect(requestRecord(r, true, 'https://user:pw@example.com/v1')).toEqual({
      model: 'm',
      baseURL: 'https://example.com/v1',
      stream: true,
      max_tokens: 5,
      stop: ['x'],
      logprobs: true,
      top_logprobs: 2,
      include_usage: true,
      messages: hi,
    });
  });
});

describe('the Responses request builder', () => {
  describe.each([true, false])('with stream: %s', (stream) => {
    it.each(REQUESTS)('the SDK sends to /responses what responseParams built: %s', async (_, r) => {
      expect(await sent(r, stream, 'responses')).toEqual(responseParams(r, stream));
    });
  });

  it('builds every field it sends, field by field', () => {
    const r: ChatRequest = {
      model: 'o4-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: 'Where?' },
        { role: 'user', content: 'Paris' },
      ],
      max_completion_tokens: 300,
      max_tokens: 10,
      reasoning_effort: 'low',
      temperature: 0.5,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object' } },
        },
        { type: 'function', function: { name: 'noop', parameters: {} } },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
      logprobs: true,
      top_logprobs: 3,
      background: true,
      seed: 7,
      stop: ['x'],
      include_usage: true,
      include_obfuscation: false,
    };
    expect(responseParams(r, true)).toEqual({
      model: 'o4-mini',
      // The system message stays a message, so both APIs see the same conversation.
      input: r.messages,
      max_output_tokens: 300,
      temperature: 0.5,
      reasoning: { effort: 'low', summary: 'auto' },
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Weather now',
          parameters: { type: 'object' },
          strict: false,
        },
        { type: 'function', name: 'noop', parameters: {}, strict: false },
      ],
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      include: ['message.output_text.logprobs'],
      top_logprobs: 3,
      background: true,
      stream: true,
    });
    // Copies, never the request's own objects.
    const built = responseParams(r, true);
    expect(built.input).not.toBe(r.messages);
    expect(built.tools?.[0]).not.toHaveProperty('function');
  });

  it('asks reasoning models for a reasoning summary, and no other model', () => {
    expect(responseParams({ model: 'gpt-5-mini', messages: hi }, true)).toHaveProperty('reasoning', {
      summary: 'auto',
    });
    expect(
      responseParams({ model: 'gpt-4o', messages: hi, reasoning_effort: 'high' }, true),
    ).not.toHaveProperty('reasoning');
  });

  it('takes the token limit from max_tokens when max_completion_tokens is not set', () => {
    expect(responseParams({ model: 'm', messages: hi, max_tokens: 0 }, false)).toHaveProperty(
      'max_output_tokens',
      0,
    );
  });

  it('never sends what the Responses API has no place for, nor unset fields', () => {
    const r: ChatRequest = {
      model: 'm',
      messages: hi,
      stop: ['x'],
      seed: 1,
      include_usage: true,
      include_obfuscation: true,
      top_logprobs: 4,
      background: false,
    };
    expect(responseParams(r, true)).toEqual({ model: 'm', input: hi, stream: true });
  });

  it('records api responses and only what it sent', () => {
    const r: ChatRequest = {
      model: 'm',
      messages: hi,
      max_completion_tokens: 5,
      stop: ['x'],
      seed: 3,
      logprobs: true,
      top_logprobs: 2,
      include_usage: true,
      background: true,
    };
    expect(requestRecord(r, true, 'https://user:pw@example.com/v1', 'responses')).toEqual({
      model: 'm',
      baseURL: 'https://example.com/v1',
      stream: true,
      api: 'responses',
      max_completion_tokens: 5,
      logprobs: true,
      top_logprobs: 2,
      background: true,
      messages: hi,
    });
    // A chat record stays as it was: no api field, no background.
    expect(requestRecord(r, true, 'https://example.com/v1')).not.toHaveProperty('api');
    expect(requestRecord(r, true, 'https://example.com/v1', 'chat')).not.toHaveProperty('background');
  });
});
