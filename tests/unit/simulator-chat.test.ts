/**
 * The simulator's replies to conversations, read through the real SDK: a prompt that begins an
 * answer gets only its continuation, and chat replies answer the latest message using the turns
 * before it, as the Chat lab's history lesson needs.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { answerFor } from '../../src/lib/engine/simulator/answers';

type Message = OpenAI.Chat.ChatCompletionMessageParam;

const client = new OpenAI({
  baseURL: SIMULATOR_BASE_URL,
  apiKey: 'x',
  fetch: createSimulator({ timing: () => ({ ttftMs: 1, tokenMs: 0, jitter: 0 }) }),
  maxRetries: 0,
});

async function reply(messages: Message[]): Promise<string> {
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

const SYSTEM: Message = {
  role: 'system',
  content: 'You are a helpful coding tutor. Keep responses concise.',
};

/** Plays a conversation as the Chat lab does: each turn sends the whole history so far. */
async function converse(questions: string[]): Promise<{ history: Message[]; replies: string[] }> {
  const history: Message[] = [SYSTEM];
  const replies: string[] = [];
  for (const q of questions) {
    history.push({ role: 'user', content: q });
    const text = await reply(history);
    history.push({ role: 'assistant', content: text });
    replies.push(text);
  }
  return { history, replies };
}

describe('simulator continuations', () => {
  it('continues an unfinished sentence instead of repeating it', async () => {
    expect(await reply([{ role: 'user', content: 'The capital of France is' }])).toBe(' Paris.');
  });

  it('answers a finished question in full', async () => {
    const q = 'What is the capital of France?';
    expect(await reply([{ role: 'user', content: q }])).toBe(answerFor(q));
  });
});

describe('simulator chat replies', () => {
  it("plays the notebook's tutoring conversation: each reply answers its own question", async () => {
    const { replies } = await converse([
      'What is a function in programming?',
      'Can you show a simple example in Python?',
      'What about functions with parameters?',
    ]);
    expect(replies[0]).toBe(answerFor('What is a function in programming?'));
    expect(replies[1]).toMatch(/^Following on from your question about functions/);
    expect(replies[1]).toContain('def add_numbers(a, b):');
    // Turn 3 is about parameters: not turn 1 again.
    expect(replies[2]).not.toBe(replies[0]);
    expect(replies[2]).toMatch(/^Following on from your question about functions/);
    expect(replies[2]).toContain('def multiply(a, b=2):');
  });

  it('reads short follow-ups against the earlier topic and names it', async () => {
    const { replies } = await converse([
      'What is machine learning?',
      'Why?',
      'Make it shorter',
      'Can you give an example?',
      'What did I ask first?',
    ]);
    expect(replies[1]).toMatch(/your question about machine learning: because/);
    expect(replies[2]).toMatch(
      /^In short, going back to your question about machine learning: Machine learning is/,
    );
    expect(replies[3]).toMatch(/^Following on from your question about machine learning/);
    expect(replies[4]).toMatch(
      /^Your first question was “What is machine learning\?”, about machine learning\./,
    );
    expect(new Set(replies).size).toBe(replies.length);
  });

  it('answers "and in JavaScript?" with the earlier example in that language', async () => {
    const { replies } = await converse(['Show me an example in Python', 'And in JavaScript?']);
    expect(replies[1]).toContain('function addNumbers(a, b)');
    expect(replies[1]).toMatch(/^Following on from your question about a Python example/);
  });

  it('never gives a different question the text of an earlier reply', async () => {
    const { replies } = await converse([
      'What is a function in programming?',
      'Tell me about functions again',
      'Something the simulator does not know',
      'Another thing it does not know',
    ]);
    expect(replies[1]).not.toBe(replies[0]);
    expect(replies[1]).toContain('“Tell me about functions again”');
    expect(replies[2]).not.toBe(replies[3]);
  });

  it('answers the same latest question differently when the history differs', async () => {
    const afterFunctions = await converse(['What is a function in programming?', 'Why?']);
    const afterPoem = await converse(['Write a short poem about coding.', 'Why?']);
    expect(afterFunctions.replies[1]).toContain('question about functions');
    expect(afterPoem.replies[1]).toContain('question about a poem');
  });
});
