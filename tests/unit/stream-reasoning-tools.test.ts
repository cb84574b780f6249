/**
 * Reasoning, tool calls and n > 1 choices through streamChat: the real openai SDK against the real
 * local SSE server, fed provider-style streams (fixtures/provider-streams.ts) and the server's own
 * scenarios; and the wire inspector's labels for the same frames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameLabel, labelOf } from '../../src/lib/engine/frame-label';
import { streamChat } from '../../src/lib/engine/stream-chat';
import type { ChatRequest, StreamEvent } from '../../src/lib/engine/types';
import { WireLog } from '../../src/lib/engine/wire';
import {
  ANSWER_TEXT,
  BAD_ARGS,
  CHOICE_TEXTS,
  chunk,
  CUSTOM_INPUT,
  REASONING_TEXT,
  REASONING_USAGE,
  startServer,
  TOKYO_ARGS,
  WEATHER_ARGS,
  type Scenario,
  type TestServer,
} from '../server/sse-server';
import { PROVIDER_STREAMS, TOOL_ARGS, type Expected, type ExpectedCall } from './fixtures/provider-streams';

/** The tool-call fixture, cut at every byte offset into two network writes held apart by a gate. */
const SPLIT_BODY = new TextEncoder().encode(
  PROVIDER_STREAMS.find((f) => f.name.startsWith('OpenAI tool call'))!.sse,
);

const fixtures: Record<string, Scenario> = {};
PROVIDER_STREAMS.forEach((fixture, i) => {
  fixtures[`fixture-${i}`] = () => ({ status: 200, steps: [{ write: fixture.sse }, { end: true }] });
});
for (let cut = 1; cut < SPLIT_BODY.length; cut++) {
  fixtures[`split-${cut}`] = () => ({
    status: 200,
    steps: [
      { write: SPLIT_BODY.slice(0, cut) },
      { gate: `split-${cut}` },
      { write: SPLIT_BODY.slice(cut) },
      { end: true },
    ],
  });
}
/** One chunk that carries every kind of event at once. */
fixtures['everything-at-once'] = () => ({
  status: 200,
  steps: [
    {
      write:
        chunk(
          [
            { index: 1, delta: { content: 'other' }, finish_reason: null },
            {
              index: 0,
              delta: {
                content: 'answer',
                reasoning_content: 'thought',
                refusal: 'no',
                tool_calls: [
                  { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
                ],
              },
              logprobs: { content: [{ token: 'answer', logprob: -0.1, top_logprobs: 'bad' }] },
              finish_reason: 'stop',
            },
          ],
          { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
        ) + 'data: [DONE]\n\n',
    },
    { end: true },
  ],
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ scenarios: fixtures });
});
afterAll(() => server.close());

function request(model: string): ChatRequest {
  return { model, messages: [{ role: 'user', content: 'hi' }], include_usage: true };
}

async function collect(model: string, wire = new WireLog()): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const connection = {
    baseURL: server.baseURL,
    apiKey: 'sk-test',
    fetch: globalThis.fetch,
    maxRetries: 0,
    stallMs: 30_000,
  };
  for await (const e of streamChat(request(model), { connection, wire })) events.push(e);
  return events;
}

/** What a run makes of the events: the same shape as a fixture's expectations. */
function summarise(events: StreamEvent[]): Expected {
  const out: Expected = {
    reasoning: '',
    reasoningFields: [],
    content: '',
    calls: [],
    finish: [],
    otherChoices: [],
    usage: null,
  };
  for (const e of events) {
    if (e.kind === 'reasoning') {
      out.reasoning += e.text;
      if (!out.reasoningFields.includes(e.field)) out.reasoningFields.push(e.field);
    } else if (e.kind === 'content') out.content += e.text;
    else if (e.kind === 'tool_call') {
      let call = out.calls.find((c) => c.index === e.index);
      if (!call) out.calls.push((call = { index: e.index, id: '', name: '', type: e.type, args: '' }));
      call.id += e.id ?? '';
      call.name += e.name ?? '';
      call.args += e.args;
    } else if (e.kind === 'finish') out.finish.push(e.reason);
    else if (e.kind === 'other_choice') out.otherChoices.push(e.index);
    else if (e.kind === 'usage') out.usage = e.usage as unknown as Record<string, unknown>;
  }
  out.calls.sort((a, b) => a.index - b.index);
  return out;
}

const ended = (events: StreamEvent[]) => events.at(-1);

