/**
 * The simulator's chunking and network model: providers pack several tokens into one chunk, and
 * the network delivers several SSE frames in one body read. Both on by default, both off when the
 * timing says 0 (one token a chunk, one frame a read).
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { answerFor } from '../../src/lib/engine/simulator/answers';
import { createSimulator, DEFAULT_TIMING, type SimTiming } from '../../src/lib/engine/simulator/simulator';

const PROMPT = 'Tell me the benefits of learning programming';
/** The default model, without the waiting. */
const QUICK: SimTiming = { ...DEFAULT_TIMING, ttftMs: 1, tokenMs: 0 };
const OFF: SimTiming = { ...QUICK, packing: 0, batching: 0 };

function client(timing: SimTiming) {
  return new OpenAI({
    baseURL: SIMULATOR_BASE_URL,
    apiKey: 'x',
    fetch: createSimulator({ timing: () => timing }),
    maxRetries: 0,
  });
}

async function viaSDK(timing: SimTiming, seed?: number) {
  const stream = await client(timing).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: PROMPT }],
    stream: true,
    stream_options: { include_usage: true },
    logprobs: true,
    ...(seed === undefined ? {} : { seed }),
  });
  const chunks: { text: string; tokens: string[] }[] = [];
  let completionTokens = 0;
  for await (const chunk of stream) {
    if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    const choice = chunk.choices[0];
    if (choice?.delta.content) {
      chunks.push({
        text: choice.delta.content,
        tokens: (choice.logprobs?.content ?? []).map((t) => t.token),
      });
    }
  }
  return { chunks, completionTokens, text: chunks.map((c) => c.text).join('') };
}

/** The raw body: what each read() returned, and how many SSE frames came in all. */
async function reads(timing: SimTiming) {
  const response = await createSimulator({ timing: () => timing })(`${SIMULATOR_BASE_URL}/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const texts: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    texts.push(decoder.decode(value));
  }
  const frames = (s: string) => s.split('\n\n').filter((f) => f.startsWith('data: ')).length;
  return { texts, frames: texts.reduce((n, t) => n + frames(t), 0), framesIn: texts.map(frames) };
}

describe('simulator chunks and reads', () => {
  it('packs several tokens into some chunks by default, each with its logprobs', async () => {
    const { chunks, completionTokens, text } = await viaSDK(QUICK);
    expect(text).toBe(answerFor(PROMPT));
    expect(completionTokens).toBeGreaterThan(chunks.length);
    const packed = chunks.filter((c) => c.tokens.length >= 2);
    expect(packed.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c.tokens.join('')).toBe(c.text);
  });

  it('delivers several frames in one body read by default, answer frames included', async () => {
    const { texts, frames, framesIn } = await reads(QUICK);
    expect(texts.length).toBeLessThan(frames);
    const contentBatched = texts.filter((t) => (t.match(/"delta":\{"content":"[^"]/g) ?? []).length >= 2);
    expect(contentBatched.length).toBeGreaterThan(0);
    expect(Math.max(...framesIn)).toBeGreaterThanOrEqual(2);
  });

  it('sends one token a chunk and one frame a read when packing and batching are 0', async () => {
    const { chunks, completionTokens } = await viaSDK(OFF);
    expect(chunks.length).toBe(completionTokens);
    const { texts, frames } = await reads(OFF);
    expect(texts.length).toBe(frames);
  });

  it('packs the same chunks again for the same seed', async () => {
    const a = await viaSDK(QUICK, 9);
    const b = await viaSDK(QUICK, 9);
    expect(a.chunks).toEqual(b.chunks);
  });
});
