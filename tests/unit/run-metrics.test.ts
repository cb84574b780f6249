/**
 * RunState feeding the metrics and the export: the real SDK and engine against the real local SSE
 * server, with a stream of reasoning, answer and a tool call.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countTokens } from '../../src/lib/engine/token-count';
import { RunState } from '../../src/lib/state/run.svelte';
import {
  chunk,
  content,
  DONE,
  pacedStream,
  startServer,
  type Scenario,
  type TestServer,
} from '../server/sse-server';

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

const LONG = Array.from({ length: 10_000 }, (_, i) => `w${i} `);

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
      // 10,000 chunks, 100 every 10 ms: 0.6 s and more of frames with the chunk list past 4,096.
      'long-list': (body) => pacedStream(LONG, body, { perWrite: 100, gap: 10 }),
      // 5,000 chunks at once, then nothing until the test releases gate 'pause', then the rest.
      'long-pause': () => ({
        status: 200,
        steps: [
          { write: LONG.slice(0, 5000).map(content).join('') },
          { gate: 'pause' },
          { write: LONG.slice(5000, 5010).map(content).join('') },
          { write: DONE },
          { end: true },
        ],
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
    expect(state.ttftMs).not.toBeNull();
    expect(state.ttftMs).toBe(state.metrics.ttftMs);
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

  it('computes the gap statistics in a task after the end, and exports them at once', async () => {
    const state = await run('with-usage');
    // The task that ends the stream renders the final answer; the statistics read every gap.
    expect(state.metrics.gaps).toBeNull();
    const exported = state.exportRun().metrics.gaps;
    expect(exported).toMatchObject({ p50: expect.any(Number), max: expect.any(Number) });
    await vi.waitFor(() => expect(state.metrics.gaps).not.toBeNull());
    expect(state.metrics.gaps).toMatchObject({ ...exported, count: 5 });
  });
});

describe('RunState publishing a long chunk list', () => {
  it('copies a list past 4,096 chunks only every 200 ms while streaming, and all of it at the end', async () => {
    const state = new RunState('token-stats');
    /** Each list `chunks` published while the run streamed, and when it was first seen. */
    const seen = new Map<readonly unknown[], number>();
    let textGrew = 0;
    let lastText = '';
    let behind = 0;
    await state.start(
      { model: 'long-list', messages: [{ role: 'user', content: 'go' }] },
      { baseURL: server.baseURL, apiKey: 'sk-test', fetch: globalThis.fetch, maxRetries: 0, stallMs: 30_000 },
      {
        onEvent: () => {
          if (!state.running) return;
          if (!seen.has(state.chunks)) seen.set(state.chunks, performance.now());
          // The chunks that went out with the text, every frame: the text is exactly theirs.
          const { list, count } = state.arrivedChunks;
          if (state.text.length !== list.slice(0, count).reduce((n, c) => n + c.text.length, 0)) behind++;
          if (state.text !== lastText) {
            lastText = state.text;
            textGrew++;
          }
        },
      },
    );
    const long = [...seen].filter(([list]) => list.length > 4096);
    expect(long.length).toBeGreaterThan(0);
    // At most one copy per 200 ms (the metrics' pace) once long, while the text went on every frame.
    const spanMs = long.at(-1)![1] - long[0]![1];
    expect(long.length).toBeLessThanOrEqual(1 + Math.floor(spanMs / 200) + 1);
    expect(textGrew).toBeGreaterThan(long.length);
    expect(behind).toBe(0);
    expect(state.chunks).toHaveLength(LONG.length);
    expect(state.chunks.map((c) => c.text).join('')).toBe(LONG.join(''));
    expect(state.text).toBe(LONG.join(''));
  });

  it('still publishes a held-back list when the stream pauses', async () => {
    const state = new RunState('token-stats');
    // The pause lasts until every one of the first 5,000 is out, however long a busy machine takes.
    const pause = server.hold('pause');
    const done = state.start(
      { model: 'long-pause', messages: [{ role: 'user', content: 'go' }] },
      { baseURL: server.baseURL, apiKey: 'sk-test', fetch: globalThis.fetch, maxRetries: 0, stallMs: 30_000 },
    );
    await pause.reached;
    await vi.waitFor(() => expect(state.arrivedChunks.list).toHaveLength(5000), { timeout: 10_000 });
    // No event comes during the pause: only the pacing's own timer can publish the held-back list.
    await vi.waitFor(() => expect(state.chunks).toHaveLength(5000), { timeout: 10_000 });
    pause.release();
    await done;
    expect(state.chunks).toHaveLength(5010);
  });
});
