import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StreamOutput from '../../src/lib/components/StreamOutput.svelte';
import ToolCallCard from '../../src/lib/components/ToolCallCard.svelte';

const WEATHER = { name: 'get_weather', id: 'call_abc123', type: 'function' as const };

describe('ToolCallCard', () => {
  it('shows the function name, the call id and the arguments as they arrive', () => {
    render(ToolCallCard, { ...WEATHER, args: '{"city":"Par', ended: false });
    const card = screen.getByRole('article', { name: /get_weather/ });
    expect(card).toHaveTextContent('call_abc123');
    expect(within(card).getByLabelText('Arguments')).toHaveTextContent('{"city":"Par');
    // Half-arrived arguments are not judged while the stream runs.
    expect(within(card).queryByRole('note')).toBeNull();
  });

  it('pretty-prints the arguments once the run has ended', async () => {
    const { rerender } = render(ToolCallCard, { ...WEATHER, args: '{"city":"Paris"', ended: false });
    await rerender({ ...WEATHER, args: '{"city":"Paris","unit":"celsius"}', ended: true });
    const args = screen.getByLabelText('Arguments');
    expect(args.textContent).toBe('{\n  "city": "Paris",\n  "unit": "celsius"\n}');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('marks arguments that are not valid JSON and shows them raw', () => {
    render(ToolCallCard, { ...WEATHER, args: '{"city": Paris,}', ended: true });
    const card = screen.getByRole('article', { name: /get_weather/ });
    expect(within(card).getByRole('note')).toHaveTextContent('Arguments are not valid JSON');
    expect(within(card).getByLabelText('Arguments').textContent).toBe('{"city": Paris,}');
  });

  it('shows hostile arguments as text', () => {
    const { container } = render(ToolCallCard, {
      ...WEATHER,
      args: '<img src=x onerror=alert(1)>',
      ended: true,
    });
    expect(screen.getByLabelText('Arguments')).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(container.querySelector('img')).toBeNull();
  });

  it('says a custom tool is one and shows its free-form input without judging it as JSON', () => {
    render(ToolCallCard, { name: 'run_sql', id: 'ct_1', type: 'custom', args: 'SELECT 1', ended: true });
    const card = screen.getByRole('article', { name: /run_sql/ });
    expect(card).toHaveTextContent('custom tool');
    expect(within(card).getByLabelText('Input')).toHaveTextContent('SELECT 1');
    expect(within(card).queryByRole('note')).toBeNull();
  });
});

describe('StreamOutput with tool calls and other choices', () => {
  it('puts the cards inside Output, after the answer text', () => {
    render(StreamOutput, {
      status: 'done',
      text: 'Let me check.',
      toolCalls: [
        { ...WEATHER, args: '{"city":"Paris"}' },
        { name: 'get_time', id: 'call_2', type: 'function', args: '{"tz":"CET"}' },
      ],
    });
    const output = screen.getByRole('region', { name: 'Output' });
    const cards = within(output).getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual([
      'Tool call: get_weather',
      'Tool call: get_time',
    ]);
    const text = within(output).getByText('Let me check.');
    expect(text.compareDocumentPosition(cards[0]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('does not call a tool-call-only answer empty', () => {
    render(StreamOutput, { status: 'done', text: '', toolCalls: [{ ...WEATHER, args: '{}' }] });
    const output = screen.getByRole('region', { name: 'Output' });
    expect(output).not.toHaveTextContent(/Press Run|No answer text/);
  });

  it('says which other choices the stream carried', () => {
    render(StreamOutput, { status: 'done', text: 'Choice zero.', otherChoices: [1] });
    expect(screen.getByRole('region', { name: 'Output' })).toHaveTextContent(
      'The stream also carried choice 1 (n > 1); only choice 0 is shown.',
    );
  });
});
