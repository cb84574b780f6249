/**
 * A single-prompt lab (the first one, How LLMs generate) mounts in steps, top to bottom
 * (StreamLab, components/later.ts), and its folded Statistics panel builds its table only while
 * it is open. A run goes through the offline simulator, the default connection.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Generate from '../../src/labs/generate/Generate.svelte';
import { lab } from '../../src/labs/generate/lab';
import { appContext } from '../../src/lib/state/context';
import { RunsState } from '../../src/lib/state/runs.svelte';
import { SettingsState } from '../../src/lib/state/settings.svelte';

const open = () => render(Generate, { context: appContext(new SettingsState(), new RunsState()) });

describe('StreamLab', () => {
  it('mounts the intro first, Output a task later (under the controls), and the code after it', async () => {
    open();
    expect(screen.getByRole('heading', { name: lab.title })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Output' })).toBeNull();
    expect(screen.queryByText('Show code')).toBeNull();

    await screen.findByRole('region', { name: 'Output' });
    // What sits above Output is already there when it appears: nothing mounts above it later.
    expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument();
    expect(screen.getByText('Benchmark: repeat this request')).toBeInTheDocument();
    expect(screen.queryByText('Show code')).toBeNull();
    await screen.findByText('Show code');
  });

  it('builds the folded Statistics table only while the panel is open', async () => {
    open();
    await fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const summary = await screen.findByText('Statistics');
    await expect.poll(() => screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('table', { name: 'Statistics', hidden: true })).toBeNull();

    const details = summary.closest('details')!;
    details.open = true;
    await screen.findByRole('table', { name: 'Statistics' });
    details.open = false;
    await expect.poll(() => screen.queryByRole('table', { name: 'Statistics', hidden: true })).toBeNull();
  });
});
