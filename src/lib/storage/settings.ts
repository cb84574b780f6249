/**
 * The persisted shape of the connection settings: the active profile's connection and the
 * app-wide fields (stall timeout, retries). Keys are stored per profile (profiles.ts); the single
 * key record of older versions ('api-key') is only read, to move it to the first profile, and
 * then deleted.
 */
import { publicURL } from '../engine/endpoint';
import type { Endpoint } from '../engine/providers';
import type { Api } from '../engine/types';
import { DEFAULT_TIMING, type SimTiming } from '../engine/simulator/options';
import type { Storage } from './store';

/** The learner's wire format: one of the two, or 'auto' for the model's default (`defaultApi`). */
export type ApiChoice = 'auto' | Api;
const API_CHOICES: readonly ApiChoice[] = ['auto', 'chat', 'responses'];

/** Which provider and base URL (`baseURLFor` in engine/providers.ts decides the URL). */
export interface Settings extends Endpoint {
  model: string;
  /** Settings stored before the choice existed load as 'auto'. */
  apiChoice: ApiChoice;
  remember: boolean;
  timing: SimTiming;
  /** Seconds without bytes before a stream counts as stalled. */
  stallSeconds: number;
  maxRetries: number;
}

export const DEFAULT_SETTINGS: Settings = {
  provider: 'simulator',
  customBaseURL: 'http://localhost:11434/v1',
  model: 'gpt-4o-mini',
  apiChoice: 'auto',
  remember: false,
  timing: DEFAULT_TIMING,
  stallSeconds: 30,
  maxRetries: 1,
};

const SETTINGS_KEY = 'settings';
const SETTINGS_VERSION = 1;
/** The one key record of versions before profiles. */
const KEY_KEY = 'api-key';
/** 1: the bare key string. 2: a ScopedKey. */
const KEY_VERSION = 2;

/** A key and the scope it belongs to (`keyScope` in engine/endpoint.ts). */
export interface ScopedKey {
  key: string;
  /** '' for a key stored before keys had scopes: the caller binds it to the stored settings. */
  scope: string;
}

export const NO_KEY: ScopedKey = { key: '', scope: '' };

/** Fills in fields a stored record lacks, so older records upgrade instead of being dropped. */
function upgradeSettings(data: unknown): Settings {
  const old = typeof data === 'object' && data !== null ? (data as Partial<Settings>) : {};
  const apiChoice: ApiChoice = API_CHOICES.find((c) => c === old.apiChoice) ?? 'auto';
  return { ...DEFAULT_SETTINGS, ...old, apiChoice, timing: { ...DEFAULT_TIMING, ...old.timing } };
}

/** The stored settings, or null when none were ever saved. */
export async function findSettings(storage: Storage): Promise<Settings | null> {
  const stored = await storage.read<Settings>(SETTINGS_KEY, SETTINGS_VERSION, upgradeSettings);
  return stored ? upgradeSettings(stored) : null;
}

export async function loadSettings(storage: Storage): Promise<Settings> {
  return (await findSettings(storage)) ?? DEFAULT_SETTINGS;
}

/** Stores the settings; the custom base URL is kept as `publicURL` makes it. */
export function saveSettings(storage: Storage, settings: Settings): Promise<void> {
  return storage.write(SETTINGS_KEY, SETTINGS_VERSION, {
    ...settings,
    customBaseURL: publicURL(settings.customBaseURL),
  });
}

function upgradeKey(data: unknown): ScopedKey {
  return typeof data === 'string' ? { key: data, scope: '' } : NO_KEY;
}

/** The key an older version stored (for the settings it stored), or NO_KEY. */
export async function loadLegacyKey(storage: Storage): Promise<ScopedKey> {
  const stored = await storage.read<ScopedKey>(KEY_KEY, KEY_VERSION, upgradeKey);
  return typeof stored?.key === 'string' && typeof stored.scope === 'string' ? stored : NO_KEY;
}

export function forgetLegacyKey(storage: Storage): Promise<void> {
  return storage.remove(KEY_KEY);
}
