/**
 * RunState feeding the metrics and the export: the real SDK and engine against the real local SSE
 * server, with a stream of reasoning, answer and a tool call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../../src/lib/engine/token-count';
import { RunState } from '../../src/lib/state/run.svelte';
import { chunk, DONE, startServer, type Scenario, type TestServer } from '../server/sse-server';

const REASONING = 'PONDER: the user wants the weather, so I will call the tool.';
const ANSWER = 'Checking the weather for you.';
const ARGS = '{"city":"Paris"}';

const delta = (d: Record<string, unknown>) => chunk([{ index: 0, delta: d, finish_reason: null }]);

/** Reasoning, answer, then a tool call; usage only when `usage` is given. */
const stream =
  (usage?: Record<string, unknown>): Scenario =>
  () => ({
    status: 200,
    steps: [
      { write: delta({ role: 'assistant', content: '' }) },
      ...REASONING.match(/[^]{1,9}/g)!.map((r) => ({ write: delta({ reasoning_content: r }) })),
      ...ANSWER.match(/[^]{1,5}/g)!.map((a) => ({ write: delta({ content: a }) })),
      {
        write: delta({
          tool_calls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        }),
      },
      ...ARGS.match(/[^]{1,4}/g)!.map((a) => ({
        write: delta({ tool_calls: [{ index: 0, function: { arguments: a } }] }),
      })),
      { write: chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }], usage ? { usage } : {}) },
      { write: DONE },
      { end: true },
    ],
  });

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    scenarios: {
      'no-usage': stream(),
      'with-usage': stream({
        prompt_tokens: 40,
        completion_tokens: 50,
        total_tokens: 90,
        completion_tokens_details: { reasoning_tokens: 30 },
      }),
    },
  });
});
afterAll(() => server.close());

async function run(model: string): Promise<RunState> {
  const state = new RunState('token-stats');
  await state.start(
    { model, messages: [{ role: 'user', content: 'weather?' }] },
    { baseURL: server.baseURL, apiKey: 'sk-test', fetch: globalThis.fetch, maxRetries: 0, stallMs: 30_000 },
  );
  return state;
}

describe('RunState metrics for reasoning and tool calls', () => {
  it('estimates N from reasoning, answer and tool arguments when the stream has no usage', async () => {
    const state = await run('no-usage');
    const [reasoning, answer, args] = await countTokens([REASONING, ANSWER, ARGS]);
    expect(state.metrics.tokensEstimated).toBe(true);
    expect(state.metrics.tokens).toBe(reasoning! + answer! + args!);
    expect(state.metrics.tokens).toBeGreaterThan(answer!);
    expect(state.metrics).toMatchObject({
      reasoningChunks: 7,
      chunks: 6,
      toolChunks: 4,
      reasoningTokens: null,
    });
    expect(state.metrics.firstGeneratedMs).toBe(state.metrics.firstReasoningMs);
    expect(state.metrics.headersMs).not.toBeNull();
    expect(state.metrics.headersMs!).toBeLessThanOrEqual(state.metrics.firstReasoningMs!);
  });

  it('exports the reasoning, the tool call and its pieces apart from the answer', async () => {
    const state = await run('with-usage');
    const file = state.exportRun();
    expect(file.text).toBe(ANSWER);
    expect(file.chunks.map((c) => c.text).join('')).toBe(ANSWER);
    expect(file.reasoning?.text).toBe(REASONING);
    expect(file.reasoning?.chunks).toHaveLength(7);
    expect(file.toolCalls).toEqual([
      { index: 0, id: 'call_1', name: 'get_weather', type: 'function', arguments: ARGS },
    ]);
    expect(file.toolChunks?.map((c) => c.text).join('')).toBe(ARGS);
    expect(file.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 30 });
    expect(file.metrics).toMatchObject({
      completionTokens: 50,
      reasoningTokens: 30,
      answerTokens: 20,
      tokensEstimated: false,
      reasoningChunks: 7,
      toolChunks: 4,
    });
    expect(file.metrics.firstReasoningMs!).toBeLessThanOrEqual(file.metrics.ttftMs!);
    expect(file.metrics.lastGeneratedMs).toBe(file.toolChunks?.at(-1)?.t);
  });
});
