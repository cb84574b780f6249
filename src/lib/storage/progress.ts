/**
 * The learner's progress through the "Try this" steps: for each lab, the numbers of the steps
 * ticked. Versioned like every stored record; what is read back is checked, never trusted.
 */
import type { Storage } from './store';

/** Lab id → 1-based numbers of the ticked steps, ascending. */
export type SavedProgress = Record<string, number[]>;

const KEY = 'progress:guide';
const VERSION = 1;

function validate(data: unknown): SavedProgress | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const out: SavedProgress = {};
  for (const [lab, steps] of Object.entries(data)) {
    if (!Array.isArray(steps)) continue;
    const ok = steps.filter((s): s is number => Number.isInteger(s) && s > 0);
    out[lab] = [...new Set(ok)].sort((a, b) => a - b);
  }
  return out;
}

export async function loadProgress(storage: Storage): Promise<SavedProgress> {
  return validate(await storage.read<unknown>(KEY, VERSION, validate)) ?? {};
}

export function saveProgress(storage: Storage, progress: SavedProgress): Promise<void> {
  return storage.write(KEY, VERSION, progress);
}
