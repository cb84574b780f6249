/**
 * The persisted shape of the connection settings and the key, and their storage keys.
 * The key is stored apart from the settings and only when "Remember on this device" is on.
 */
import { DEFAULT_TIMING, type SimTiming } from '../engine/simulator/simulator';
import type { Storage } from './store';

export type Provider = 'simulator' | 'openai' | 'custom';

export interface Settings {
  provider: Provider;
  /** Base URL for the Custom provider (OpenAI's is fixed). */
  customBaseURL: string;
  model: string;
  remember: boolean;
  timing: SimTiming;
  /** Seconds without bytes before a stream counts as stalled. */
  stallSeconds: number;
  maxRetries: number;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export const DEFAULT_SETTINGS: Settings = {
  provider: 'simulator',
  customBaseURL: 'http://localhost:11434/v1',
  model: 'gpt-4o-mini',
  remember: false,
  timing: DEFAULT_TIMING,
  stallSeconds: 30,
  maxRetries: 1,
};

const SETTINGS_KEY = 'settings';
const SETTINGS_VERSION = 1;
const KEY_KEY = 'api-key';
const KEY_VERSION = 1;

/** Fills in fields a stored record lacks, so older records upgrade instead of being dropped. */
function upgradeSettings(data: unknown): Settings {
  const old = typeof data === 'object' && data !== null ? (data as Partial<Settings>) : {};
  return { ...DEFAULT_SETTINGS, ...old, timing: { ...DEFAULT_TIMING, ...old.timing } };
}

export async function loadSettings(storage: Storage): Promise<Settings> {
  const stored = await storage.read<Settings>(SETTINGS_KEY, SETTINGS_VERSION, upgradeSettings);
  return stored ? upgradeSettings(stored) : DEFAULT_SETTINGS;
}

export function saveSettings(storage: Storage, settings: Settings): Promise<void> {
  return storage.write(SETTINGS_KEY, SETTINGS_VERSION, settings);
}

export async function loadKey(storage: Storage): Promise<string> {
  return (await storage.read<string>(KEY_KEY, KEY_VERSION)) ?? '';
}

export function saveKey(storage: Storage, key: string): Promise<void> {
  return storage.write(KEY_KEY, KEY_VERSION, key);
}

export function forgetKey(storage: Storage): Promise<void> {
  return storage.remove(KEY_KEY);
}
