import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import ConnectionPanel from '../../src/lib/components/ConnectionPanel.svelte';
import { appContext } from '../../src/lib/state/context';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { SIMULATOR_MODELS } from '../../src/lib/engine/simulator/simulator';
import { loadProfileKey } from '../../src/lib/storage/profiles';
import { loadSettings } from '../../src/lib/storage/settings';
import { openStorage, type Storage } from '../../src/lib/storage/store';

/** A real store whose writes and deletes wait until `release()`: a slow disk, made visible. */
function heldStorage(inner: Storage) {
  const open = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };
  let gate = open();
  const held = {
    persistent: inner.persistent,
    read: inner.read.bind(inner),
    write: async <T>(k: string, v: number, d: T) => {
      await gate.promise;
      await inner.write(k, v, d);
    },
    remove: async (k: string) => {
      await gate.promise;
      await inner.remove(k);
    },
    release() {
      gate.resolve();
    },
    hold() {
      gate = open();
    },
  };
  return held;
}

let storage: Storage;
let dbName = 0;

async function setup(wrap: (s: Storage) => Storage = (s) => s) {
  storage = await openStorage(() => {}, `panel-test-${++dbName}`);
  const settings = new SettingsState();
  await settings.load(wrap(storage));
  render(ConnectionPanel, { context: appContext(settings) });
  return { settings, user: userEvent.setup() };
}

