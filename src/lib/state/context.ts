/**
 * What the app root hands down through Svelte context: the SettingsState, the RunsState, and the
 * storage the root opened once (a getter: null until it is open).
 */
import { getContext, setContext } from 'svelte';
import type { Storage } from '../storage/store';
import type { RunsState } from './runs.svelte';
import type { SettingsState } from './settings.svelte';

const KEY = Symbol('settings');
const RUNS = Symbol('runs');
const STORAGE = Symbol('storage');

/** Reads the app's storage; reactive where the root keeps it in `$state`. */
export type StorageSource = () => Storage | null;

export function setSettings(settings: SettingsState): SettingsState {
  return setContext(KEY, settings);
}

export function getSettings(): SettingsState {
  const settings = getContext<SettingsState | undefined>(KEY);
  if (!settings) throw new Error('SettingsState missing: render inside App or pass one in tests.');
  return settings;
}

export function setRuns(runs: RunsState): RunsState {
  return setContext(RUNS, runs);
}

export function getRuns(): RunsState {
  const runs = getContext<RunsState | undefined>(RUNS);
  if (!runs) throw new Error('RunsState missing: render inside App or pass one in tests.');
  return runs;
}

export function setStorage(storage: StorageSource): StorageSource {
  return setContext(STORAGE, storage);
}

/** The storage the app root opened, or null while it is opening (or outside App, in tests). */
export function getStorage(): StorageSource {
  return getContext<StorageSource | undefined>(STORAGE) ?? (() => null);
}

/** The context map for mounting a component on its own (tests). */
export function appContext(
  settings: SettingsState,
  runs?: RunsState,
  storage?: Storage,
): Map<symbol, unknown> {
  const map = new Map<symbol, unknown>([[KEY, settings]]);
  if (runs) map.set(RUNS, runs);
  if (storage) map.set(STORAGE, () => storage);
  return map;
}
