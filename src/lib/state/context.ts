/** The app-wide SettingsState, handed down through Svelte context. */
import { getContext, setContext } from 'svelte';
import type { SettingsState } from './settings.svelte';

const KEY = Symbol('settings');

export function setSettings(settings: SettingsState): SettingsState {
  return setContext(KEY, settings);
}

export function getSettings(): SettingsState {
  const settings = getContext<SettingsState | undefined>(KEY);
  if (!settings) throw new Error('SettingsState missing: render inside App or pass one in tests.');
  return settings;
}

/** The context map that provides `settings`, for mounting a component on its own (tests). */
export function settingsContext(settings: SettingsState): Map<symbol, SettingsState> {
  return new Map([[KEY, settings]]);
}
