/**
 * The learner's view preferences that are not connection settings: the display pacing chosen in
 * Live markdown or Chat. Versioned like every stored record; what is read back is checked, never
 * trusted: a field of the wrong kind reads as absent (the state above decides which values it
 * takes).
 */
import type { Storage } from './store';

export interface Preferences {
  /** The display pacing mode's id ('raw', 'word', 'line'). */
  pacing?: string;
}

const KEY = 'preferences';
const VERSION = 1;

function validate(data: unknown): Preferences {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
  const { pacing } = data as Record<string, unknown>;
  return typeof pacing === 'string' ? { pacing } : {};
}

export async function loadPreferences(storage: Storage): Promise<Preferences> {
  return validate(await storage.read<unknown>(KEY, VERSION, validate));
}

export function savePreferences(storage: Storage, preferences: Preferences): Promise<void> {
  return storage.write(KEY, VERSION, { ...preferences });
}
