import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '../../src/lib/storage/settings';
import { openStorage } from '../../src/lib/storage/store';

let n = 0;
const fresh = () => `storage-test-${++n}`;

describe('storage', () => {
  it('round-trips a versioned record through IndexedDB', async () => {
    const storage = await openStorage(() => {}, fresh());
    expect(storage.persistent).toBe(true);
    await storage.write('k', 1, { a: 1 });
    expect(await storage.read('k', 1)).toEqual({ a: 1 });
  });

  it('upgrades an older record instead of dropping it', async () => {
    const name = fresh();
    await set('settings', { provider: 'openai', model: 'gpt-4o' }, createStore(name, 'kv'));
    const storage = await openStorage(() => {}, name);
    const settings = await loadSettings(storage);
    expect(settings).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      stallSeconds: DEFAULT_SETTINGS.stallSeconds,
    });
  });

  it('keeps working in memory and says so once when IndexedDB is missing', async () => {
    const original = globalThis.indexedDB;
    const notes: string[] = [];
    // @ts-expect-error: simulate a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const storage = await openStorage((note) => notes.push(note));
      expect(storage.persistent).toBe(false);
      await saveSettings(storage, { ...DEFAULT_SETTINGS, model: 'kept-in-memory' });
      expect((await loadSettings(storage)).model).toBe('kept-in-memory');
    } finally {
      globalThis.indexedDB = original;
    }
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/in memory/);
  });

  it('falls back to memory mid-session on a quota error and keeps what was written', async () => {
    const notes: string[] = [];
    const storage = await openStorage((note) => notes.push(note), fresh());
    await storage.write('early', 1, 'kept');
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      await storage.write('late', 1, 'also kept');
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(storage.persistent).toBe(false);
    expect(notes[0]).toMatch(/storage is full/);
    expect(await storage.read('early', 1)).toBe('kept');
    expect(await storage.read('late', 1)).toBe('also kept');
  });
});
