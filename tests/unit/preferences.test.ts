/**
 * The display pacing choice is remembered: PacingChoice over real storage code (the memory store
 * the app falls back to; IndexedDB itself is covered end to end in tests/e2e/first-load.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { PacingChoice } from '../../src/lib/state/pacing.svelte';
import { loadPreferences, savePreferences } from '../../src/lib/storage/preferences';
import { memoryStorage } from '../../src/lib/storage/store';

describe('remembered display pacing', () => {
  it('a choice is stored, and the next page (a new PacingChoice on the same storage) starts with it', async () => {
    const storage = memoryStorage();
    const first = new PacingChoice();
    await first.attach(storage);
    expect(first.mode).toBe('raw');
    first.mode = 'word';
    await expect.poll(() => loadPreferences(storage)).toEqual({ pacing: 'word' });

    const reloaded = new PacingChoice();
    expect(reloaded.mode).toBe('raw');
    await reloaded.attach(storage);
    expect(reloaded.mode).toBe('word');
  });

  it('a choice made before storage opened wins over the stored one, and is stored', async () => {
    const storage = memoryStorage();
    await savePreferences(storage, { pacing: 'word' });
    const choice = new PacingChoice();
    choice.mode = 'line';
    await choice.attach(storage);
    expect(choice.mode).toBe('line');
    expect(await loadPreferences(storage)).toEqual({ pacing: 'line' });
  });

  it('a stored value that is no pacing mode, or no string, reads as the default', async () => {
    for (const bad of [{ pacing: 'sideways' }, { pacing: 3 }, 'word', null]) {
      const storage = memoryStorage();
      await storage.write('preferences', 1, bad);
      const choice = new PacingChoice();
      await choice.attach(storage);
      expect(choice.mode).toBe('raw');
    }
  });
});
