import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import GapHistogram from '../../src/lib/components/GapHistogram.svelte';

describe('GapHistogram', () => {
  it('draws the gaps of a run longer than Math.max can take spread (300,000 chunks)', () => {
    const gaps = Array.from({ length: 300_000 }, (_, i) => (i % 50) / 10);
    render(GapHistogram, { gaps });
    expect(screen.getByRole('img', { name: /Histogram of the 300000 gaps/ })).toBeInTheDocument();
    // Twenty bins from 0 to the longest gap, 4.9 ms: the last x tick is the top of that range.
    const xTicks = [...document.querySelectorAll('text.tick[data-axis="x"]')].map((t) =>
      Number(t.textContent),
    );
    expect(Math.max(...xTicks)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...xTicks)).toBeLessThanOrEqual(5);
  });
});
