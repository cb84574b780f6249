/**
 * What every single-prompt lab opens with: the settings, its run, and its request form (prompt,
 * parameters, and the request they make in the dialect the connection's endpoint and model take).
 * Call it while the lab component initialises.
 */
import type { ChatRequest } from '../lib/engine/types';
import type { LabInfo } from '../lib/lab';
import { getSettings } from '../lib/state/context';
import { RequestFormState } from '../lib/state/request-form.svelte';
import { RunState } from '../lib/state/run.svelte';

/** `extra` adds the lab's own request fields; it is read each time the request is built. */
export function setupLab(lab: LabInfo, extra?: () => Partial<ChatRequest>) {
  const settings = getSettings();
  const run = new RunState(lab.id);
  const form = new RequestFormState(
    lab,
    () => settings.settings.model,
    () => settings.dialect,
    extra,
  );
  return { settings, run, form };
}
