/**
 * Metrics for a reasoning model in real Chromium: Token stats against the test server's
 * `reasoning-content` scenario (DeepSeek-style reasoning_content, then the answer, then usage with
 * reasoning and cached token counts). Order comes from the server's 'reasoned' gate, never speed.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_TEXT, REASONING_TEXT } from '../server/sse-server';
import { KEY, connect, exportRun, useHarness } from './harness';

const h = useHarness();

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

interface Exported {
  chunks: { t: number; text: string }[];
  reasoning?: { text: string; chunks: { t: number; text: string }[] };
  metrics: Record<string, number | null>;
  usage: { completion_tokens: number; completion_tokens_details?: { reasoning_tokens: number } };
  text: string;
}

describe('reasoning metrics', () => {
  it('Token stats times reasoning apart from the answer, splits the tokens, and exports and charts both', async () => {
    // In dark mode: the lines must read on the dark page too.
    const page = await h.open('#/token-stats', (p) => p.emulateMedia({ colorScheme: 'dark' }));
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
    const colours = await page.evaluate(() => ({
      page: getComputedStyle(document.body).backgroundColor,
      lines: [...document.querySelectorAll('.u-legend .u-series')].slice(1).map((row) => ({
        name: row.textContent ?? '',
        stroke: getComputedStyle(row.querySelector('.u-marker')!).borderColor,
      })),
    }));
    expect(contrast(colours.page, 'rgb(0, 0, 0)')).toBeLessThan(2); // the dark theme is on
    expect(colours.lines.map((l) => l.name.replace(/[^A-Za-z ]/g, '').trim())).toEqual([
      'Reasoning',
      'Answer',
    ]);
    expect(new Set(colours.lines.map((l) => l.stroke)).size).toBe(2);
    for (const line of colours.lines) expect(contrast(line.stroke, colours.page)).toBeGreaterThanOrEqual(3);

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
