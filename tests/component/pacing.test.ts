import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import PacingControl from '../../src/lib/components/PacingControl.svelte';
import PacingStats from '../../src/lib/components/PacingStats.svelte';
import { NO_FIGURES, PacingTally } from '../../src/lib/metrics/pacing';

describe('PacingControl', () => {
  it('is labelled Display pacing and offers raw, word by word and line by line', () => {
    render(PacingControl, { mode: 'raw' });
    const select = screen.getByLabelText('Display pacing') as HTMLSelectElement;
    expect([...select.options].map((o) => o.text)).toEqual([
      'Raw (as it arrives)',
      'Word by word',
      'Line by line',
    ]);
    expect(select.value).toBe('raw');
  });
});

describe('PacingStats', () => {
  it('shows time to first visible token, added delay p50 and p95, and burstiness', () => {
    // Two chunks of 10 characters; the first shown 16 ms after it arrived, the second 40 ms after,
    // over three frames of which the middle one revealed nothing.
    const tally = new PacingTally();
    tally.arrive(100, 10);
    tally.arrive(120, 20);
    tally.reveal(116, 10);
    tally.reveal(160, 20);
    for (const chars of [10, 10, 20]) tally.frame(chars);
    render(PacingStats, { figures: tally.figures, mode: 'word' });
    const stats = screen.getByRole('group', { name: 'Display pacing cost' });
    expect(stats).toHaveTextContent('Word by word');
    expect(screen.getByTestId('pacing-first')).toHaveTextContent('first visible token 116 ms');
    expect(screen.getByTestId('pacing-delay')).toHaveTextContent('added delay p50 16 ms, p95 40 ms');
    expect(screen.getByTestId('pacing-burstiness')).toHaveTextContent(
      'burstiness CV 0.71, 33% of 3 frames revealed nothing',
    );
  });

  it('shows dashes before anything has been revealed', () => {
    render(PacingStats, { figures: NO_FIGURES, mode: 'raw' });
    expect(screen.getByTestId('pacing-first')).toHaveTextContent('first visible token –');
    expect(screen.getByTestId('pacing-delay')).toHaveTextContent('p50 –, p95 –');
    expect(screen.getByTestId('pacing-burstiness')).toHaveTextContent('burstiness –');
  });
});
