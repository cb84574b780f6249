/**
 * ProgressState: which "Try this" steps the learner has ticked, per lab, kept in storage.
 *
 * Invariants:
 * - One ProgressState per app storage source (`progressFor`), so every lab's guide and the Recap
 *   read the same ticks.
 * - A tick made before storage has opened is not lost: loading merges what was stored with it.
 * - Every change is written at once (a snapshot, never a proxy).
 */
import { loadProgress, saveProgress, type SavedProgress } from '../storage/progress';
import type { Storage } from '../storage/store';
import type { StorageSource } from './context';

/** Both lists' step numbers, each once, ascending. */
function union(a: readonly number[], b: readonly number[]): number[] {
  return [...a, ...b.filter((s) => !a.includes(s))].sort((x, y) => x - y);
}

export class ProgressState {
  #done = $state.raw<SavedProgress>({});
  #storage: Storage | null = null;
  #loading: Promise<void> | null = null;

  /** The 1-based step numbers ticked in a lab. */
  ticked(lab: string): readonly number[] {
    return this.#done[lab] ?? [];
  }

  isTicked(lab: string, step: number): boolean {
    return this.ticked(lab).includes(step);
  }

  /** Loads once from the given storage, merging any ticks made before it opened. */
  attach(storage: Storage): Promise<void> {
    if (this.#loading) return this.#loading;
    this.#loading = loadProgress(storage).then((stored) => {
      const merged: SavedProgress = { ...stored };
      for (const [lab, steps] of Object.entries(this.#done)) {
        merged[lab] = union(merged[lab] ?? [], steps);
      }
      this.#done = merged;
      this.#storage = storage;
      if (Object.keys(this.#done).length) void saveProgress(storage, this.#done);
    });
    return this.#loading;
  }

  set(lab: string, step: number, ticked: boolean): void {
    const rest = this.ticked(lab).filter((s) => s !== step);
    const steps = ticked ? [...rest, step].sort((a, b) => a - b) : rest;
    this.#done = { ...this.#done, [lab]: steps };
    if (this.#storage) void saveProgress(this.#storage, $state.snapshot(this.#done));
  }
}

const shared = new WeakMap<StorageSource, ProgressState>();

/** The one ProgressState for the app whose storage this source reads. */
export function progressFor(source: StorageSource): ProgressState {
  let progress = shared.get(source);
  if (!progress) {
    progress = new ProgressState();
    shared.set(source, progress);
  }
  return progress;
}
