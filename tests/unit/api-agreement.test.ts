/**
 * One simulated answer, two wire formats: the same request through streamChat (Chat Completions)
 * and streamResponse (Responses), both over the simulator and the real SDK, must give the learner
 * the same text, the same number of content events, the same usage, the same finish and the same
 * metrics. The simulator plays one decided answer through either encoder on one timing model, so
 * with jitter, packing and batching at 0 the only thing that could tell the two apart is the
 * clock's noise. The clock here is vitest's fake one (timers and performance.now), so there is
 * none: every delay takes exactly its length, and TTFT, TPOT and the decode rate must agree
 * exactly, not merely within a tolerance.
 *
 * And the difference the lab teaches: a background Responses stream cut on purpose (`dropAfter`)
 * resumes through resumeResponse to the uncut text; a cut chat completion has nothing to resume.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator, type SimTiming } from '../../src/lib/engine/simulator/simulator';
import { streamChat } from '../../src/lib/engine/stream-chat';
import { resumeResponse, streamResponse } from '../../src/lib/engine/stream-response';
import { loadTokenizer } from '../../src/lib/engine/tokenizer';
import type { Api, ChatRequest, Connection, StreamEvent } from '../../src/lib/engine/types';
import { streamMetrics, type Arrival, type StreamMetrics } from '../../src/lib/metrics/metrics';

const TIMING: SimTiming = { ttftMs: 300, tokenMs: 20, jitter: 0, packing: 0, batching: 0 };

function connection(api: Api, timing = TIMING): Connection {
  return {
    baseURL: SIMULATOR_BASE_URL,
    apiKey: '',
    fetch: createSimulator({ timing: () => timing }),
    maxRetries: 0,
    stallMs: 60_000,
    api,
  };
}

/** Every event of `stream`, read to its end on the fake clock. */
async function drain(stream: AsyncGenerator<StreamEvent>): Promise<StreamEvent[]> {
  const collecting = (async () => {
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  })();
  let done = false;
  void collecting.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(5);
  return collecting;
}

const textOf = (events: StreamEvent[]) => events.map((e) => (e.kind === 'content' ? e.text : '')).join('');

/** Runs `request` over one API to its end on the fake clock, and sums up what the learner sees. */
async function run(api: Api, request: ChatRequest, dropAfter?: number, timing = TIMING) {
  const options = { connection: connection(api, timing), dropAfter };
  const events = await drain(
    api === 'chat' ? streamChat(request, options) : streamResponse(request, options),
  );
  const arrivals = (kind: 'content' | 'reasoning'): Arrival[] =>
    events.flatMap((e) => (e.kind === kind ? [{ t: e.t, text: e.text }] : []));
  const toolArgs = events.flatMap((e) => (e.kind === 'tool_call' ? [{ t: e.t, text: e.args }] : []));
  const usage = events.findLast((e) => e.kind === 'usage')?.usage ?? null;
  const content = arrivals('content');
  const reasoning = arrivals('reasoning');
  return {
    text: content.map((a) => a.text).join(''),
    contentEvents: content.length,
    reasoning: reasoning.map((a) => a.text).join(''),
    calls: events.flatMap((e) => (e.kind === 'tool_call' && e.name ? [e.name] : [])),
    args: toolArgs.map((a) => a.text).join(''),
    finish: events.findLast((e) => e.kind === 'finish')?.reason ?? null,
    outcome: events.at(-1)?.kind === 'end' ? events.at(-1) : null,
    events,
    usage: {
      prompt: usage?.prompt_tokens,
      completion: usage?.completion_tokens,
      reasoning: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    metrics: comparable(streamMetrics({ arrivals: content, reasoning, toolArgs, usage })),
  };
}

/**
 * The metrics with the token split read the same way on both. Responses always reports
 * output_tokens_details and input_tokens_details (0 when nothing was reasoned or cached), as
 * OpenAI does; the simulator's Chat Completions reports them for reasoning models only, so a
 * missing split counts as 0 here and the rest must match as it is.
 */
function comparable(m: StreamMetrics) {
  const reasoningTokens = m.reasoningTokens ?? 0;
  return {
    ...m,
    reasoningTokens,
    cachedTokens: m.cachedTokens ?? 0,
    answerTokens:
      m.answerTokens ?? (m.completionTokens === null ? null : m.completionTokens - reasoningTokens),
  };
}

/** Both APIs' runs of `request`, after checking each one ended normally with usage. */
async function both(request: ChatRequest) {
  const chat = await run('chat', { ...request, include_usage: true });
  const responses = await run('responses', request);
  for (const r of [chat, responses]) {
    expect(r.outcome).toMatchObject({ kind: 'end', outcome: 'complete' });
    expect(r.usage.completion).toBeGreaterThan(0);
  }
  return { chat, responses };
}

const ask = (model: string, content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [{ role: 'user', content }],
  ...extra,
});