describe('provider-style streams', () => {
  it.each(PROVIDER_STREAMS.map((f, i) => [f.name, i] as const))(
    '%s: reads what the provider sent',
    async (_name, i) => {
      const events = await collect(`fixture-${i}`);
      expect(ended(events)).toMatchObject({ kind: 'end', outcome: 'complete' });
      expect(events.some((e) => e.kind === 'error')).toBe(false);
      expect(summarise(events)).toEqual(PROVIDER_STREAMS[i]!.expected);
    },
  );

  it('takes OpenRouter’s reasoning once although reasoning and reasoning_details both carry it', async () => {
    const i = PROVIDER_STREAMS.findIndex((f) => f.name.startsWith('OpenRouter reasoning and'));
    const events = await collect(`fixture-${i}`);
    const reasoning = events.filter((e) => e.kind === 'reasoning');
    expect(reasoning.map((e) => e.kind === 'reasoning' && e.text)).toEqual(['Thinking', ' it over.']);
  });

  it('keeps reasoning and answer apart in every provider style', async () => {
    for (const [i, fixture] of PROVIDER_STREAMS.entries()) {
      const events = await collect(`fixture-${i}`);
      const answer = events.flatMap((e) => (e.kind === 'content' ? [e.text] : [])).join('');
      const thought = events.flatMap((e) => (e.kind === 'reasoning' ? [e.text] : [])).join('');
      if (fixture.expected.reasoning) expect(answer, fixture.name).not.toContain(fixture.expected.reasoning);
      if (fixture.expected.content) expect(thought, fixture.name).not.toContain(fixture.expected.content);
    }
  });
});

