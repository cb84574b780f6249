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

  it('upgrades an unversioned conversation and saved runs instead of dropping them', async () => {
    const { loadConversation } = await import('../../src/lib/storage/conversation');
    const { loadRuns } = await import('../../src/lib/storage/runs');
    const name = fresh();
    const idb = createStore(name, 'kv');
    await set('conversation:chat', { system: 'Be brief.', turns: [{ role: 'user', content: 'hi' }] }, idb);
    await set(
      'runs',
      [{ id: 'a', name: 'old run', run: { version: 1, chunks: [{ t: 5, text: 'x' }] } }],
      idb,
    );
    const storage = await openStorage(() => {}, name);
    expect(await loadConversation(storage)).toEqual({
      system: 'Be brief.',
      turns: [{ role: 'user', content: 'hi' }],
    });
    expect((await loadRuns(storage)).map((r) => [r.name, r.run.text])).toEqual([['old run', 'x']]);
  });

  it('never overwrites a record written by a newer version of the app', async () => {
    const name = fresh();
    await set('settings', { version: 99, data: { future: true } }, createStore(name, 'kv'));
    const storage = await openStorage(() => {}, name);
    expect(await loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    await saveSettings(storage, { ...DEFAULT_SETTINGS, model: 'would-overwrite' });
    const { get } = await import('idb-keyval');
    expect(await get('settings', createStore(name, 'kv'))).toEqual({ version: 99, data: { future: true } });
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
