import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import ConnectionPanel from '../../src/lib/components/ConnectionPanel.svelte';
import { appContext } from '../../src/lib/state/context';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { loadKey, loadSettings } from '../../src/lib/storage/settings';
import { openStorage, type Storage } from '../../src/lib/storage/store';

let storage: Storage;
let dbName = 0;

async function setup() {
  storage = await openStorage(() => {}, `panel-test-${++dbName}`);
  const settings = new SettingsState();
  await settings.load(storage);
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
    expect(await loadKey(storage)).toBe('');
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
    expect(await loadKey(storage)).toBe('sk-remembered-1234567890');
    expect(settings.connection().baseURL).toBe('http://127.0.0.1:9/v1');

    await user.click(screen.getByRole('button', { name: 'Forget key' }));
    await screen.findByText(/Key forgotten/);
    expect(await loadKey(storage)).toBe('');
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
    expect(await screen.findByText(/Connected: 3 models available/)).toBeInTheDocument();
  });
});
