/**
 * sim-thinking through the real SDK: reasoning streamed DeepSeek-style before the answer, usage
 * split into reasoning and answer tokens, effort scaling the reasoning, and OpenAI's 400s for the
 * parameters reasoning models refuse.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { answerFor } from '../../src/lib/engine/simulator/answers';
import { createSimulator, SIMULATOR_MODELS } from '../../src/lib/engine/simulator/simulator';
import { loadTokenizer } from '../../src/lib/engine/tokenizer';
import type { ReasoningEffort } from '../../src/lib/engine/types';

const client = new OpenAI({
  baseURL: SIMULATOR_BASE_URL,
  apiKey: 'x',
  maxRetries: 0,
  fetch: createSimulator({ timing: () => ({ ttftMs: 1, tokenMs: 0, jitter: 0 }) }),
});

const POEM = 'Write a short poem about coding.';

/** Streams sim-thinking and sorts what arrived into reasoning, answer and the order they came. */
async function think(params: Partial<OpenAI.Chat.ChatCompletionCreateParamsStreaming> = {}) {
  const stream = await client.chat.completions.create({
    model: 'sim-thinking',
    messages: [{ role: 'user', content: POEM }],
    stream: true,
    stream_options: { include_usage: true },
    ...params,
  });
  let reasoning = '';
  let answer = '';
  const order: ('reasoning' | 'answer')[] = [];
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined = null;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string | null };
    if (delta?.reasoning_content) {
      reasoning += delta.reasoning_content;
      if (order.at(-1) !== 'reasoning') order.push('reasoning');
    }
    if (delta?.content) {
      answer += delta.content;
      if (order.at(-1) !== 'answer') order.push('answer');
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  return { reasoning, answer, order, finish, usage };
}

describe('sim-thinking', () => {
  it('is listed after the three chat models', () => {
    expect(SIMULATOR_MODELS.slice(0, 3)).toEqual(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini']);
    expect(SIMULATOR_MODELS).toContain('sim-thinking');
  });

  it('streams all its reasoning in reasoning_content before the answer in content', async () => {
    const { reasoning, answer, order, finish } = await think();
    expect(order).toEqual(['reasoning', 'answer']);
    expect(reasoning).toMatch(/poem/i);
    expect(answer).toBe(answerFor(POEM));
    expect(finish).toBe('stop');
  });

  it('counts reasoning and answer in completion_tokens and reports the reasoning share', async () => {
    const tokenizer = await loadTokenizer();
    const { reasoning, answer, usage } = await think();
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(tokenizer.count(reasoning));
    expect(usage?.completion_tokens).toBe(tokenizer.count(reasoning) + tokenizer.count(answer));
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(usage?.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens);
  });

  it('thinks longer the more effort is asked for, medium when none is', async () => {
    const lengths: Record<string, number> = {};
    for (const effort of ['minimal', 'low', 'medium', 'high'] as ReasoningEffort[]) {
      const { usage } = await think({ reasoning_effort: effort });
      lengths[effort] = usage!.completion_tokens_details!.reasoning_tokens!;
    }
    expect(lengths.minimal).toBeLessThan(lengths.low!);
    expect(lengths.low).toBeLessThan(lengths.medium!);
    expect(lengths.medium).toBeLessThan(lengths.high!);
    const { usage } = await think();
    expect(usage!.completion_tokens_details!.reasoning_tokens).toBe(lengths.medium);
    const high = await think({ reasoning_effort: 'high' });
    expect(high.reasoning.split('\n\n').length).toBeGreaterThanOrEqual(3);
    const minimal = await think({ reasoning_effort: 'minimal' });
    expect(minimal.reasoning).not.toContain('\n');
  });

  it('writes its reasoning for the question asked', async () => {
    const count = await think({ messages: [{ role: 'user', content: 'Count from 1 to 20' }] });
    const poem = await think();
    expect(count.reasoning).toMatch(/count/i);
    expect(count.reasoning).not.toBe(poem.reasoning);
  });

  it('counts reasoning against max_completion_tokens: a tight limit ends mid-thought with no answer', async () => {
    const { reasoning, answer, finish, usage } = await think({ max_completion_tokens: 10 });
    expect(finish).toBe('length');
    expect(answer).toBe('');
    expect(reasoning.length).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBe(10);
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(10);
  });

  it('returns reasoning_content in the message when not streamed', async () => {
    const done = await client.chat.completions.create({
      model: 'sim-thinking',
      messages: [{ role: 'user', content: POEM }],
    });
    const message = done.choices[0]!.message as { content: string | null; reasoning_content?: string };
    expect(message.content).toBe(answerFor(POEM));
    expect(message.reasoning_content).toMatch(/poem/i);
    expect(done.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
  });

  it("rejects max_tokens with OpenAI's 400 naming the parameter", async () => {
    const error = await client.chat.completions
      .create({ model: 'sim-thinking', messages: [{ role: 'user', content: POEM }], max_tokens: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const e = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.error).toEqual({
      message:
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      type: 'invalid_request_error',
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
  });

  it('rejects a temperature other than 1 and accepts 1', async () => {
    const error = await client.chat.completions
      .create({
        model: 'sim-thinking',
        messages: [{ role: 'user', content: POEM }],
        temperature: 0.7,
        stream: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toEqual({
      message:
        "Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.",
      type: 'invalid_request_error',
      param: 'temperature',
      code: 'unsupported_value',
    });
    const ok = await think({ temperature: 1 });
    expect(ok.finish).toBe('stop');
  });

  it('leaves the other models accepting max_tokens and max_completion_tokens, without reasoning', async () => {
    for (const limit of [{ max_tokens: 5 }, { max_completion_tokens: 5 }]) {
      const done = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: POEM }],
        temperature: 0.7,
        ...limit,
      });
      expect(done.choices[0]!.finish_reason).toBe('length');
      expect(done.usage?.completion_tokens).toBe(5);
      expect(done.choices[0]!.message).not.toHaveProperty('reasoning_content');
    }
  });
});
