/**
 * Saved runs: run files (lib/run-file) kept in storage — load, save, and a fresh id for each.
 *
 * Invariants:
 * - Every stored run is re-read through run-file's parser on load, so a run stored by an older,
 *   laxer version keeps only what the format names today; a benchmark's summaries are the app's
 *   own and kept as stored when well formed (not bootstrapped again at every start).
 * - Stored runs have distinct ids, so lists and charts keyed by id never collide.
 */
import type { ExportedRun } from '../run-file/format';
import { readStoredRun } from '../run-file/parse';
import type { Storage } from './store';

export interface SavedRun {
  id: string;
  name: string;
  savedAt: number;
  run: ExportedRun;
}

const KEY = 'runs';
const VERSION = 1;

/** A fresh id for a saved run: an imported copy of a run never shares its id. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Re-validates stored runs (any version) and gives repeated or missing ids fresh ones. */
function readSaved(data: unknown): SavedRun[] {
  if (!Array.isArray(data)) return [];
  const seen = new Set<string>();
  return data.flatMap((item: unknown) => {
    const r = isObj(item) ? item : {};
    try {
      const run = readStoredRun(isObj(r.run) ? r.run : r);
      let id = typeof r.id === 'string' || isNum(r.id) ? String(r.id) : '';
      if (!id || seen.has(id)) id = newRunId();
      seen.add(id);
      const name = typeof r.name === 'string' ? r.name : run.lab;
      return [{ id, name, savedAt: isNum(r.savedAt) ? r.savedAt : 0, run }];
    } catch {
      return [];
    }
  });
}

export async function loadRuns(storage: Storage): Promise<SavedRun[]> {
  // Every record is re-checked, not only older ones: a run stored by an older, laxer importer
  // may still hold fields that no longer belong.
  return readSaved(await storage.read<unknown>(KEY, VERSION, (data) => data));
}

export function saveRuns(storage: Storage, runs: SavedRun[]): Promise<void> {
  return storage.write(KEY, VERSION, runs);
}
