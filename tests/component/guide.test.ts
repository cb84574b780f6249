import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Term from '../../src/lib/components/Term.svelte';
import TryThis from '../../src/lib/components/TryThis.svelte';
import { GLOSSARY } from '../../src/lib/glossary';
import { appContext } from '../../src/lib/state/context';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { loadProgress, saveProgress } from '../../src/lib/storage/progress';
import { memoryStorage } from '../../src/lib/storage/store';

describe('Term', () => {
  it('shows its definition while focused, describes the term with it, and hides it on Escape', async () => {
    render(Term, { term: 'TPOT' });
    const term = screen.getByRole('button', { name: 'TPOT' });
    expect(screen.queryByRole('tooltip')).toBeNull();
    await fireEvent.focus(term);
    expect(screen.getByRole('tooltip')).toHaveTextContent(GLOSSARY.TPOT);
    expect(term).toHaveAttribute('aria-description', GLOSSARY.TPOT);
    await fireEvent.keyDown(term, { key: 'Escape' });
    expect(screen.queryByRole('tooltip')).toBeNull();
    await fireEvent.blur(term);
    await fireEvent.focus(term);
    expect(screen.getByRole('tooltip')).toBeVisible();
  });
});

describe('TryThis', () => {
  it('numbers the steps, keeps a tick in storage, and reveals the check explanation on demand', async () => {
    const storage = memoryStorage();
    await saveProgress(storage, { demo: [2] });
    render(TryThis, {
      props: {
        lab: 'demo',
        steps: ['Press the button.', 'Read the [[TTFT]].'],
        check: () => ({ question: 'Why 0.42 s?', why: 'Because of the wait.' }),
      },
      context: appContext(new SettingsState(), undefined, storage),
    });
    // The steps mount a task after the heading (components/later.ts).
    const boxes = await screen.findAllByRole('checkbox');
    expect(boxes).toHaveLength(2);
    // The stored tick shows once storage has been read.
    await expect.poll(() => (boxes[1] as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('button', { name: 'TTFT' })).toBeInTheDocument();
    await fireEvent.click(boxes[0]!);
    await expect.poll(() => loadProgress(storage)).toEqual({ demo: [1, 2] });
    expect(screen.getByText('Why 0.42 s?')).toBeInTheDocument();
    expect(screen.getByText('Because of the wait.')).not.toBeVisible();
    await fireEvent.click(screen.getByText('Show why'));
    expect(screen.getByText('Because of the wait.')).toBeVisible();
  });
});
