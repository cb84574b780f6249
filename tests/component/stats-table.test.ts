import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StatsTable from '../../src/lib/components/StatsTable.svelte';
import { streamMetrics } from '../../src/lib/metrics/metrics';

const at = (...times: number[]) => times.map((t) => ({ t, text: 'ab' }));

/** The value cell of the statistics row whose name matches. */
function value(name: RegExp): string {
  const table = screen.getByRole('table', { name: 'Statistics' });
  return within(table).getByRole('row', { name }).querySelector('td')?.textContent ?? '';
}
function hasRow(name: RegExp): boolean {
  const table = screen.getByRole('table', { name: 'Statistics' });
  return within(table).queryByRole('row', { name }) !== null;
}

describe('StatsTable', () => {
  it('shows a plain answer as before, plus time to headers and first visible token', () => {
    const metrics = streamMetrics({
      arrivals: at(100, 150, 300),
      usage: { prompt_tokens: 9, completion_tokens: 5 },
      headersMs: 42,
      firstVisibleMs: 120,
    });
    render(StatsTable, { metrics, allChunks: 6, closedMs: 310 });
    expect(value(/^Chunks received/)).toBe('6 (3 with text)');
    expect(value(/^Time to headers/)).toBe('42 ms');
    expect(value(/^Time to first token/)).toBe('100 ms');
    expect(value(/^Time to first visible token/)).toBe('120 ms');
    expect(value(/^Completion tokens/)).toBe('5');
    expect(value(/^Time per output token/)).toBe('50 ms');
    expect(value(/^Decode rate/)).toBe('20.0 tok/s');
    for (const name of [/first reasoning token/, /Reasoning duration/, /Cached prompt tokens/]) {
      expect(hasRow(name)).toBe(false);
    }
    expect(screen.queryByText(/reasoning \d+ \+ answer/)).toBeNull();
  });

  it('adds first reasoning token, reasoning duration and the reasoning/answer split for a reasoning run', () => {
    const metrics = streamMetrics({
      reasoning: at(50, 400, 1000),
      arrivals: at(1050, 1100),
      usage: {
        prompt_tokens: 20,
        completion_tokens: 1000,
        completion_tokens_details: { reasoning_tokens: 900 },
        prompt_tokens_details: { cached_tokens: 16 },
      },
      headersMs: 30,
    });
    render(StatsTable, { metrics, allChunks: 8 });
    expect(value(/^Chunks received/)).toBe('8 (2 with answer text; 3 with reasoning)');
    expect(value(/^Time to first reasoning token/)).toBe('50 ms');
    expect(value(/^Time to first token/)).toBe('1050 ms');
    expect(value(/^Reasoning duration/)).toBe('1000 ms');
    expect(value(/^Completion tokens/)).toBe('1000 = reasoning 900 + answer 100');
    expect(value(/^Cached prompt tokens/)).toBe('16');
    // TPOT over all 1000 tokens from the first reasoning token: 1050 ms / 999.
    expect(value(/^Time per output token/)).toBe('1.1 ms');
    expect(value(/^Decode rate/)).toBe('951.4 tok/s');
    expect(value(/^Characters/)).toBe('4 (+ 6 reasoning)');
  });

  it('explains each row with its definition, rows that do not apply left out', () => {
    const metrics = streamMetrics({ reasoning: at(10), arrivals: at(20), usage: null, estimatedTokens: 4 });
    render(StatsTable, { metrics });
    const table = screen.getByRole('table', { name: 'Statistics' });
    expect(within(table).getByRole('rowheader', { name: /Reasoning duration/ })).toHaveAttribute(
      'title',
      expect.stringMatching(/first reasoning event to the first answer event/i),
    );
    expect(within(table).getByRole('rowheader', { name: /Time to first visible token/ })).toHaveAttribute(
      'title',
      expect.stringMatching(/animation-frame callback/),
    );
    expect(within(table).getByRole('rowheader', { name: /Time per output token/ })).toHaveAttribute(
      'title',
      expect.stringMatching(/reasoning \+ answer/),
    );
    expect(value(/^Completion tokens/)).toBe('4estimated');
    const definitions = screen.getByText('How these are measured').closest('details')!;
    expect(within(definitions).getByText('Reasoning duration')).toBeInTheDocument();
    expect(within(definitions).queryByText('Cached prompt tokens')).toBeNull();
  });
});