beforeAll(async () => {
  await loadTokenizer();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the same simulated answer over Chat Completions and Responses', () => {
  it('gives the same text, content events, usage, finish and metrics for a text answer', async () => {
    const { chat, responses } = await both(
      ask('gpt-4o-mini', 'Tell me the benefits of learning programming'),
    );
    expect(responses.text).toBe(chat.text);
    expect(responses.text.length).toBeGreaterThan(100);
    expect(responses.contentEvents).toBe(chat.contentEvents);
    // Packing 0: one token a content event, on both.
    expect(chat.contentEvents).toBe(chat.usage.completion);
    expect(responses.usage).toEqual(chat.usage);
    expect(responses.finish).toBe('stop');
    expect(chat.finish).toBe('stop');
    expect(responses.metrics).toEqual(chat.metrics);
    // And they are the timing's: the first token after ttftMs, the next ones tokenMs apart.
    expect(chat.metrics.ttftMs).toBeGreaterThanOrEqual(TIMING.ttftMs);
    expect(chat.metrics.ttftMs).toBeLessThan(TIMING.ttftMs + 10);
    expect(chat.metrics.tpotMs).toBeGreaterThanOrEqual(TIMING.tokenMs);
    expect(chat.metrics.tpotMs).toBeLessThan(TIMING.tokenMs + 5);
    expect(chat.metrics.decodeRate).toBeCloseTo(1000 / chat.metrics.tpotMs!, 6);
  });

  it('gives the same reasoning, reasoning tokens and metrics for sim-thinking', async () => {
    const { chat, responses } = await both(ask('sim-thinking', 'Write a short poem about coding.'));
    expect(responses.reasoning).toBe(chat.reasoning);
    expect(responses.reasoning.length).toBeGreaterThan(0);
    expect(responses.text).toBe(chat.text);
    expect(responses.contentEvents).toBe(chat.contentEvents);
    expect(responses.usage).toEqual(chat.usage);
    expect(responses.usage.reasoning).toBeGreaterThan(0);
    expect(responses.metrics).toEqual(chat.metrics);
    expect(chat.metrics.firstReasoningMs).toBeLessThan(chat.metrics.ttftMs!);
  });

  it('gives the same calls, arguments, finish and usage for a tool call', async () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const { chat, responses } = await both(ask('gpt-4o-mini', 'Weather in Paris and Tokyo?', { tools }));
    expect(responses.calls).toEqual(['get_weather', 'get_weather']);
    expect(responses.calls).toEqual(chat.calls);
    expect(responses.args).toBe(chat.args);
    expect(responses.finish).toBe('tool_calls');
    expect(chat.finish).toBe('tool_calls');
    expect(responses.usage).toEqual(chat.usage);
    expect(responses.metrics).toEqual(chat.metrics);
  });

  it('gives the same text and usage with packing and batching on, and no sequence issues', async () => {
    const busy: SimTiming = { ...TIMING, jitter: 0.5, packing: 0.5, batching: 0.5 };
    const request = ask('sim-thinking', 'Write a short poem about coding.');
    const chat = await run('chat', { ...request, include_usage: true }, undefined, busy);
    const responses = await run('responses', request, undefined, busy);
    expect(responses.text).toBe(chat.text);
    expect(responses.reasoning).toBe(chat.reasoning);
    expect(responses.usage).toEqual(chat.usage);
    expect(responses.events.filter((e) => e.kind === 'sequence')).toEqual([]);
    // Packed chunks: fewer content events than tokens.
    expect(responses.contentEvents).toBeLessThan(responses.usage.completion! - responses.usage.reasoning);
  });

  it("maps a cut by the token limit to 'length' on both, at the same token", async () => {
    const { chat, responses } = await both(
      ask('gpt-4o-mini', 'Tell me the benefits of learning programming', { max_completion_tokens: 12 }),
    );
    expect(chat.finish).toBe('length');
    expect(responses.finish).toBe('length');
    expect(responses.text).toBe(chat.text);
    expect(responses.usage.completion).toBe(12);
    expect(responses.metrics).toEqual(chat.metrics);
  });
});

describe('a connection cut on purpose, over each API', () => {
  const PROGRAMMING = ask('gpt-4o-mini', 'Tell me the benefits of learning programming');

  it('resumes a background response where it was cut, to the same text as an uncut run', async () => {
    const uncut = await run('responses', PROGRAMMING);
    const cut = await run('responses', { ...PROGRAMMING, background: true }, 20);
    const end = cut.events.at(-1);
    expect(end).toMatchObject({ kind: 'end', outcome: 'error' });
    const point = end?.kind === 'end' ? end.resume : undefined;
    expect(point?.id).toMatch(/^resp_/);
    expect(cut.text.length).toBeGreaterThan(0);
    expect(cut.text.length).toBeLessThan(uncut.text.length);

    const resumed = await drain(resumeResponse(point!, { connection: connection('responses') }));
    expect(resumed.at(-1)).toMatchObject({ kind: 'end', outcome: 'complete' });
    expect(resumed.filter((e) => e.kind === 'sequence')).toEqual([]);
    expect(cut.text + textOf(resumed)).toBe(uncut.text);
    expect(resumed.findLast((e) => e.kind === 'usage')).toMatchObject({
      usage: { completion_tokens: uncut.usage.completion },
    });
  });

  it('loses the rest of a chat completion: its cut has nothing to resume', async () => {
    const uncut = await run('chat', PROGRAMMING);
    const cut = await run('chat', PROGRAMMING, 20);
    expect(cut.events.at(-1)).toEqual(expect.objectContaining({ kind: 'end', outcome: 'error' }));
    expect(cut.events.at(-1)).not.toHaveProperty('resume');
    expect(uncut.text.startsWith(cut.text) && cut.text.length < uncut.text.length).toBe(true);
  });
});
