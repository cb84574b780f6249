/**
 * Temperature sampling in the simulator, read through the real SDK: tokens drawn from the
 * alternatives it reports, seeded so a run can be repeated, and logprobs that describe the text sent.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { answerFor } from '../../src/lib/engine/simulator/answers';

// The SDK itself, so `seed` reaches the simulator whatever the app's request builder sends.
const client = new OpenAI({
  baseURL: SIMULATOR_BASE_URL,
  apiKey: 'x',
  fetch: createSimulator({ timing: () => ({ ttftMs: 1, tokenMs: 0, jitter: 0 }) }),
  maxRetries: 0,
});

const ML = 'What is machine learning?';

interface Sent {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

async function run(
  request: Partial<Omit<OpenAI.Chat.ChatCompletionCreateParamsStreaming, 'stream'>>,
): Promise<{ text: string; logprobs: Sent[] }> {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: ML }],
    ...request,
    stream: true,
  });
  let text = '';
  const logprobs: Sent[] = [];
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    text += choice?.delta.content ?? '';
    for (const t of choice?.logprobs?.content ?? []) {
      logprobs.push({ token: t.token, logprob: t.logprob, top: t.top_logprobs });
    }
  }
  return { text, logprobs };
}

describe('simulator temperature sampling', () => {
  it('sends exactly the built-in answer when no temperature is set', async () => {
    expect((await run({ seed: 7 })).text).toBe(answerFor(ML));
  });

  it('always takes the top token at temperature 0', async () => {
    for (const seed of [1, 2, 3]) expect((await run({ temperature: 0, seed })).text).toBe(answerFor(ML));
  });

  it('repeats the same stream for the same seed and request', async () => {
    const a = await run({ temperature: 1.5, seed: 42, logprobs: true, top_logprobs: 5 });
    const b = await run({ temperature: 1.5, seed: 42, logprobs: true, top_logprobs: 5 });
    expect(a.text).toBe(b.text);
    expect(a.logprobs).toEqual(b.logprobs);
    expect(a.text).not.toBe(answerFor(ML));
  });

  it('writes different text for different seeds at temperature 1.5', async () => {
    const texts = new Set<string>();
    for (const seed of [1, 2, 3]) texts.add((await run({ temperature: 1.5, seed })).text);
    expect(texts.size).toBe(3);
  });

  it("varies the Generate lab's continuation between seeds at temperature 1.5", async () => {
    const texts = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      texts.add(
        (
          await run({
            temperature: 1.5,
            seed,
            messages: [{ role: 'user', content: 'The capital of France is' }],
          })
        ).text,
      );
    }
    expect(texts).toContain(' Paris.');
    expect(texts.size).toBeGreaterThan(1);
  });

  it('reports logprobs for the tokens it sent: each chosen token is listed among its alternatives', async () => {
    const { text, logprobs } = await run({ temperature: 1.5, seed: 5, logprobs: true, top_logprobs: 5 });
    expect(logprobs.map((t) => t.token).join('')).toBe(text);
    for (const t of logprobs) {
      const listed = t.top.find((a) => a.token === t.token);
      expect(listed?.logprob).toBe(t.logprob);
    }
    // Some sent tokens were not the most likely one: that is what sampling means.
    expect(logprobs.some((t) => t.top[0]!.token !== t.token)).toBe(true);
  });
});
