import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import WireView from '../../src/lib/components/WireView.svelte';
import { buildConnection } from '../../src/lib/engine/connection';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { RunState } from '../../src/lib/state/run.svelte';

describe('WireView', () => {
  it('follows the run’s wire log as it grows, with nothing but run.wire passed in', async () => {
    const run = new RunState('wire-view-test');
    render(WireView, {
      get wire() {
        return run.wire;
      },
    });
    expect(screen.getByText(/0 network reads/)).toBeInTheDocument();
    const simulator = createSimulator({ timing: () => ({ ttftMs: 0, tokenMs: 0, jitter: 0 }) });
    const connection = buildConnection(
      { provider: 'simulator', customBaseURL: '', maxRetries: 0, stallSeconds: 30 },
      '',
      simulator,
    );
    await run.start({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, connection);
    expect(run.wire.frames.length).toBeGreaterThan(2);
    await waitFor(() =>
      expect(screen.getByText(new RegExp(`${run.wire.frames.length} SSE frames`))).toBeInTheDocument(),
    );
  });
});
