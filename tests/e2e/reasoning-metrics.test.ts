/**
 * Metrics for a reasoning model in real Chromium: Token stats against the test server's
 * `reasoning-content` scenario (DeepSeek-style reasoning_content, then the answer, then usage with
 * reasoning and cached token counts). Order comes from the server's 'reasoned' gate, never speed.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_TEXT, REASONING_TEXT } from '../server/sse-server';
import { KEY, connect, exportRun, useHarness } from './harness';

const h = useHarness();

interface Exported {
  chunks: { t: number; text: string }[];
  reasoning?: { text: string; chunks: { t: number; text: string }[] };
  metrics: Record<string, number | null>;
  usage: { completion_tokens: number; completion_tokens_details?: { reasoning_tokens: number } };
  text: string;
}

describe('reasoning metrics', () => {
  it('Token stats times reasoning apart from the answer, splits the tokens, and exports and charts both', async () => {
    const page = await h.open('#/token-stats');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'reasoning-content' });
    const stats = page.getByRole('table', { name: 'Statistics' });
    const row = async (name: RegExp) => (await stats.getByRole('row', { name }).textContent()) ?? '';
    const msIn = async (name: RegExp) => Number(/(\d+(?:\.\d)?) ms/.exec(await row(name))?.[1]);

    // Held after the reasoning: the answer's first piece can only arrive after the page has shown
    // the reasoning's timing, so first reasoning token < TTFT holds whatever the machine's speed.
    const gate = h.api.hold('reasoned');
    await page.getByRole('button', { name: 'Run' }).click();
    await gate.reached;
    await expect.poll(() => row(/Time to first reasoning token/)).toMatch(/\d ms/);
    const legend = page.locator('.u-legend');
    await expect.poll(() => legend.textContent()).toContain('Reasoning');
    gate.release();
    await expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);

    const firstReasoning = await msIn(/Time to first reasoning token/);
    const ttft = await msIn(/Time to first token/);
    expect(firstReasoning).toBeLessThan(ttft);
    expect(await msIn(/Reasoning duration/)).toBeGreaterThan(0);
    expect(await row(/Time to headers/)).toMatch(/\d ms/);
    expect(await row(/Completion tokens/)).toContain('31 = reasoning 20 + answer 11');
    expect(await row(/Completion tokens/)).not.toContain('estimated');
    expect(await row(/Cached prompt tokens/)).toContain('8');

    // The chart names both lines; the answer's line came in after the reasoning's.
    await expect.poll(() => legend.textContent()).toMatch(/Reasoning.*Answer/);

    const run = (await exportRun(page)) as unknown as Exported;
    // Reasoning travels apart from the answer's chunks, and never into them.
    expect(run.chunks.map((c) => c.text).join('')).toBe(ANSWER_TEXT);
    expect(run.text).toBe(ANSWER_TEXT);
    expect(run.reasoning?.text).toBe(REASONING_TEXT);
    expect(run.reasoning?.chunks.map((c) => c.text).join('')).toBe(REASONING_TEXT);
    expect(JSON.stringify(run.chunks)).not.toContain('PONDER');
    expect(run.usage.completion_tokens_details?.reasoning_tokens).toBe(20);
    const m = run.metrics;
    expect(m).toMatchObject({
      reasoningTokens: 20,
      answerTokens: 11,
      cachedTokens: 8,
      chunks: run.chunks.length,
      reasoningChunks: run.reasoning?.chunks.length,
    });
    expect(m.firstReasoningMs).toBe(run.reasoning?.chunks[0]?.t);
    expect(m.ttftMs).toBe(run.chunks[0]?.t);
    expect(m.firstReasoningMs!).toBeLessThan(m.ttftMs!);
    // Headers come before the body; the first text is painted after it arrived.
    expect(m.headersMs!).toBeLessThanOrEqual(m.firstReasoningMs!);
    expect(m.firstVisibleMs!).toBeGreaterThanOrEqual(m.firstReasoningMs!);
    // TPOT runs from the first generated token (reasoning), over all 31 tokens.
    expect(m.firstGeneratedMs).toBe(m.firstReasoningMs);
    expect(m.lastGeneratedMs).toBe(run.chunks.at(-1)?.t);
    expect(m.tpotMs).toBeCloseTo((m.lastGeneratedMs! - m.firstGeneratedMs!) / 30, 6);
  });
});