describe('test server scenarios', () => {
  it.each(['reasoning-content', 'reasoning-field', 'reasoning-details'])(
    '%s: reasoning lane and answer never mix, usage carries the reasoning and cached counts',
    async (model) => {
      const result = summarise(await collect(model));
      expect(result.reasoning).toBe(REASONING_TEXT);
      expect(result.content).toBe(ANSWER_TEXT);
      expect(result.reasoning).not.toContain('ANSWER-OK');
      expect(result.content).not.toContain('PONDER');
      expect(result.usage).toEqual(REASONING_USAGE);
      expect(result.reasoningFields).toEqual([
        model === 'reasoning-content'
          ? 'reasoning_content'
          : model === 'reasoning-field'
            ? 'reasoning'
            : 'reasoning_details',
      ]);
    },
  );

  it('reasoning-content holds at gate "reasoned" with all the reasoning read and no answer yet', async () => {
    const gate = server.hold('reasoned');
    const events: StreamEvent[] = [];
    const done = (async () => {
      const connection = {
        baseURL: server.baseURL,
        apiKey: 'k',
        fetch: globalThis.fetch,
        maxRetries: 0,
        stallMs: 30_000,
      };
      for await (const e of streamChat(request('reasoning-content'), { connection })) events.push(e);
    })();
    await gate.reached;
    await expect.poll(() => summarise(events).reasoning).toBe(REASONING_TEXT);
    expect(events.some((e) => e.kind === 'content')).toBe(false);
    gate.release();
    await done;
    expect(summarise(events).content).toBe(ANSWER_TEXT);
  });

  it.each([
    [
      'tool-call',
      [{ index: 0, id: 'call_weather_paris', name: 'get_weather', type: 'function', args: WEATHER_ARGS }],
      'tool_calls',
    ],
    [
      'parallel-tool-calls',
      [
        { index: 0, id: 'call_weather_paris', name: 'get_weather', type: 'function', args: WEATHER_ARGS },
        { index: 1, id: 'call_weather_tokyo', name: 'get_weather', type: 'function', args: TOKYO_ARGS },
      ],
      'tool_calls',
    ],
    [
      'custom-tool',
      [{ index: 0, id: 'call_custom_sql', name: 'run_sql', type: 'custom', args: CUSTOM_INPUT }],
      'tool_calls',
    ],
    [
      'bad-tool-args',
      [{ index: 0, id: 'call_weather_cut', name: 'get_weather', type: 'function', args: BAD_ARGS }],
      'length',
    ],
  ] as [string, ExpectedCall[], string][])(
    '%s: every argument piece lands on its own call',
    async (model, calls, reason) => {
      const result = summarise(await collect(model));
      expect(result.calls).toEqual(calls);
      expect(result.finish).toEqual([reason]);
      expect(result.content).toBe('');
    },
  );

  it('parallel-tool-calls really interleaves the two calls’ pieces', async () => {
    const order = (await collect('parallel-tool-calls')).flatMap((e) =>
      e.kind === 'tool_call' && e.args ? [e.index] : [],
    );
    const switches = order.filter((index, i) => i > 0 && index !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(3);
  });

  it('two-choices shows choice 0 only and says once that choice 1 came too', async () => {
    const wire = new WireLog();
    const events = await collect('two-choices', wire);
    const result = summarise(events);
    expect(result.content).toBe(CHOICE_TEXTS[0]);
    expect(result.otherChoices).toEqual([1]);
    expect(result.finish).toEqual(['stop']);
    // The scenario does list choice 1 first, and alone, in some chunks.
    const firsts = wire.frames
      .filter((f) => f.type === 'data')
      .map((f) => (JSON.parse(f.data) as { choices: { index: number }[] }).choices.map((c) => c.index));
    expect(firsts).toContainEqual([1, 0]);
    expect(firsts).toContainEqual([1]);
  });
});

describe('a comment line before the first frame', () => {
  it('is skipped, and every reasoning and answer event keeps the time and text of its own frame', async () => {
    const wire = new WireLog();
    const events = await collect('reasoning-field', wire);
    expect(wire.frames[0]).toMatchObject({ type: 'comment', raw: ': OPENROUTER PROCESSING' });
    const timed = events.filter((e) => e.kind === 'reasoning' || e.kind === 'content');
    expect(timed.length).toBeGreaterThan(30);
    for (const e of timed) {
      const frame = wire.frames[wire.chunkFrames[e.sdkChunk]!]!;
      expect(frame.data).toContain(JSON.stringify(e.text));
      expect(e.t).toBe(frame.t);
    }
  });
});

describe('one chunk', () => {
  it('yields reasoning, content, tool call, logprobs, refusal, finish, other choice, usage in that order', async () => {
    const events = await collect('everything-at-once');
    expect(events.filter((e) => 'sdkChunk' in e).map((e) => e.kind)).toEqual([
      'reasoning',
      'content',
      'tool_call',
      'logprobs',
      'refusal',
      'finish',
      'other_choice',
      'usage',
    ]);
  });

  it('numbers content chunks by content events only', async () => {
    const events = await collect('reasoning-content');
    const contents = events.filter((e) => e.kind === 'content');
    expect(contents.map((e) => e.contentChunk)).toEqual(contents.map((_, i) => i + 1));
    // Reasoning chunks came first, so SDK chunk numbers run ahead of content numbers.
    expect(contents[0]!.sdkChunk).toBeGreaterThan(1);
  });
});

describe('a tool call split across two network reads', () => {
  it('gives the same calls wherever the bytes are cut, even inside a multi-byte character', async () => {
    const whole = summarise(
      await collect(
        'fixture-' + PROVIDER_STREAMS.findIndex((f) => f.sse === new TextDecoder().decode(SPLIT_BODY)),
      ),
    );
    expect(whole.calls[0]?.args).toBe(TOOL_ARGS);
    for (let cut = 1; cut < SPLIT_BODY.length; cut++) {
      const wire = new WireLog();
      const gate = server.hold(`split-${cut}`);
      const run = collect(`split-${cut}`, wire);
      await gate.reached;
      // The first write has been read on its own before the second is sent.
      while (wire.reads.length === 0) await new Promise((r) => setTimeout(r, 1));
      gate.release();
      const events = await run;
      expect(wire.reads.length, `cut at byte ${cut}`).toBeGreaterThanOrEqual(2);
      expect(summarise(events), `cut at byte ${cut}`).toEqual(whole);
    }
  }, 120_000);
});

describe('wire inspector labels', () => {
  it('labels the comment, reasoning, content, finish, usage and [DONE] frames of an OpenRouter stream', async () => {
    const wire = new WireLog();
    await collect('reasoning-field', wire);
    const labels = wire.frames.map((f) => frameLabel(f));
    expect(labels[0]).toMatchObject({ tags: ['comment'] });
    const reasoning = labels.filter((l) => l.tags.includes('reasoning'));
    expect(reasoning.length).toBeGreaterThan(10);
    for (const l of reasoning) expect(l.tags).not.toContain('content');
    expect(reasoning[0]!.detail).toMatch(/^role assistant, reasoning \+ "PONDER/);
    expect(labels.some((l) => l.tags.includes('content') && l.detail.includes('"Hel"'))).toBe(true);
    expect(labels.some((l) => l.tags.includes('finish'))).toBe(true);
    expect(labels.find((l) => l.tags.includes('usage'))?.detail).toBe(
      'usage 12 + 31 tokens (20 reasoning), empty choices',
    );
    expect(labels.at(-1)).toMatchObject({ tags: ['[DONE]'] });
  });

  it('labels tool-call frames with the call, its name and the argument piece', async () => {
    const wire = new WireLog();
    await collect('custom-tool', wire);
    const calls = wire.frames.map((f) => frameLabel(f)).filter((l) => l.tags.includes('tool call'));
    expect(calls[0]!.detail).toBe('call 0 run_sql (custom) + ""');
    expect(calls[1]!.detail).toMatch(/^call 0 \(custom\) \+ "S"/);
  });

  it('labels an error object, data that is not JSON and a choice other than 0', () => {
    const error = frameLabel({ type: 'data', data: '{"error":{"message":"overloaded"}}' });
    expect(error).toMatchObject({ tags: ['error'], detail: 'error: overloaded' });
    expect(
      frameLabel({ type: 'data', data: '{"choices":[{"index":1,"delta":{"content":"x"}}]}' }),
    ).toMatchObject({
      tags: ['other choice'],
    });
    expect(frameLabel({ type: 'data', data: '{not json' }).tags).toEqual(['not JSON']);
    expect(frameLabel({ type: 'data', data: 'null' }).tags).toEqual(['empty']);
  });

  it('parses a frame once however often a view asks for its label', () => {
    let reads = 0;
    const frame = {
      type: 'data' as const,
      get data() {
        reads++;
        return '{"choices":[{"index":0,"delta":{"reasoning":"hm"}}]}';
      },
    };
    for (let i = 0; i < 5; i++) expect(labelOf(frame).tags).toEqual(['reasoning']);
    expect(reads).toBe(1);
  });
});