describe('ConnectionPanel', () => {
  it('offers Simulator, OpenAI and Custom, starting on the simulator', async () => {
    await setup();
    const provider = screen.getByLabelText('Provider') as HTMLSelectElement;
    expect([...provider.options].map((o) => o.text)).toEqual(['Simulator', 'OpenAI', 'Custom']);
    expect(provider.value).toBe('simulator');
  });

  it('keeps the key in memory only while Remember on this device is off', async () => {
    const { settings, user } = await setup();
    await user.selectOptions(screen.getByLabelText('Provider'), 'Custom');
    await user.clear(screen.getByLabelText('Base URL'));
    // Nothing listens on port 9: the model-list request after Save fails at once, locally.
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:9/v1');
    await user.type(screen.getByLabelText('API key'), 'sk-memory-only-1234567890');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/kept in memory only/);
    expect(settings.connection().apiKey).toBe('sk-memory-only-1234567890');
    expect((await loadProfileKey(storage, settings.activeProfileId)).key).toBe('');
    expect((await loadSettings(storage)).provider).toBe('custom');
  });

  it('stores the key when remembered and deletes it on Forget key', async () => {
    const { settings, user } = await setup();
    await user.selectOptions(screen.getByLabelText('Provider'), 'Custom');
    await user.clear(screen.getByLabelText('Base URL'));
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:9/v1/');
    await user.type(screen.getByLabelText('API key'), 'sk-remembered-1234567890');
    await user.click(screen.getByLabelText('Remember on this device'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(await loadProfileKey(storage, settings.activeProfileId)).toEqual({
      key: 'sk-remembered-1234567890',
      scope: 'custom http://127.0.0.1:9',
    });
    expect(settings.connection().baseURL).toBe('http://127.0.0.1:9/v1');

    await user.click(screen.getByRole('button', { name: 'Forget key' }));
    await screen.findByText(/Key forgotten/);
    expect((await loadProfileKey(storage, settings.activeProfileId)).key).toBe('');
    expect(settings.connection().apiKey).toBe('');
    expect((screen.getByLabelText('API key') as HTMLInputElement).value).toBe('');
  });

  it('hides the key as a password until Show key is pressed', async () => {
    const { user } = await setup();
    const field = screen.getByLabelText('API key') as HTMLInputElement;
    expect(field.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show key' }));
    expect(field.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide key' }));
    expect(field.type).toBe('password');
  });

  it('tests the simulator connection and lists its models', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    // The simulator's list, thinking model included (four today).
    expect(SIMULATOR_MODELS).toContain('sim-thinking');
    expect(
      await screen.findByText(new RegExp(`Connected: ${SIMULATOR_MODELS.length} models available`)),
    ).toBeInTheDocument();
    // The simulator speaks the Responses API too, and Test connection says so.
    expect(await screen.findByText(/speaks the Responses API/)).toBeInTheDocument();
  });

  it('empties the key field when the provider or the base URL origin changes', async () => {
    const { settings, user } = await setup();
    const field = () => (screen.getByLabelText('API key') as HTMLInputElement).value;
    await user.selectOptions(screen.getByLabelText('Provider'), 'OpenAI');
    await user.type(screen.getByLabelText('API key'), 'sk-openai-key-1234567890');
    await user.selectOptions(screen.getByLabelText('Provider'), 'Custom');
    expect(field()).toBe('');
    await user.clear(screen.getByLabelText('Base URL'));
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:9/v1');
    expect(field()).toBe('');
    await user.type(screen.getByLabelText('API key'), 'sk-local-key-1234567890');
    // Same origin, another path: still this key.
    await user.type(screen.getByLabelText('Base URL'), '/beta');
    expect(field()).toBe('sk-local-key-1234567890');
    // Another port is another origin.
    await user.clear(screen.getByLabelText('Base URL'));
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:8/v1');
    expect(field()).toBe('');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(settings.connection().apiKey).toBe('');
    // Back on OpenAI, the OpenAI key typed earlier was never kept: nothing to send.
    await user.selectOptions(screen.getByLabelText('Provider'), 'OpenAI');
    expect(field()).toBe('');
  });

  it('refuses a base URL outside https or local http, saying why, and saves nothing', async () => {
    const { user } = await setup();
    await user.selectOptions(screen.getByLabelText('Provider'), 'Custom');
    for (const [url, why] of [
      ['http://example.com/v1', /only to localhost or 127\.0\.0\.1/],
      ['https://user:sk-secret@example.com/v1', /user name or password/],
      ['https://example.com/v1?api-key=sk-secret', /query string/],
    ] as const) {
      await user.clear(screen.getByLabelText('Base URL'));
      await user.type(screen.getByLabelText('Base URL'), url);
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect((await screen.findByRole('alert')).textContent).toMatch(why);
      await user.click(screen.getByRole('button', { name: 'Test connection' }));
      expect(screen.getByRole('alert').textContent).toMatch(why);
      expect((await loadSettings(storage)).provider).toBe('simulator');
    }
    expect(screen.queryByText('Saved.')).toBeNull();
  });

  it('says "Saved." and "Key forgotten" only after the write has committed, in click order', async () => {
    let held!: ReturnType<typeof heldStorage>;
    const { settings, user } = await setup((s) => (held = heldStorage(s)));
    held.release();
    await user.selectOptions(screen.getByLabelText('Provider'), 'Custom');
    await user.clear(screen.getByLabelText('Base URL'));
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:9/v1');
    await user.type(screen.getByLabelText('API key'), 'sk-durable-1234567890');
    await user.click(screen.getByLabelText('Remember on this device'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');

    // Save again with the disk held: the earlier "Saved." must not stand for this one.
    held.hold();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.queryByText('Saved.')).toBeNull();
    // Forget key while that Save is still writing: the delete must land after it.
    await user.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(screen.queryByText(/Key forgotten/)).toBeNull();
    expect(settings.connection().apiKey).toBe('');
    held.release();
    await screen.findByText(/Key forgotten/);
    expect((await loadProfileKey(storage, settings.activeProfileId)).key).toBe('');
  });

  it('offers the API by name, naming what the default picks for the model, and applies it on Save', async () => {
    const { settings, user } = await setup();
    const api = screen.getByLabelText('API') as HTMLSelectElement;
    const names = () => [...api.options].map((o) => o.text);
    expect(names()).toEqual(['Default for this model (Chat Completions)', 'Chat Completions', 'Responses']);
    expect(api.value).toBe('auto');
    // The default follows the model typed, before anything is saved.
    await user.clear(screen.getByLabelText('Model'));
    await user.type(screen.getByLabelText('Model'), 'sim-thinking');
    expect(names()[0]).toBe('Default for this model (Responses)');
    expect(api.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(api.getAttribute('aria-describedby')!)?.textContent).toMatch(
      /Chat Completions:.*\/chat\/completions.*Responses:.*\/responses/s,
    );

    // Picked by its exact name "Responses", not the default that mentions it.
    await user.selectOptions(api, 'Chat Completions');
    expect(api.value).toBe('chat');
    await user.selectOptions(api, 'Responses');
    expect(api.value).toBe('responses');
    // Like every field of the panel, nothing changes for the labs until Save.
    expect(settings.apiChoice).toBe('auto');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(settings.apiChoice).toBe('responses');
    expect(settings.connection().api).toBe('responses');
    expect((await loadSettings(storage)).apiChoice).toBe('responses');
  });

  it('says the checkbox decides only the key and that Chat history is kept either way', async () => {
    await setup();
    expect(screen.getByRole('form', { name: 'Connection' }).textContent).toMatch(
      /decides only\s+the key:\s+settings\s+and\s+the\s+Chat\s+history\s+are\s+kept\s+in\s+this\s+browser\s+either\s+way/,
    );
  });
});
