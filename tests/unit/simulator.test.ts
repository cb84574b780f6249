/**
 * The simulator is a fetch handed to the real SDK: its bytes must parse exactly like a provider's.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator, type SimTiming } from '../../src/lib/engine/simulator/simulator';
import { answerFor } from '../../src/lib/engine/simulator/answers';
import { loadTokenizer } from '../../src/lib/engine/tokenizer';
import { streamChat } from '../../src/lib/engine/stream-chat';
import type { ChatRequest, StreamEvent } from '../../src/lib/engine/types';
import { WireLog } from '../../src/lib/engine/wire';

const FAST: SimTiming = { ttftMs: 5, tokenMs: 0, jitter: 0 };
const simulator = (timing = FAST) => createSimulator({ timing: () => timing });

function connection(timing = FAST) {
  return {
    baseURL: SIMULATOR_BASE_URL,
    apiKey: '',
    fetch: simulator(timing),
    maxRetries: 0,
    stallMs: 30_000,
  };
}

async function run(request: Partial<ChatRequest>, wire = new WireLog(), timing = FAST) {
  const events: StreamEvent[] = [];
  const full: ChatRequest = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Count from 1 to 20' }],
    ...request,
  };
  for await (const e of streamChat(full, { connection: connection(timing), wire })) events.push(e);
  const text = events.flatMap((e) => (e.kind === 'content' ? [e.text] : [])).join('');
  return { events, text, wire };
}

describe('simulator', () => {
  it('streams the built-in answer through the SDK, one chunk per token', async () => {
    const tokenizer = await loadTokenizer();
    const answer = answerFor('Count from 1 to 20');
    const { text, events } = await run({});
    expect(text).toBe(answer);
    expect(events.filter((e) => e.kind === 'content')).toHaveLength(tokenizer.pieces(answer).length);
    expect(events.at(-1)).toMatchObject({ kind: 'end', outcome: 'complete' });
  });

  it('reports completion tokens equal to the tokenizer count of the text', async () => {
    const tokenizer = await loadTokenizer();
    const { text, events } = await run({
      include_usage: true,
      messages: [{ role: 'user', content: 'Write a short poem about coding.' }],
    });
    const usage = events.find((e) => e.kind === 'usage');
    expect(usage?.kind === 'usage' && usage.usage.completion_tokens).toBe(tokenizer.count(text));
  });

  it('sends the role chunk, the finish chunk, the usage-only chunk with empty choices, then [DONE]', async () => {
    const { wire } = await run({ include_usage: true });
    const data = wire.frames.filter((f) => f.type === 'data').map((f) => JSON.parse(f.data));
    expect(data[0].choices[0].delta.role).toBe('assistant');
    expect(data.at(-2).choices[0].finish_reason).toBe('stop');
    expect(data.at(-1).choices).toEqual([]);
    expect(data.at(-1).usage.completion_tokens).toBeGreaterThan(0);
    expect(wire.frames.at(-1)!.type).toBe('done');
  });

  it('leaves the usage chunk out when include_usage is not set', async () => {
    const { events } = await run({});
    expect(events.some((e) => e.kind === 'usage')).toBe(false);
  });

  it('honours max_tokens with finish_reason length', async () => {
    const { events } = await run({ max_tokens: 5, include_usage: true });
    expect(events.find((e) => e.kind === 'finish')).toMatchObject({ reason: 'length' });
    expect(events.find((e) => e.kind === 'usage')).toMatchObject({ usage: { completion_tokens: 5 } });
  });

  it('stops before a server-side stop sequence and does not send it', async () => {
    const { text, events } = await run({ stop: ['10'] });
    expect(text.endsWith('9\n')).toBe(true);
    expect(text).not.toContain('10');
    expect(events.find((e) => e.kind === 'finish')).toMatchObject({ reason: 'stop' });
  });

  it('keeps multi-byte characters whole in every chunk', async () => {
    const tokenizer = await loadTokenizer();
    const pieces = tokenizer.pieces('Emoji 🚀🧪 and accents: déjà vu, 東京.');
    expect(pieces.map((p) => p.text).join('')).toBe('Emoji 🚀🧪 and accents: déjà vu, 東京.');
    expect(pieces.every((p) => !p.text.includes('\uFFFD'))).toBe(true);
    expect(pieces.reduce((n, p) => n + p.tokens, 0)).toBe(
      tokenizer.count('Emoji 🚀🧪 and accents: déjà vu, 東京.'),
    );
  });

  it('stops producing at once when aborted', async () => {
    const controller = new AbortController();
    const wire = new WireLog();
    const events: StreamEvent[] = [];
    let readsAtAbort = -1;
    const slow: SimTiming = { ttftMs: 5, tokenMs: 20, jitter: 0 };
    for await (const e of streamChat(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'benefits of learning programming' }] },
      { connection: connection(slow), wire, signal: controller.signal },
    )) {
      events.push(e);
      if (e.kind === 'content' && e.sdkChunk === 3) {
        controller.abort();
        readsAtAbort = wire.reads.length;
      }
    }
    expect(events.at(-1)).toMatchObject({ outcome: 'aborted' });
    // Nothing is produced after the abort: not while the loop winds down, nor later.
    expect(wire.reads.length).toBe(readsAtAbort);
    await new Promise((r) => setTimeout(r, 100));
    expect(wire.reads.length).toBe(readsAtAbort);
  });

  it('spaces chunks by the timing model', async () => {
    const { events } = await run({}, new WireLog(), { ttftMs: 60, tokenMs: 10, jitter: 0 });
    const content = events.filter((e) => e.kind === 'content');
    expect(content[0]!.t).toBeGreaterThanOrEqual(55);
    const span = content.at(-1)!.t - content[0]!.t;
    expect(span).toBeGreaterThanOrEqual((content.length - 1) * 10 * 0.9);
  });

  it('labels simulated logprobs with a probability and top alternatives', async () => {
    const { events } = await run({ logprobs: true, top_logprobs: 5 });
    const lp = events.find((e) => e.kind === 'logprobs');
    expect(lp?.kind).toBe('logprobs');
    if (lp?.kind !== 'logprobs') return;
    const first = lp.tokens[0]!;
    expect(first.logprob).toBeLessThanOrEqual(0);
    expect(first.top.length).toBeGreaterThan(1);
    expect(first.top.reduce((p, a) => p + Math.exp(a.logprob), 0)).toBeLessThanOrEqual(1.0001);
  });

  it('answers stream:false and GET /models like a provider', async () => {
    const client = new OpenAI({
      baseURL: SIMULATOR_BASE_URL,
      apiKey: 'x',
      fetch: simulator(),
      maxRetries: 0,
    });
    const done = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is a function in programming?' }],
    });
    expect(done.choices[0]!.message.content).toBe(answerFor('What is a function in programming?'));
    expect(done.usage!.completion_tokens).toBeGreaterThan(10);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');
  });
});
