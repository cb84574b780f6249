/**
 * A single lab's Benchmark panel, through roles and labels: the lab's own request repeated on the
 * current connection (the real simulator), and the warning before billed requests.
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import BenchmarkPanel from '../../src/lib/components/BenchmarkPanel.svelte';
import { appContext } from '../../src/lib/state/context';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { memoryStorage } from '../../src/lib/storage/store';

const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  max_tokens: 4,
  include_usage: true,
};

async function setup(provider: 'simulator' | 'openai') {
  const settings = new SettingsState();
  await settings.load(memoryStorage());
  const timing = { ttftMs: 5, tokenMs: 1, jitter: 0 };
  await settings.save({ ...settings.settings, provider, timing }, null);
  render(BenchmarkPanel, {
    props: { lab: 'basic-streaming', request, busy: false },
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
});
