/**
 * Persistence over idb-keyval with a memory fallback.
 *
 * Invariants:
 * - Every record is stored as { version, data }. Reading an older version runs the record's
 *   upgrade; a record is never dropped because its version is old. A record written by a newer
 *   version of the app is left untouched: it reads as absent and is never overwritten.
 * - When IndexedDB is missing, blocked or over quota, the store switches to memory for the rest
 *   of the session and reports why once through `onFallback`; callers keep working either way.
 * - Values must be structured-clonable (callers pass $state.snapshot, never a proxy).
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

export interface Versioned<T> {
  version: number;
  data: T;
}

/** Upgrades data written by `from` to the current version. */
export type Upgrade<T> = (data: unknown, from: number) => T;

export interface Storage {
  readonly persistent: boolean;
  read<T>(key: string, version: number, upgrade?: Upgrade<T>): Promise<T | undefined>;
  write<T>(key: string, version: number, data: T): Promise<void>;
  remove(key: string): Promise<void>;
}

class MemoryStorage implements Storage {
  readonly persistent = false;
  #map = new Map<string, Versioned<unknown>>();

  async read<T>(key: string, version: number, upgrade?: Upgrade<T>): Promise<T | undefined> {
    return decode(this.#map.get(key), version, upgrade);
  }
  async write<T>(key: string, version: number, data: T): Promise<void> {
    this.#map.set(key, { version, data: structuredClone(data) });
  }
  async remove(key: string): Promise<void> {
    this.#map.delete(key);
  }
  /** Takes over what an IndexedDB store held, so a mid-session fallback loses nothing. */
  seed(entries: Iterable<[string, Versioned<unknown>]>): void {
    for (const [k, v] of entries) this.#map.set(k, v);
  }
}

function decode<T>(
  record: Versioned<unknown> | undefined,
  version: number,
  upgrade?: Upgrade<T>,
): T | undefined {
  if (record === undefined) return undefined;
  if (typeof record !== 'object' || record === null || !('version' in record)) {
    // Written before records were versioned: version 0.
    return upgrade ? upgrade(record, 0) : undefined;
  }
  if (record.version === version) return record.data as T;
  if (record.version < version && upgrade) return upgrade(record.data, record.version);
  return undefined;
}

/** IndexedDB-backed storage that falls back to memory the first time IndexedDB fails. */
class FallbackStorage implements Storage {
  #idb: UseStore | null;
  #memory = new MemoryStorage();
  #written = new Map<string, Versioned<unknown>>();
  /** Keys holding a record from a newer app version: never overwritten. */
  #newer = new Set<string>();
  #onFallback: (reason: string) => void;

  constructor(idb: UseStore | null, onFallback: (reason: string) => void) {
    this.#idb = idb;
    this.#onFallback = onFallback;
  }

  get persistent(): boolean {
    return this.#idb !== null;
  }

  #fallBack(error: unknown): void {
    if (!this.#idb) return;
    this.#idb = null;
    this.#memory.seed(this.#written);
    const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
    this.#onFallback(
      quota
        ? 'Browser storage is full: new changes are kept in memory and will be lost when this tab closes.'
        : 'Browser storage is unavailable (private window or blocked storage): everything is kept in memory for this tab only.',
    );
  }

  async read<T>(key: string, version: number, upgrade?: Upgrade<T>): Promise<T | undefined> {
    if (this.#idb) {
      try {
        const record = await get<Versioned<unknown>>(key, this.#idb);
        if (record !== undefined) this.#written.set(key, record);
        if (typeof record?.version === 'number' && record.version > version) this.#newer.add(key);
        return decode(record, version, upgrade);
      } catch (error) {
        this.#fallBack(error);
      }
    }
    return this.#memory.read(key, version, upgrade);
  }

  async write<T>(key: string, version: number, data: T): Promise<void> {
    if (this.#newer.has(key)) return;
    const record = { version, data };
    if (this.#idb) {
      try {
        await set(key, record, this.#idb);
        this.#written.set(key, record);
        return;
      } catch (error) {
        this.#fallBack(error);
      }
    }
    await this.#memory.write(key, version, data);
  }

  async remove(key: string): Promise<void> {
    this.#written.delete(key);
    if (this.#idb) {
      try {
        await del(key, this.#idb);
        return;
      } catch (error) {
        this.#fallBack(error);
      }
    }
    await this.#memory.remove(key);
  }
}

/**
 * Opens the app's storage. Probes IndexedDB with a real write so a blocked store is found now,
 * not on the first save.
 */
export async function openStorage(
  onFallback: (reason: string) => void,
  name = 'streaming-lab',
): Promise<Storage> {
  try {
    if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
    const idb = createStore(name, 'kv');
    await set('__probe', 1, idb);
    return new FallbackStorage(idb, onFallback);
  } catch (error) {
    const storage = new FallbackStorage(null, onFallback);
    onFallback(
      'Browser storage is unavailable (private window or blocked storage): everything is kept in memory for this tab only.',
    );
    void error;
    return storage;
  }
}

/** Storage that never persists: for tests and for the memory-only key. */
export function memoryStorage(): Storage {
  return new MemoryStorage();
}
