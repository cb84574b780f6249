import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StreamOutput from '../../src/lib/components/StreamOutput.svelte';

describe('StreamOutput', () => {
  it('shows the text with a cursor while running', () => {
    render(StreamOutput, { status: 'running', text: 'Partial answ' });
    const region = screen.getByRole('region', { name: 'Output' });
    expect(region).toHaveTextContent('Partial answ▌');
    expect(region).toHaveAttribute('aria-busy', 'true');
  });

  it('marks a stopped answer incomplete and keeps its text', () => {
    render(StreamOutput, { status: 'stopped', text: 'Half of it' });
    expect(screen.getByRole('region', { name: 'Output' })).toHaveTextContent('Half of it');
    expect(screen.getByText(/Incomplete: stopped/)).toBeInTheDocument();
  });

  it('says nothing about completeness when the stream finished', () => {
    render(StreamOutput, { status: 'done', text: 'All of it' });
    expect(screen.queryByTestId('incomplete')).toBeNull();
  });
});
