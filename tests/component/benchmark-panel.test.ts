/**
 * A single lab's Benchmark panel, through roles and labels: the lab's own request repeated on the
 * current connection (the real simulator), and the warning before billed requests; a lab with
 * two wire formats benchmarks both side by side, and a lab whose benchmark repeats something
 * other than its Run says what.
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'svelte';
import { describe, expect, it } from 'vitest';
import BenchmarkPanel from '../../src/lib/components/BenchmarkPanel.svelte';
import { appContext } from '../../src/lib/state/context';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { memoryStorage } from '../../src/lib/storage/store';

const BOTH_FORMATS = [
  { name: 'Chat Completions', api: 'chat' as const },
  { name: 'Responses', api: 'responses' as const },
];

const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  max_tokens: 4,
  include_usage: true,
};

async function setup(
  provider: 'simulator' | 'openai',
  props: Partial<ComponentProps<typeof BenchmarkPanel>> = {},
) {
  const settings = new SettingsState();
  await settings.load(memoryStorage());
  const timing = { ttftMs: 5, tokenMs: 1, jitter: 0 };
  await settings.save({ ...settings.settings, provider, timing }, null);
  render(BenchmarkPanel, {
    props: { lab: 'basic-streaming', request, busy: false, ...props },
    context: appContext(settings),
  });
  // jsdom does not open a <details> on a click on its summary: open it as the browser would.
  const details = screen.getByText('Benchmark: repeat this request').closest('details')!;
  details.open = true;
  await fireEvent(details, new Event('toggle'));
  return userEvent.setup();
}

describe('Benchmark panel', () => {
  it('repeats the lab request N times and shows each metric over the N runs', async () => {
    const user = await setup('simulator');
    const repeat = screen.getByLabelText('Repeat');
    await user.clear(repeat);
    await user.type(repeat, '5');
    await user.click(screen.getByRole('button', { name: 'Benchmark 5 requests' }));
    const progress = screen.getByRole('progressbar', { name: 'Benchmark progress' });
    await expect.poll(() => progress.getAttribute('value')).toBe('5');
    expect(progress.getAttribute('max')).toBe('5');
    const ttft = screen.getByRole('table', { name: 'TTFT distribution' });
    const row = within(ttft).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell')[0]!.textContent).toBe('5');
    expect(screen.getByRole('status').textContent).toContain('5 of 5 requests, done');
  });

  it('asks before sending more than 10 billed requests, and sends nothing when cancelled', async () => {
    const user = await setup('openai');
    const repeat = screen.getByLabelText('Repeat');
    await user.clear(repeat);
    await user.type(repeat, '11');
    await user.click(screen.getByRole('button', { name: 'Benchmark 11 requests' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Confirm billed requests' });
    expect(confirm.textContent).toMatch(/11 requests.*billed/s);
    // The question takes the focus.
    expect(document.activeElement).toBe(
      within(confirm).getByRole('button', { name: 'Send 11 billed requests' }),
    );
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('two wire formats: each repeat sends both, and each format has its own distribution', async () => {
    const user = await setup('simulator', { lab: 'wire-formats', lanes: BOTH_FORMATS });
    const repeat = screen.getByLabelText('Repeat');
    await user.clear(repeat);
    await user.type(repeat, '3');
    await user.click(screen.getByRole('button', { name: 'Benchmark 6 requests' }));
    const progress = screen.getByRole('progressbar', { name: 'Benchmark progress' });
    await expect.poll(() => progress.getAttribute('value')).toBe('6');
    const rows = within(screen.getByRole('table', { name: 'TTFT distribution' })).getAllByRole('row');
    expect(
      rows
        .slice(1)
        .map((r) => [r.querySelector('th')?.textContent, within(r).getAllByRole('cell')[0]!.textContent]),
    ).toEqual([
      ['Chat Completions', '3'],
      ['Responses', '3'],
    ]);
    expect(screen.getByText(/sends the request by both formats/)).toBeTruthy();
  });

  it('two wire formats on a billed endpoint: the warning counts both formats’ requests', async () => {
    const user = await setup('openai', { lab: 'wire-formats', lanes: BOTH_FORMATS });
    const repeat = screen.getByLabelText('Repeat');
    await user.clear(repeat);
    await user.type(repeat, '6');
    await user.click(screen.getByRole('button', { name: 'Benchmark 12 requests' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Confirm billed requests' });
    expect(confirm.textContent).toMatch(/12 requests.*billed/s);
  });

  it.each([
    ['early-stop', /does not stop at the stop phrase/],
    ['compare', /non-streamed one is not/],
    ['chat', /every repeat is the same request, not a new turn/],
  ])('%s: the panel says what it repeats', async (lab, note) => {
    await setup('simulator', { lab });
    expect(screen.getByText(note)).toBeTruthy();
  });
});
