import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ReasoningLane from '../../src/lib/components/ReasoningLane.svelte';

describe('ReasoningLane', () => {
  it('shows the reasoning in a region named Reasoning, open while it streams', () => {
    render(ReasoningLane, { text: 'First, the user wants', streaming: true });
    const lane = screen.getByRole('region', { name: 'Reasoning' });
    expect(lane).toHaveTextContent('First, the user wants');
    expect(lane).toBeVisible();
    expect(lane.closest('details')).toHaveAttribute('open');
    expect(screen.getByText(/Reasoning · 21 chars/)).toBeInTheDocument();
  });

  it('shows hostile reasoning as text: no element is ever made from it', () => {
    const hostile = '<img src=x onerror=alert(1)> **not bold** <script>alert(2)</script>';
    const { container } = render(ReasoningLane, { text: hostile, streaming: false });
    const lane = screen.getByRole('region', { name: 'Reasoning' });
    expect(lane).toHaveTextContent(hostile, { normalizeWhitespace: false });
    expect(container.querySelector('img, script, strong')).toBeNull();
  });

  it('says how long the model reasoned once the reasoning is over', () => {
    render(ReasoningLane, { text: 'Hmm.', firstMs: 200, lastMs: 3400, streaming: false });
    expect(screen.getByText(/reasoned for 3\.2 s/)).toBeInTheDocument();
  });

  it('follows the text as it grows', async () => {
    const { rerender } = render(ReasoningLane, { text: 'Step 1', streaming: true });
    await rerender({ text: 'Step 1. Step 2', streaming: true });
    expect(screen.getByRole('region', { name: 'Reasoning' })).toHaveTextContent('Step 1. Step 2');
  });

  it('starts collapsed in history, as a group named Reasoning rather than a region', () => {
    render(ReasoningLane, { text: 'Old thoughts', open: false, region: false });
    expect(screen.queryByRole('region', { name: 'Reasoning' })).toBeNull();
    const group = screen.getByRole('group', { name: 'Reasoning' });
    expect(group).not.toHaveAttribute('open');
    expect(within(group).getByText('Old thoughts')).not.toBeVisible();
  });
});
