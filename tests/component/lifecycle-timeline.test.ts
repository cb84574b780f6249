/**
 * The Responses lifecycle timeline in jsdom: a real simulated Responses run drawn as it grows, the
 * drawing hidden from screen readers and its events in a table in order.
 */
import { render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LifecycleTimeline from '../../src/labs/wire-formats/LifecycleTimeline.svelte';
import { buildConnection } from '../../src/lib/engine/connection';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { RunState } from '../../src/lib/state/run.svelte';

describe('LifecycleTimeline', () => {
  it('follows a Responses run’s wire log and lists its events in order, deltas grouped', async () => {
    const run = new RunState('wire-formats');
    render(LifecycleTimeline, {
      get wire() {
        return run.wire;
      },
      get running() {
        return run.running;
      },
    });
    const simulator = createSimulator({ timing: () => ({ ttftMs: 0, tokenMs: 0, jitter: 0 }) });
    const connection = {
      ...buildConnection(
        { provider: 'simulator', customBaseURL: '', maxRetries: 0, stallSeconds: 30 },
        '',
        simulator,
      ),
      api: 'responses' as const,
    };
    await run.start({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, connection);
    expect(run.status).toBe('done');

    const table = screen.getByRole('table', { name: 'Responses events in order' });
    await waitFor(() =>
      expect(within(table).getAllByRole('row').at(-1)?.textContent).toContain('response.completed'),
    );
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('response.created');
    const deltas = rows.filter((r) => r.includes('response.output_text.delta'));
    expect(deltas).toHaveLength(1);
    const count = Number(/× (\d+)/.exec(deltas[0]!)?.[1]);
    expect(count).toBe(run.chunks.length);
    // The drawing is for the eye only: the table says the same to a screen reader.
    expect(document.querySelector('.drawing')?.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByRole('heading', { name: /Event lifecycle/ })).toBeInTheDocument();
  });
});
