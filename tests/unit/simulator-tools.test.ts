/**
 * Tool calls and structured output from the simulator, read through the real SDK: the streamed
 * pieces must join to JSON that satisfies the schema, parallel calls must come one after another, each piece naming its call by index, and
 * a token limit must cut arguments mid-way, as on a real provider.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { loadTokenizer } from '../../src/lib/engine/tokenizer';
import type { JsonSchemaFormat, ToolDefinition } from '../../src/lib/engine/types';

const client = new OpenAI({
  baseURL: SIMULATOR_BASE_URL,
  apiKey: 'x',
  maxRetries: 0,
  fetch: createSimulator({ timing: () => ({ ttftMs: 1, tokenMs: 0, jitter: 0 }) }),
});

type Schema = Record<string, unknown>;

/** Why `value` does not satisfy `schema` (the subset the tools here use), or [] when it does. */
function violations(value: unknown, schema: Schema, path = '$'): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.includes(value) ? [] : [`${path}: not in enum`];
  const type = schema.type;
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${path}: not an object`];
    const record = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const missing = ((schema.required ?? []) as string[])
      .filter((k) => !(k in record))
      .map((k) => `${path}.${k}: missing`);
    const extra =
      schema.additionalProperties === false
        ? Object.keys(record)
            .filter((k) => !(k in props))
            .map((k) => `${path}.${k}: not allowed`)
        : [];
    const inner = Object.entries(props).flatMap(([k, s]) =>
      k in record ? violations(record[k], s, `${path}.${k}`) : [],
    );
    return [...missing, ...extra, ...inner];
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    const bounds =
      (typeof schema.minItems === 'number' && value.length < schema.minItems) ||
      (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
        ? [`${path}: ${value.length} items`]
        : [];
    return [...bounds, ...value.flatMap((v, i) => violations(v, schema.items as Schema, `${path}[${i}]`))];
  }
  if (type === 'integer') return Number.isInteger(value) ? [] : [`${path}: not an integer`];
  if (type === 'number') {
    if (typeof value !== 'number') return [`${path}: not a number`];
    const low = typeof schema.minimum === 'number' && value < schema.minimum;
    const high = typeof schema.maximum === 'number' && value > schema.maximum;
    return low || high ? [`${path}: out of range`] : [];
  }
  if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
  if (type === 'string') return typeof value === 'string' ? [] : [`${path}: not a string`];
  return [];
}

const WEATHER: ToolDefinition = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

const FLIGHTS: ToolDefinition = {
  type: 'function',
  function: {
    name: 'search_flights',
    description: 'Search flights between two airports.',
    parameters: {
      type: 'object',
      properties: {
        origin: { type: 'string' },
        destination: { type: 'string' },
        passengers: { type: 'integer', minimum: 1, maximum: 9 },
        cabin: { type: 'string', enum: ['economy', 'business', 'first'] },
        flexible: { type: 'boolean' },
        max_price: { type: 'number' },
        stops: { type: 'array', items: { type: 'string' }, maxItems: 2 },
        traveller: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'integer' } },
          required: ['name'],
        },
      },
      required: ['origin', 'destination', 'passengers', 'cabin', 'traveller'],
    },
  },
};

const TIME: ToolDefinition = {
  type: 'function',
  function: {
    name: 'get_local_time',
    description: 'The local time in an IANA timezone.',
    parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
  },
};

interface Piece {
  chunk: number;
  index: number;
  id?: string;
  name?: string;
  type?: string;
  args?: string;
}

/** Streams a tool request and returns every tool-call piece, in arrival order. */
async function call(
  content: string,
  tools: ToolDefinition[],
  extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsStreaming> = {},
) {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    tools,
    stream: true,
    stream_options: { include_usage: true },
    ...extra,
  });
  const pieces: Piece[] = [];
  let finish: string | null = null;
  let text = '';
  let reasoningBeforeCall = false;
  let usage: OpenAI.CompletionUsage | null | undefined = null;
  let chunk = 0;
  for await (const c of stream) {
    chunk++;
    const delta = c.choices[0]?.delta as OpenAI.Chat.ChatCompletionChunk.Choice.Delta & {
      reasoning_content?: string | null;
    };
    if (delta?.reasoning_content && pieces.length === 0) reasoningBeforeCall = true;
    text += delta?.content ?? '';
    for (const t of delta?.tool_calls ?? []) {
      expect(t.function).toBeDefined();
      pieces.push({
        chunk,
        index: t.index,
        id: t.id,
        name: t.function?.name,
        type: t.type,
        args: t.function?.arguments,
      });
    }
    finish = c.choices[0]?.finish_reason ?? finish;
    if (c.usage) usage = c.usage;
  }
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  for (const p of pieces) {
    const seen = calls.get(p.index) ?? { args: '' };
    calls.set(p.index, { id: seen.id ?? p.id, name: seen.name ?? p.name, args: seen.args + (p.args ?? '') });
  }
  return {
    pieces,
    calls: [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v),
    finish,
    text,
    usage,
    reasoningBeforeCall,
  };
}

describe('simulated tool calls', () => {
  it("streams one call in OpenAI's shape: a head with id, type and name, then argument pieces", async () => {
    const { pieces, finish, text } = await call('What is the weather in Paris?', [WEATHER]);
    const [head, ...rest] = pieces;
    expect(head).toMatchObject({ index: 0, type: 'function', name: 'get_weather', args: '' });
    expect(head!.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    // As OpenAI does, the first chunk is the role chunk and the call's head at once.
    expect(head!.chunk).toBe(1);
    expect(rest.length).toBeGreaterThan(3);
    expect(rest.every((p) => p.id === undefined && p.name === undefined && p.index === 0)).toBe(true);
    expect(finish).toBe('tool_calls');
    expect(text).toBe('');
  });

  it('sends the arguments one tokenizer token at a time', async () => {
    const tokenizer = await loadTokenizer();
    const { pieces, calls } = await call('What is the weather in Paris?', [WEATHER]);
    const argPieces = pieces.slice(1).map((p) => p.args);
    expect(argPieces).toEqual(tokenizer.pieces(calls[0]!.args).map((p) => p.text));
  });

  it('joins its argument pieces to JSON satisfying the schema, with the city from the prompt', async () => {
    const { calls } = await call('What is the weather in Tokyo, in fahrenheit?', [WEATHER]);
    const args = JSON.parse(calls[0]!.args) as Record<string, unknown>;
    expect(violations(args, WEATHER.function.parameters)).toEqual([]);
    expect(args).toEqual({ city: 'Tokyo', unit: 'fahrenheit' });
  });

  it('fills every kind of property a schema can ask for: required, enum, integer bounds, nested, array', async () => {
    const { calls } = await call(
      'Find a business flight from London to Lisbon for 2 people, traveller Grace Hopper.',
      [FLIGHTS],
    );
    // Two places for two different properties of one call: not a reason for two calls.
    expect(calls).toHaveLength(1);
    const args = JSON.parse(calls[0]!.args) as Record<string, unknown>;
    expect(violations(args, FLIGHTS.function.parameters)).toEqual([]);
    expect(args).toMatchObject({ origin: 'London', destination: 'Lisbon', passengers: 2, cabin: 'business' });
    expect((args.traveller as { name: string }).name).toBe('Grace Hopper');
  });

  it('calls one tool once per place the prompt names, in parallel calls sent one after another as OpenAI does', async () => {
    const { pieces, calls, finish } = await call("What's the weather in Paris and Tokyo?", [WEATHER]);
    expect(calls.map((c) => JSON.parse(c.args).city)).toEqual(['Paris', 'Tokyo']);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    // Each chunk carries one piece; every piece of call 0 comes before the first of call 1.
    const indexes = pieces.map((p) => p.index);
    const firstOfSecond = indexes.indexOf(1);
    expect(firstOfSecond).toBeGreaterThan(1);
    expect(indexes.slice(0, firstOfSecond).every((i) => i === 0)).toBe(true);
    expect(indexes.slice(firstOfSecond).every((i) => i === 1)).toBe(true);
    expect(new Set(pieces.map((p) => p.chunk)).size).toBe(pieces.length);
    expect(finish).toBe('tool_calls');
  });

  it('calls every defined tool the prompt fits, each with valid arguments', async () => {
    const { calls } = await call('What is the weather and the local time in Tokyo?', [WEATHER, TIME]);
    expect(calls.map((c) => c.name)).toEqual(['get_weather', 'get_local_time']);
    expect(JSON.parse(calls[1]!.args)).toEqual({ timezone: 'Asia/Tokyo' });
  });

  it('makes one call when parallel_tool_calls is false, and only the named one when tool_choice names it', async () => {
    const single = await call("What's the weather in Paris and Tokyo?", [WEATHER], {
      parallel_tool_calls: false,
    });
    expect(single.calls).toHaveLength(1);
    const forced = await call('What is the weather and the local time in Tokyo?', [WEATHER, TIME], {
      tool_choice: { type: 'function', function: { name: 'get_local_time' } },
    });
    expect(forced.calls.map((c) => c.name)).toEqual(['get_local_time']);
  });

  it("answers in text when tool_choice is 'none'", async () => {
    const { pieces, text, finish } = await call('What is the weather in Paris?', [WEATHER], {
      tool_choice: 'none',
    });
    expect(pieces).toEqual([]);
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
  });

  it('cuts the arguments mid-way at the token limit, leaving invalid JSON and finish_reason length', async () => {
    const { calls, finish, usage } = await call('What is the weather in Paris?', [WEATHER], {
      max_completion_tokens: 6,
    });
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBeLessThanOrEqual(6);
    expect(calls[0]!.args.length).toBeGreaterThan(0);
    expect(() => JSON.parse(calls[0]!.args)).toThrow();
    const old = await call('What is the weather in Paris?', [WEATHER], { max_tokens: 6 });
    expect(old.finish).toBe('length');
  });

  it('has sim-thinking reason first, then call', async () => {
    const { reasoningBeforeCall, calls, finish, usage } = await call(
      'What is the weather in Paris?',
      [WEATHER],
      {
        model: 'sim-thinking',
      },
    );
    expect(reasoningBeforeCall).toBe(true);
    expect(JSON.parse(calls[0]!.args)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(finish).toBe('tool_calls');
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
  });

  it('returns message.tool_calls when not streamed', async () => {
    const done = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: "What's the weather in Paris and Tokyo?" }],
      tools: [WEATHER],
    });
    const message = done.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(done.choices[0]!.finish_reason).toBe('tool_calls');
    expect(
      message.tool_calls?.map((c) => c.type === 'function' && JSON.parse(c.function.arguments).city),
    ).toEqual(['Paris', 'Tokyo']);
  });
});

const EVENT: JsonSchemaFormat = {
  type: 'json_schema',
  json_schema: {
    name: 'event',
    strict: true,
    schema: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        city: { type: 'string' },
        date: { type: 'string' },
        attendees: { type: 'integer' },
        priority: { type: 'string', enum: ['low', 'normal', 'high'] },
        confirmed: { type: 'boolean' },
        organiser: {
          type: 'object',
          properties: { name: { type: 'string' }, email: { type: 'string' } },
          required: ['name', 'email'],
          additionalProperties: false,
        },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['title', 'city', 'date', 'attendees', 'priority', 'confirmed', 'organiser', 'tags'],
      additionalProperties: false,
    },
  },
};

const EVENT_PROMPT =
  'Extract the event: "Team offsite" in Lisbon on 12 June for 14 people, high priority, organised by Grace Hopper.';

describe('simulated structured output', () => {
  it('streams JSON matching the schema as ordinary content, token by token, filled from the prompt', async () => {
    const tokenizer = await loadTokenizer();
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: EVENT_PROMPT }],
      response_format: EVENT,
      stream: true,
    });
    const pieces: string[] = [];
    for await (const c of stream) if (c.choices[0]?.delta.content) pieces.push(c.choices[0].delta.content);
    const text = pieces.join('');
    expect(pieces).toEqual(tokenizer.pieces(text).map((p) => p.text));
    const value = JSON.parse(text) as Record<string, unknown>;
    expect(violations(value, EVENT.json_schema.schema)).toEqual([]);
    expect(value).toMatchObject({
      title: 'Team offsite',
      city: 'Lisbon',
      date: '2025-06-12',
      attendees: 14,
      priority: 'high',
      organiser: { name: 'Grace Hopper' },
    });
    expect((value.tags as string[]).length).toBeGreaterThanOrEqual(2);
    expect((value.tags as string[]).length).toBeLessThanOrEqual(4);
  });

  it('answers the same schema and prompt with the same object', async () => {
    const ask = () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: EVENT_PROMPT }],
        response_format: EVENT,
      });
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.choices[0]!.message.content).toBe(b.choices[0]!.message.content);
  });

  it('resolves $ref, anyOf and nullable types', async () => {
    const schema = {
      type: 'object',
      $defs: {
        step: {
          type: 'object',
          properties: { n: { type: 'integer' }, text: { type: 'string' } },
          required: ['n', 'text'],
        },
      },
      properties: {
        steps: { type: 'array', items: { $ref: '#/$defs/step' }, minItems: 2, maxItems: 4 },
        note: { type: ['string', 'null'] },
        score: { anyOf: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'null' }] },
      },
      required: ['steps', 'note', 'score'],
    };
    const done = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Give me steps for making pancakes.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'recipe', schema } },
    });
    const value = JSON.parse(done.choices[0]!.message.content!) as {
      steps: unknown[];
      note: unknown;
      score: unknown;
    };
    expect(value.steps.length).toBeGreaterThanOrEqual(2);
    expect(value.steps.length).toBeLessThanOrEqual(4);
    for (const step of value.steps) expect(violations(step, schema.$defs.step)).toEqual([]);
    expect(typeof value.note).toBe('string');
    expect(value.score).toBeGreaterThanOrEqual(0);
    expect(value.score).toBeLessThanOrEqual(1);
  });

  it('ends a recursive schema instead of recursing forever', async () => {
    const schema = {
      type: 'object',
      properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['label', 'children'],
    };
    const done = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Describe a small file tree.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'tree', schema } },
    });
    const depth = (node: { children: unknown[] }): number =>
      1 + Math.max(0, ...node.children.map((c) => depth(c as { children: unknown[] })));
    const tree = JSON.parse(done.choices[0]!.message.content!) as { label: string; children: unknown[] };
    expect(typeof tree.label).toBe('string');
    expect(depth(tree)).toBeLessThan(10);
  });

  it('has sim-thinking reason about the schema before writing the object', async () => {
    const done = await client.chat.completions.create({
      model: 'sim-thinking',
      messages: [{ role: 'user', content: EVENT_PROMPT }],
      response_format: EVENT,
    });
    const message = done.choices[0]!.message as { content: string; reasoning_content?: string };
    expect(message.reasoning_content).toMatch(/schema/);
    expect(violations(JSON.parse(message.content), EVENT.json_schema.schema)).toEqual([]);
  });
});
