/** The app-wide SettingsState, handed down through Svelte context. */
import { getContext, setContext } from 'svelte';
import type { RunsState } from './runs.svelte';
import type { SettingsState } from './settings.svelte';

const KEY = Symbol('settings');
const RUNS = Symbol('runs');

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

/** The context map for mounting a component on its own (tests). */
export function appContext(settings: SettingsState, runs?: RunsState): Map<symbol, unknown> {
  const map = new Map<symbol, unknown>([[KEY, settings]]);
  if (runs) map.set(RUNS, runs);
  return map;
}
