/**
 * RunsState: the library of saved runs — save, list, compare, import and remove. Saved runs
 * never hold a key: they are ExportedRun records (see run-file/format.ts); replay is
 * run-file/replay.ts.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { ExportedRun } from '../run-file/format';
import { importSizeProblem, parseExportedRun } from '../run-file/parse';
import { loadRuns, newRunId, saveRuns, type SavedRun } from '../storage/runs';
import type { Storage } from '../storage/store';

/**
 * Made on the first save, not when the module loads: a page's first Intl.DateTimeFormat loads
 * locale data, 15–150 ms measured in Chromium here, which would otherwise land in the first load.
 */
let time: Intl.DateTimeFormat | null = null;
const formatTime = (t: number) =>
  (time ??= new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })).format(t);

export class RunsState {
  #runs = $state.raw<SavedRun[]>([]);
  #storage: Storage | null = null;
  /** ids of the runs chosen for comparison. */
  readonly selected = new SvelteSet<string>();

  get runs(): SavedRun[] {
    return this.#runs;
  }
  get compared(): SavedRun[] {
    return this.#runs.filter((r) => this.selected.has(r.id));
  }

  async load(storage: Storage): Promise<void> {
    this.#storage = storage;
    this.#runs = await loadRuns(storage);
  }

  async save(run: ExportedRun, name?: string): Promise<SavedRun> {
    const saved: SavedRun = {
      id: newRunId(),
      name:
        name ?? `${run.lab} · ${run.request?.model ?? 'model'} · ${formatTime(run.startedAt || Date.now())}`,
      savedAt: Date.now(),
      run: structuredClone(run),
    };
    this.#runs = [saved, ...this.#runs];
    await this.#persist();
    return saved;
  }

  /**
   * Imports a file's text; throws with a clear message when it is not a run. A name already in
   * the library gets a number, so importing the same file twice gives two runs told apart.
   */
  async importText(text: string, name: string): Promise<SavedRun> {
    const run = parseExportedRun(text);
    const taken = (candidate: string) => this.#runs.some((r) => r.name === candidate);
    let unique = name;
    for (let n = 2; taken(unique); n++) unique = `${name} (${n})`;
    return this.save(run, unique);
  }

  /** Imports a file, refusing one too large to read before reading it. */
  async importFile(file: File): Promise<SavedRun> {
    const tooBig = importSizeProblem(file.size);
    if (tooBig) throw new Error(tooBig);
    return this.importText(await file.text(), file.name.replace(/\.json$/i, ''));
  }

  async remove(id: string): Promise<void> {
    this.selected.delete(id);
    this.#runs = this.#runs.filter((r) => r.id !== id);
    await this.#persist();
  }

  async #persist(): Promise<void> {
    if (this.#storage) await saveRuns(this.#storage, this.#runs);
  }
}
