/**
 * The learner's API choice: which wire format each provider and model default to, how the choice
 * is stored (older settings load as 'auto'), and that every connection the settings build carries
 * it, unless a lab asks for one format explicitly.
 */
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { startServer } from '../server/sse-server';
import { defaultApi, notSentWithResponses } from '../../src/lib/engine/dialect';
import { scopeOf } from '../../src/lib/engine/providers';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { DEFAULT_SETTINGS, loadSettings, type Settings } from '../../src/lib/storage/settings';
import { openStorage } from '../../src/lib/storage/store';

let n = 0;
const fresh = () => `api-choice-test-${++n}`;

async function loaded(name = fresh()): Promise<SettingsState> {
  const settings = new SettingsState();
  await settings.load(await openStorage(() => {}, name));
  return settings;
}

describe('the default API for a provider and model', () => {
  it.each([
    ['openai', 'o4-mini', 'responses'],
    ['openai', 'gpt-5', 'responses'],
    ['openai', 'gpt-4o-mini', 'chat'],
    ['simulator', 'sim-thinking', 'responses'],
    ['simulator', 'gpt-4o-mini', 'chat'],
    ['custom', 'o4-mini', 'chat'],
    ['custom', 'deepseek-reasoner', 'chat'],
    ['custom', 'llama3', 'chat'],
  ] as const)('%s %s: %s', (provider, model, api) => {
    expect(defaultApi(provider, model)).toBe(api);
  });
});

describe('the stored choice', () => {
  it('starts on auto, which resolves per provider and model', async () => {
    const settings = await loaded();
    expect(settings.apiChoice).toBe('auto');
    expect(settings.api).toBe('chat');
    await settings.save({ ...settings.settings, model: 'sim-thinking' }, null);
    expect(settings.api).toBe('responses');
    await settings.save(
      { ...settings.settings, provider: 'custom', customBaseURL: 'http://localhost:9/v1' },
      null,
    );
    expect(settings.api).toBe('chat');
  });

  it('a picked API wins over the default and survives a reload', async () => {
    const name = fresh();
    const settings = await loaded(name);
    await settings.setApi('responses');
    expect(settings.api).toBe('responses');
    await settings.save({ ...settings.settings, model: 'gpt-4o-mini' }, null);
    expect(settings.api).toBe('responses');
    const reloaded = await loaded(name);
    expect(reloaded.apiChoice).toBe('responses');
    expect(reloaded.api).toBe('responses');
    await reloaded.setApi('chat');
    await reloaded.save({ ...reloaded.settings, model: 'o4-mini', provider: 'openai' }, null);
    expect(reloaded.api).toBe('chat');
  });

  it('settings stored before the choice existed, or with a value it never had, load as auto', async () => {
    const name = fresh();
    const old: Partial<Settings> = { provider: 'openai', model: 'o3' };
    await set('settings', { version: 1, data: old }, createStore(name, 'kv'));
    const settings = await loaded(name);
    expect(settings.apiChoice).toBe('auto');
    expect(settings.api).toBe('responses');

    const odd = fresh();
    await set(
      'settings',
      { version: 1, data: { ...DEFAULT_SETTINGS, apiChoice: 'soap' } },
      createStore(odd, 'kv'),
    );
    expect((await loadSettings(await openStorage(() => {}, odd))).apiChoice).toBe('auto');
  });
});

describe('connections carry the API', () => {
  it('connection() uses the resolved choice; an explicit api wins; the key rules stay', async () => {
    const settings = await loaded();
    const custom = {
      ...settings.settings,
      provider: 'custom' as const,
      customBaseURL: 'http://localhost:9/v1',
    };
    const key = 'sk-choice-test-1234567890';
    await settings.save(custom, { key, scope: scopeOf(custom) });
    expect(settings.connection().apiKey).toBe(key);
    expect(settings.connection().api).toBe('chat');
    expect(settings.connection({ api: 'responses' }).api).toBe('responses');
    expect(settings.connection({ api: 'responses' }).apiKey).toBe(key);
    await settings.setApi('responses');
    expect(settings.connection().api).toBe('responses');
    expect(settings.connection({ api: 'chat' }).api).toBe('chat');
    expect(settings.connection().apiKey).toBe(key);
  });

  it('a simulated connection with a timing scale keeps the API', async () => {
    const settings = await loaded();
    await settings.setApi('responses');
    expect(settings.connection({ timingScale: 2 }).api).toBe('responses');
    expect(settings.connection({ timingScale: 2, api: 'chat' }).api).toBe('chat');
  });

  it('Test connection uses the draft’s choice, not the saved one', async () => {
    const settings = await loaded();
    const draft = { ...settings.settings, apiChoice: 'responses' as const };
    expect(settings.connectionFor(draft, null).api).toBe('responses');
    expect(settings.connectionFor(settings.settings, null).api).toBe('chat');
  });
});

describe('what Responses does not send', () => {
  it('names stop, seed and stream_options fields the form asked for', () => {
    const base = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(notSentWithResponses(base)).toEqual([]);
    expect(
      notSentWithResponses({
        ...base,
        stop: ['x'],
        seed: 1,
        include_usage: true,
        include_obfuscation: false,
      }),
    ).toEqual(['stop', 'seed', 'stream_options.include_usage', 'stream_options.include_obfuscation']);
    expect(notSentWithResponses({ ...base, stop: [], include_usage: false })).toEqual([]);
  });
});

describe('Test connection asks whether the endpoint answers /responses', () => {
  it('yes for a server with the Responses API, no for one without; not asked when only models are wanted', async () => {
    const settings = await loaded();
    for (const responses of [true, false]) {
      const server = await startServer({ responses });
      try {
        const custom = {
          ...settings.settings,
          provider: 'custom' as const,
          customBaseURL: server.baseURL,
          model: 'test-model',
        };
        const result = await settings.testConnection(custom, null);
        expect(result.ok).toBe(true);
        expect(result.responses?.ok).toBe(responses);
        expect(result.responses?.title).toMatch(responses ? /speaks the Responses API/ : /no Responses API/);
        const asked = server.requests.length;
        expect((await settings.testConnection(custom, null, { responses: false })).responses).toBeNull();
        expect(server.requests.slice(asked).map((r) => r.url)).toEqual(['/v1/models']);
      } finally {
        await server.close();
      }
    }
  });
});
