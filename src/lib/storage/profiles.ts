/**
 * Connection profiles: named connections (provider, base URL, model, wire format, Remember, and
 * the simulator's timing), the built-in simulator profiles, and how the learner's profiles and
 * each profile's key are stored.
 *
 * Invariants:
 * - Built-in profiles live in code, never in storage: they cannot be renamed, changed or deleted.
 * - The learner's profiles are one versioned record ('profiles') with the active profile's id;
 *   the 'settings' record (settings.ts) stays the active connection, so an app that finds no
 *   profiles record (stored before profiles existed) turns those settings into the first profile.
 * - Each profile's key is its own record ('profile-key:<id>'), written only while that profile's
 *   Remember is on, always with the scope it was entered for; deleting a profile deletes it.
 */
import { publicURL } from '../engine/endpoint';
import type { Provider } from '../engine/providers';
import {
  BURSTY_TIMING,
  DEFAULT_TIMING,
  FAST_TIMING,
  THINKING_MODEL,
  THINKING_TIMING,
  type SimTiming,
} from '../engine/simulator/options';
import { DEFAULT_SETTINGS, NO_KEY, type ApiChoice, type ScopedKey, type Settings } from './settings';
import type { Storage } from './store';

/** One named connection: what a lab needs to reach a model, without the key. */
export interface Profile {
  id: string;
  name: string;
  provider: Provider;
  customBaseURL: string;
  model: string;
  apiChoice: ApiChoice;
  remember: boolean;
  /** simulator only */
  timing?: SimTiming;
  /** built-in simulator profiles cannot be deleted */
  builtIn?: boolean;
}

/** The fields of Settings a profile holds (the rest — stall timeout, retries — are app-wide). */
export type ProfileFields = Pick<
  Profile,
  'provider' | 'customBaseURL' | 'model' | 'apiChoice' | 'remember'
> & {
  timing: SimTiming;
};

/** `settings`' profile fields. */
export function profileFields(settings: Settings): ProfileFields {
  const { provider, customBaseURL, model, apiChoice, remember, timing } = settings;
  return { provider, customBaseURL, model, apiChoice, remember, timing };
}

function simulatorProfile(id: string, name: string, model: string, timing: SimTiming): Profile {
  const { customBaseURL, apiChoice } = DEFAULT_SETTINGS;
  return {
    id,
    name,
    provider: 'simulator',
    customBaseURL,
    model,
    apiChoice,
    remember: false,
    timing,
    builtIn: true,
  };
}

/** The profile a new learner starts on: the simulator with the default settings. */
export const DEFAULT_PROFILE_ID = 'sim-steady';

/** The simulator with four clearly different timings, so a race needs no key. */
export const BUILT_IN_PROFILES: readonly Profile[] = [
  simulatorProfile('sim-fast', 'Simulator · fast', 'gpt-4o-mini', FAST_TIMING),
  simulatorProfile(DEFAULT_PROFILE_ID, 'Simulator · steady', DEFAULT_SETTINGS.model, DEFAULT_TIMING),
  simulatorProfile('sim-bursty', 'Simulator · bursty', 'gpt-4o', BURSTY_TIMING),
  simulatorProfile('sim-thinking', 'Simulator · thinking', THINKING_MODEL, THINKING_TIMING),
];

/** The name the first profile gets when the settings of an older version become it. */
export const UPGRADED_PROFILE_NAME = 'My connection';

/** The learner's profiles and which profile (theirs or built-in) is in use. */
export interface ProfilesRecord {
  activeId: string;
  profiles: Profile[];
}

const PROFILES_KEY = 'profiles';
const PROFILES_VERSION = 1;
const PROVIDERS: readonly Provider[] = ['simulator', 'openai', 'custom'];
const API_CHOICES: readonly ApiChoice[] = ['auto', 'chat', 'responses'];

/** A stored profile, checked field by field; null when it cannot be one. */
function readProfile(data: unknown): Profile | null {
  if (typeof data !== 'object' || data === null) return null;
  const p = data as Partial<Profile>;
  if (typeof p.id !== 'string' || !p.id || typeof p.name !== 'string') return null;
  if (BUILT_IN_PROFILES.some((b) => b.id === p.id)) return null;
  const provider = PROVIDERS.find((v) => v === p.provider);
  if (!provider) return null;
  return {
    id: p.id,
    name: p.name,
    provider,
    customBaseURL: typeof p.customBaseURL === 'string' ? p.customBaseURL : DEFAULT_SETTINGS.customBaseURL,
    model: typeof p.model === 'string' ? p.model : DEFAULT_SETTINGS.model,
    apiChoice: API_CHOICES.find((c) => c === p.apiChoice) ?? 'auto',
    remember: p.remember === true,
    timing: { ...DEFAULT_TIMING, ...p.timing },
  };
}

/** The stored profiles record, or null when there is none (a new learner, or an older version's data). */
export async function loadProfiles(storage: Storage): Promise<ProfilesRecord | null> {
  const stored = await storage.read<ProfilesRecord>(PROFILES_KEY, PROFILES_VERSION);
  if (typeof stored !== 'object' || stored === null) return null;
  const list = Array.isArray(stored.profiles) ? stored.profiles : [];
  const profiles = list.map(readProfile).filter((p): p is Profile => p !== null);
  const activeId = typeof stored.activeId === 'string' ? stored.activeId : DEFAULT_PROFILE_ID;
  return { activeId, profiles };
}

/** Stores the learner's profiles (built-ins are dropped; base URLs kept as `publicURL` makes them). */
export function saveProfiles(storage: Storage, record: ProfilesRecord): Promise<void> {
  const profiles = record.profiles
    .filter((p) => !p.builtIn)
    .map((p) => ({ ...p, customBaseURL: publicURL(p.customBaseURL) }));
  return storage.write(PROFILES_KEY, PROFILES_VERSION, { activeId: record.activeId, profiles });
}

const KEY_VERSION = 1;
const keyRecord = (id: string) => `profile-key:${id}`;

export async function loadProfileKey(storage: Storage, id: string): Promise<ScopedKey> {
  const stored = await storage.read<ScopedKey>(keyRecord(id), KEY_VERSION);
  return typeof stored?.key === 'string' && typeof stored.scope === 'string' && stored.scope
    ? stored
    : NO_KEY;
}

export function saveProfileKey(storage: Storage, id: string, key: ScopedKey): Promise<void> {
  return storage.write(keyRecord(id), KEY_VERSION, { key: key.key, scope: key.scope });
}

export function forgetProfileKey(storage: Storage, id: string): Promise<void> {
  return storage.remove(keyRecord(id));
}

/** The next free id for a learner's profile: p1, p2, … */
export function nextProfileId(profiles: readonly Profile[]): string {
  const used = profiles.map((p) => /^p(\d+)$/.exec(p.id)?.[1]).filter((n) => n !== undefined);
  return `p${Math.max(0, ...used.map(Number)) + 1}`;
}

/** `name` trimmed, or, if another profile has it, with " (2)", " (3)" … appended. */
export function uniqueName(name: string, profiles: readonly Profile[], except = ''): string {
  const base = name.trim() || 'Profile';
  const taken = new Set(profiles.filter((p) => p.id !== except).map((p) => p.name));
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base} (${n})`;
  return candidate;
}
