/**
 * SettingsState: the connection the whole app uses — provider, base URL, model, key, simulator
 * timing — and the storage behind it.
 *
 * Invariants: the key is written to storage only while `remember` is on; turning it off or
 * "Forget key" deletes the stored copy. `connection()` is the only way the rest of the app gets
 * a key, and it is only ever sent to `baseURL`.
 */
import { probeConnection, type ProbeResult } from '../engine/probe';
import {
  createSimulator,
  SIMULATOR_BASE_URL,
  SIMULATOR_MODELS,
  type Piece,
} from '../engine/simulator/simulator';
import type { Connection } from '../engine/types';
import { networkFetch } from '../engine/worker-fetch';
import {
  DEFAULT_SETTINGS,
  forgetKey,
  loadKey,
  loadSettings,
  OPENAI_BASE_URL,
  saveKey,
  saveSettings,
  type Settings,
} from '../storage/settings';
import { memoryStorage, openStorage, type Storage } from '../storage/store';

export class SettingsState {
  #settings = $state<Settings>(DEFAULT_SETTINGS);
  #key = $state('');
  #storageNote = $state<string | null>(null);
  #models = $state.raw<string[]>([]);
  #storage: Storage = memoryStorage();
  #loaded = $state(false);
  #simulator = createSimulator({ timing: () => this.#settings.timing });

  get settings(): Settings {
    return this.#settings;
  }
  get hasKey(): boolean {
    return this.#key !== '';
  }
  /** Set when storage is not persistent; shown once in the header. */
  get storageNote(): string | null {
    return this.#storageNote;
  }
  /** Where the rest of the app's state persists (IndexedDB, or memory as a fallback). */
  get storage(): Storage {
    return this.#storage;
  }
  get models(): string[] {
    return this.#models;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get simulated(): boolean {
    return this.#settings.provider === 'simulator';
  }
  get baseURL(): string {
    const { provider, customBaseURL } = this.#settings;
    if (provider === 'simulator') return SIMULATOR_BASE_URL;
    if (provider === 'openai') return OPENAI_BASE_URL;
    return customBaseURL.trim().replace(/\/+$/, '');
  }

  async load(storage?: Storage): Promise<void> {
    this.#storage = storage ?? (await openStorage((note) => (this.#storageNote = note)));
    this.#settings = await loadSettings(this.#storage);
    this.#key = this.#settings.remember ? await loadKey(this.#storage) : '';
    this.#models = this.simulated ? SIMULATOR_MODELS : [];
    this.#loaded = true;
  }

  /** Saves settings; the key goes to storage only when `remember` is on. */
  async save(next: Settings, key: string): Promise<void> {
    const providerChanged = next.provider !== this.#settings.provider;
    this.#settings = next;
    this.#key = key;
    if (providerChanged) this.#models = next.provider === 'simulator' ? SIMULATOR_MODELS : [];
    await saveSettings(this.#storage, $state.snapshot(next));
    if (next.remember && key) await saveKey(this.#storage, key);
    else await forgetKey(this.#storage);
  }

  async forgetKey(): Promise<void> {
    this.#key = '';
    await forgetKey(this.#storage);
  }

  /** The key as entered, for the panel's own field only. */
  get key(): string {
    return this.#key;
  }

  connection(): Connection {
    return this.connectionFor(this.#settings, this.#key);
  }

  /** A connection for settings that may not be saved yet (the panel's Test connection). */
  connectionFor(settings: Settings, key: string): Connection {
    const simulated = settings.provider === 'simulator';
    const baseURL =
      settings.provider === 'simulator'
        ? SIMULATOR_BASE_URL
        : settings.provider === 'openai'
          ? OPENAI_BASE_URL
          : settings.customBaseURL.trim().replace(/\/+$/, '');
    return {
      baseURL,
      apiKey: simulated ? '' : key,
      fetch: simulated ? this.#simulator : networkFetch(),
      maxRetries: settings.maxRetries,
      stallMs: settings.stallSeconds * 1000,
    };
  }

  /** A simulator connection that plays `pieces` with their own timing (replaying a saved run). */
  replayConnection(pieces: Piece[]): Connection {
    return {
      ...this.connectionFor({ ...this.#settings, provider: 'simulator' }, ''),
      fetch: createSimulator({ timing: () => this.#settings.timing, script: () => pieces }),
    };
  }

  async testConnection(settings: Settings, key: string): Promise<ProbeResult> {
    const result = await probeConnection(this.connectionFor(settings, key), settings.model);
    if (result.models.length) this.#models = result.models;
    return result;
  }
}
