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

describe('StreamOutput after a failed run', () => {
  it('says nothing arrived, and points to no text above, when the run failed before any text', () => {
    render(StreamOutput, { status: 'error', text: '' });
    const note = screen.getByTestId('incomplete');
    expect(note).toHaveTextContent(/Nothing arrived/);
    expect(screen.getByRole('region', { name: 'Output' })).not.toHaveTextContent(/text above/);
  });

  it('keeps partial text marked incomplete when the run failed midway', () => {
    render(StreamOutput, { status: 'error', text: 'Half an ans' });
    expect(screen.getByRole('region', { name: 'Output' })).toHaveTextContent('Half an ans');
    expect(screen.getByTestId('incomplete')).toHaveTextContent(/the text above is what arrived/);
  });
});
