import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import WireView from '../../src/lib/components/WireView.svelte';
import { buildConnection } from '../../src/lib/engine/connection';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { RunState } from '../../src/lib/state/run.svelte';
import { WireLog } from '../../src/lib/engine/wire';

/**
 * The rows on the page, found by tag: a role query computes every element's styles to tell whether
 * it is hidden, which for 400 rows in jsdom takes long enough that polling for them outlasts a
 * waitFor on a busy machine. Role queries check the rows' roles where there are few.
 */
const rows = () => [...document.querySelectorAll('tr')];

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

  it('tags each frame with what it carries, in words: comment, role, reasoning, content, tool call, finish, usage, [DONE], error', () => {
    const wire = new WireLog();
    wire.begin();
    const data = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;
    const delta = (d: Record<string, unknown>, finish: string | null = null) =>
      data({ choices: [{ index: 0, delta: d, finish_reason: finish }] });
    const body = [
      ': OPENROUTER PROCESSING\n\n',
      delta({ role: 'assistant', content: '' }),
      delta({ reasoning: 'PONDER it', reasoning_details: [{ type: 'reasoning.text', text: 'PONDER it' }] }),
      delta({ content: 'ANSWER-OK' }),
      delta({
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      }),
      delta({}, 'tool_calls'),
      data({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }),
      data({ error: { message: 'Upstream overloaded' } }),
      'data: [DONE]\n\n',
    ];
    for (const part of body) wire.record(1, new TextEncoder().encode(part));
    render(WireView, { wire });

    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(body.length);
    // The "kind" column holds one tag per thing the frame carries.
    const kind = screen.getAllByRole('columnheader').findIndex((th) => th.textContent === 'kind');
    const tagsOf = (row: HTMLElement) =>
      [...within(row).getAllByRole('cell')[kind]!.children].map((tag) => tag.textContent);
    expect(rows.map(tagsOf)).toEqual([
      ['comment'],
      ['role'],
      ['reasoning'],
      ['content'],
      ['tool call'],
      ['finish'],
      ['usage'],
      ['error'],
      ['[DONE]'],
    ]);
    // The reasoning row says which field it came from and is not called content.
    const reasoning = screen.getByText(/reasoning \+ "PONDER it"/);
    expect(within(reasoning.closest('tr')!).queryByText('content')).toBeNull();
    expect(screen.getByText('call 0 get_weather + ""')).toBeInTheDocument();
    expect(screen.getByText('error: Upstream overloaded')).toBeInTheDocument();
  });

  it('parses only the frames it shows: a window of 400 rows, from which any frame can be reached', async () => {
    const wire = new WireLog();
    wire.begin();
    for (let i = 0; i < 1000; i++)
      wire.record(
        1,
        new TextEncoder().encode(`data: {"choices":[{"index":0,"delta":{"content":"w${i}"}}]}\n\n`),
      );
    let parsed = 0;
    wire.frames = wire.frames.map((frame) => {
      const data = frame.data;
      return Object.defineProperty({ ...frame }, 'data', {
        get: () => {
          parsed++;
          return data;
        },
      });
    });
    render(WireView, { wire });
    const firstCells = () =>
      rows()
        .slice(1, 2)
        .map((r) => r.querySelector('td')?.textContent);
    // 25 rows first, then 25 more each frame up to the window's 400.
    expect(screen.getAllByRole('row')).toHaveLength(1 + 25);
    expect(screen.getByText('Frames 0–24 of 1000')).toBeInTheDocument();
    await waitFor(() => expect(rows()).toHaveLength(1 + 400));
    expect(parsed).toBe(400);
    expect(screen.getByText('Frames 0–399 of 1000')).toBeInTheDocument();
    // The newest frames, still 400 rows.
    await fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
    expect(screen.getAllByRole('row')).toHaveLength(1 + 400);
    expect(rows().at(-1)!.querySelector('td')?.textContent).toBe('999');
    // Any frame by its number: the window starts there.
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Go to #' }), { target: { value: '123' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Go' }));
    expect(firstCells()).toEqual(['123']);
    expect(rows()).toHaveLength(1 + 400);
    await fireEvent.click(screen.getByRole('button', { name: 'Earlier' }));
    expect(firstCells()).toEqual(['0']);
    // Every frame shown was parsed once, however often the window moved: 0–399, 600–999, 400–522.
    expect(parsed).toBe(923);
  }, 30_000);

  it('grows a window that follows the newest rows too, in row groups that keep their rows, and starts small again for a new run', async () => {
    const logOf = (frames: number) => {
      const wire = new WireLog();
      wire.begin();
      for (let i = 0; i < frames; i++)
        wire.record(
          1,
          new TextEncoder().encode(`data: {"choices":[{"index":0,"delta":{"content":"w${i}"}}]}\n\n`),
        );
      return wire;
    };
    const lastNumber = () => rows().at(-1)!.querySelector('td')?.textContent;
    const rowOf = (n: number) => rows().find((row) => row.querySelector('td')?.textContent === String(n))!;
    // Each row group (a <tbody>) by the numbers of its first and last rows.
    const groups = () =>
      [...document.querySelectorAll('tbody')].map((group) => {
        const numbers = [...group.querySelectorAll('tr')].map((row) =>
          Number(row.querySelector('td')!.textContent),
        );
        return [numbers[0], numbers.at(-1)];
      });
    const { rerender } = render(WireView, { wire: logOf(1010), compact: true });
    expect(screen.getAllByRole('row')).toHaveLength(1 + 25);
    expect(lastNumber()).toBe('1009');
    // Groups break at multiples of 25, wherever the window starts; each is a row group.
    expect(screen.getAllByRole('rowgroup')).toHaveLength(1 + 2);
    expect(groups()).toEqual([
      [985, 999],
      [1000, 1009],
    ]);
    const row999 = rowOf(999);
    const group999 = row999.parentElement;
    await waitFor(() => expect(rows()).toHaveLength(1 + 400));
    expect(lastNumber()).toBe('1009');
    expect(groups()).toEqual([
      [610, 624],
      ...Array.from({ length: 15 }, (_, k) => [625 + 25 * k, 649 + 25 * k]),
      [1000, 1009],
    ]);
    // As the window grew upwards, the rows already shown stayed the same nodes in the same groups.
    expect(rowOf(999)).toBe(row999);
    expect(rowOf(999).parentElement).toBe(group999);
    await rerender({ wire: logOf(600), compact: true });
    expect(screen.getAllByRole('row')).toHaveLength(1 + 25);
    expect(lastNumber()).toBe('599');
    await waitFor(() => expect(rows()).toHaveLength(1 + 400));
  }, 30_000);
});
