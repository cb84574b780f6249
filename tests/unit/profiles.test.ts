/**
 * Connection profiles in SettingsState over real IndexedDB (fake-indexeddb) and the real SDK
 * against the local SSE server: the built-in simulator profiles, the upgrade from one stored
 * connection, and the key rule per profile — a key is held, stored and sent for its own profile
 * and scope only, and goes when its profile does.
 */
import 'fake-indexeddb/auto';
import { createStore, get, keys, set } from 'idb-keyval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../server/sse-server';
import { probeConnection } from '../../src/lib/engine/probe';
import { scopeOf, SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { DEFAULT_TIMING, FAST_TIMING, THINKING_MODEL } from '../../src/lib/engine/simulator/options';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { BUILT_IN_PROFILES, DEFAULT_PROFILE_ID, loadProfileKey } from '../../src/lib/storage/profiles';
import { DEFAULT_SETTINGS, type Settings } from '../../src/lib/storage/settings';
import { openStorage } from '../../src/lib/storage/store';

let n = 0;
const fresh = () => `profiles-test-${++n}`;

async function loaded(name: string): Promise<SettingsState> {
  const settings = new SettingsState();
  await settings.load(await openStorage(() => {}, name));
  return settings;
}

/** Every value in the database, as JSON: where a key could be lying around. */
async function everything(name: string): Promise<string> {
  const idb = createStore(name, 'kv');
  const all = await Promise.all((await keys(idb)).map(async (k) => [k, await get(k, idb)]));
  return JSON.stringify(all);
}

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  [a, b] = await Promise.all([startServer(), startServer()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const KEY_A = 'sk-profile-a-1234567890';
const KEY_B = 'sk-profile-b-0987654321';
const customOn = (settings: SettingsState, server: TestServer, extra: Partial<Settings> = {}): Settings => ({
  ...settings.settings,
  provider: 'custom',
  customBaseURL: server.baseURL,
  model: 'test-model',
  ...extra,
});
const typed = (s: Settings, key: string) => ({ key, scope: scopeOf(s) });
/** The Authorization header of each request `server` got, in order. */
const auths = (server: TestServer) => server.requests.map((r) => r.headers.authorization);

describe('built-in profiles', () => {
  it('a new learner has four simulator profiles with different timing, on the steady one', async () => {
    const settings = await loaded(fresh());
    expect(settings.profiles.map((p) => p.name)).toEqual([
      'Simulator · fast',
      'Simulator · steady',
      'Simulator · bursty',
      'Simulator · thinking',
    ]);
    expect(settings.profiles.every((p) => p.builtIn && p.provider === 'simulator')).toBe(true);
    expect(new Set(settings.profiles.map((p) => JSON.stringify(p.timing))).size).toBe(4);
    expect(settings.activeProfileId).toBe(DEFAULT_PROFILE_ID);
    expect(settings.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('each simulator profile connects with no key, in its model’s wire format, and answers', async () => {
    const settings = await loaded(fresh());
    for (const profile of BUILT_IN_PROFILES) {
      const connection = settings.profileConnection(profile.id);
      expect(connection.baseURL).toBe(SIMULATOR_BASE_URL);
      expect(connection.apiKey).toBe('');
      expect(connection.api).toBe(profile.model === THINKING_MODEL ? 'responses' : 'chat');
      expect((await probeConnection(connection, profile.model)).ok).toBe(true);
    }
    expect(settings.profileConnection('sim-fast', { api: 'responses' }).api).toBe('responses');
    expect(() => settings.profileConnection('nope')).toThrow(/No profile/);
  });

  it('cannot be deleted or renamed; saving another connection over one adds a profile', async () => {
    const settings = await loaded(fresh());
    await expect(settings.delete('sim-fast')).rejects.toThrow(/cannot be deleted/);
    await expect(settings.rename('sim-fast', 'mine')).rejects.toThrow(/keep their names/);
    await settings.select('sim-fast');
    expect(settings.settings.timing).toEqual(FAST_TIMING);
    // Only the stall timeout changes: still the built-in.
    await settings.save({ ...settings.settings, stallSeconds: 12 }, null);
    expect(settings.activeProfileId).toBe('sim-fast');
    expect(settings.profiles).toHaveLength(BUILT_IN_PROFILES.length);
    await settings.save({ ...settings.settings, timing: { ...FAST_TIMING, ttftMs: 999 } }, null);
    expect(settings.activeProfileId).not.toBe('sim-fast');
    expect(settings.activeProfile.name).toBe('Simulator · gpt-4o-mini');
    expect(settings.profiles.find((p) => p.id === 'sim-fast')?.timing).toEqual(FAST_TIMING);
    expect(settings.settings).toMatchObject({ stallSeconds: 12, timing: { ttftMs: 999 } });
  });
});

describe('a key belongs to one profile', () => {
  it('a key saved for profile A never appears in profile B’s connection, even for the same server', async () => {
    const name = fresh();
    const settings = await loaded(name);
    const onA = customOn(settings, a);
    await settings.save(onA, typed(onA, KEY_A));
    const idA = settings.activeProfileId;
    // B: the same server, saved as a new profile with no key typed.
    await settings.saveAs('Same server, no key', onA, null);
    const idB = settings.activeProfileId;
    expect(idB).not.toBe(idA);
    expect(settings.connection().apiKey).toBe('');
    expect(settings.keyFor(onA)).toBe('');
    expect(settings.profileConnection(idA).apiKey).toBe(KEY_A);
    expect(settings.profileConnection(idB).apiKey).toBe('');

    // Over the wire, through the SDK: A sends its key, B none.
    a.requests.length = 0;
    await probeConnection(settings.profileConnection(idA), 'test-model');
    await probeConnection(settings.profileConnection(idB), 'test-model');
    expect(auths(a)).toEqual([`Bearer ${KEY_A}`, 'Bearer no-key']);

    // C on another server with its own key: each profile's key goes only to its own server.
    const onB = customOn(settings, b);
    await settings.saveAs('Other server', onB, typed(onB, KEY_B));
    const idC = settings.activeProfileId;
    a.requests.length = 0;
    b.requests.length = 0;
    for (const id of [idA, idB, idC]) await probeConnection(settings.profileConnection(id), 'test-model');
    expect(auths(a)).toEqual([`Bearer ${KEY_A}`, 'Bearer no-key']);
    expect(auths(b)).toEqual([`Bearer ${KEY_B}`]);

    // Switching profiles switches keys; nothing was remembered, so nothing is on disk.
    await settings.select(idA);
    expect(settings.connection().apiKey).toBe(KEY_A);
    await settings.select(idC);
    expect(settings.connection().apiKey).toBe(KEY_B);
    expect(await everything(name)).not.toMatch(/sk-profile/);
  });

  it('a profile’s key does not follow it to another provider or origin', async () => {
    const settings = await loaded(fresh());
    const onA = customOn(settings, a);
    await settings.save(onA, typed(onA, KEY_A));
    const id = settings.activeProfileId;
    await settings.save({ ...onA, provider: 'openai' }, null);
    expect(settings.profileConnection(id).apiKey).toBe('');
    expect(settings.connection().apiKey).toBe('');
    await settings.save(customOn(settings, b), null);
    expect(settings.connection().apiKey).toBe('');
    // Back on its own origin, the key it was given is there again.
    await settings.save(customOn(settings, a), null);
    expect(settings.connection().apiKey).toBe(KEY_A);
  });

  it('is stored only while its profile remembers, survives a reload, and goes with its profile', async () => {
    const name = fresh();
    const settings = await loaded(name);
    const onA = customOn(settings, a, { remember: true });
    await settings.save(onA, typed(onA, KEY_A));
    const idA = settings.activeProfileId;
    const onB = customOn(settings, b, { remember: false });
    await settings.saveAs('Not remembered', onB, typed(onB, KEY_B));
    const idB = settings.activeProfileId;
    const stored = await everything(name);
    expect(stored).toContain(KEY_A);
    expect(stored).not.toContain(KEY_B);

    const reloaded = await loaded(name);
    expect(reloaded.activeProfileId).toBe(idB);
    expect(reloaded.profiles.map((p) => p.id)).toEqual([...BUILT_IN_PROFILES.map((p) => p.id), idA, idB]);
    expect(reloaded.profileConnection(idA).apiKey).toBe(KEY_A);
    expect(reloaded.connection().apiKey).toBe('');

    // Remember turned off: the stored copy goes, the key stays in memory for the session.
    await reloaded.select(idA);
    await reloaded.save({ ...reloaded.settings, remember: false }, null);
    expect(await everything(name)).not.toContain(KEY_A);
    expect(reloaded.connection().apiKey).toBe(KEY_A);
    await reloaded.save({ ...reloaded.settings, remember: true }, null);
    expect(await everything(name)).toContain(KEY_A);

    // Deleting the profile in use deletes its key everywhere and falls back to the simulator.
    await reloaded.delete(idA);
    expect(await everything(name)).not.toContain(KEY_A);
    expect(reloaded.activeProfileId).toBe(DEFAULT_PROFILE_ID);
    expect(reloaded.profiles.some((p) => p.id === idA)).toBe(false);
    expect(() => reloaded.profileConnection(idA)).toThrow(/No profile/);
    expect((await loaded(name)).profiles.map((p) => p.id)).not.toContain(idA);
  });

  it('Forget key forgets the selected profile’s key only', async () => {
    const name = fresh();
    const settings = await loaded(name);
    const onA = customOn(settings, a, { remember: true });
    await settings.save(onA, typed(onA, KEY_A));
    const idA = settings.activeProfileId;
    await settings.saveAs('Second', onA, typed(onA, KEY_B));
    await settings.forgetKey();
    expect(settings.connection().apiKey).toBe('');
    expect(settings.profileConnection(idA).apiKey).toBe(KEY_A);
    const stored = await everything(name);
    expect(stored).toContain(KEY_A);
    expect(stored).not.toContain(KEY_B);
  });

  it('rename keeps names unique and is stored', async () => {
    const name = fresh();
    const settings = await loaded(name);
    await settings.saveAs('Mine', settings.settings, null);
    await settings.saveAs('Mine', settings.settings, null);
    const mine = settings.profiles.filter((p) => !p.builtIn);
    expect(mine.map((p) => p.name)).toEqual(['Mine', 'Mine (2)']);
    const id = settings.activeProfileId;
    await settings.rename(id, '  Local llama  ');
    expect((await loaded(name)).profiles.find((p) => p.id === id)?.name).toBe('Local llama');
  });
});

describe('the upgrade from one stored connection', () => {
  it('turns the stored settings and key into the first profile, moving the key', async () => {
    const name = fresh();
    const idb = createStore(name, 'kv');
    const old: Settings = {
      ...DEFAULT_SETTINGS,
      provider: 'custom',
      customBaseURL: a.baseURL,
      model: 'm1',
      remember: true,
      stallSeconds: 7,
    };
    await set('settings', { version: 1, data: old }, idb);
    await set('api-key', { version: 2, data: { key: KEY_A, scope: scopeOf(old) } }, idb);

    const settings = await loaded(name);
    expect(settings.activeProfile).toMatchObject({
      name: 'My connection',
      provider: 'custom',
      model: 'm1',
      remember: true,
    });
    expect(settings.settings).toEqual({ ...old, timing: DEFAULT_TIMING });
    expect(settings.connection().apiKey).toBe(KEY_A);
    expect(await get('api-key', idb)).toBeUndefined();
    const storage = await openStorage(() => {}, name);
    expect(await loadProfileKey(storage, settings.activeProfileId)).toEqual({
      key: KEY_A,
      scope: scopeOf(old),
    });

    // Loading again finds the same, from the new records.
    const again = await loaded(name);
    expect(again.profiles).toEqual(settings.profiles);
    expect(again.connection().apiKey).toBe(KEY_A);
  });

  it('binds a key stored before keys had scopes to the stored settings', async () => {
    const name = fresh();
    const idb = createStore(name, 'kv');
    const old = { ...DEFAULT_SETTINGS, provider: 'custom', customBaseURL: a.baseURL, remember: true };
    await set('settings', { version: 1, data: old }, idb);
    await set('api-key', KEY_A, idb);
    const settings = await loaded(name);
    expect(settings.connection().apiKey).toBe(KEY_A);
    expect(settings.connectionFor({ ...settings.settings, customBaseURL: b.baseURL }, null).apiKey).toBe('');
  });
});
