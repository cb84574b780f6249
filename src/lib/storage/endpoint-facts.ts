/**
 * What each endpoint was found to accept (engine/dialect.ts EndpointFacts), kept per endpoint
 * (`endpointId`: provider and public base URL) and model, in one versioned record.
 *
 * Invariant: a stored entry holds the endpoint id, the model name and parameter names only;
 * `endpointId` is built from `publicURL`, and anything unknown in a stored record is dropped on
 * the way in, so no key can be kept here.
 */
import { OMITTABLE, type EndpointFacts, type OmittableParam } from '../engine/dialect';
import type { Storage } from './store';

const FACTS_KEY = 'endpoint-facts';
const FACTS_VERSION = 1;

/** The facts learned for one model at one endpoint. */
export interface FactsEntry {
  endpoint: string;
  model: string;
  facts: EndpointFacts;
}

function cleanFacts(data: unknown): EndpointFacts | null {
  if (typeof data !== 'object' || data === null) return null;
  const { tokenLimit, omit } = data as Partial<Record<keyof EndpointFacts, unknown>>;
  return {
    ...(tokenLimit === 'max_tokens' || tokenLimit === 'max_completion_tokens' ? { tokenLimit } : {}),
    omit: Array.isArray(omit) ? OMITTABLE.filter((p: OmittableParam) => (omit as unknown[]).includes(p)) : [],
  };
}

function cleanEntries(data: unknown): FactsEntry[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { endpoint, model, facts } = item as Record<string, unknown>;
    const clean = cleanFacts(facts);
    return typeof endpoint === 'string' && typeof model === 'string' && clean
      ? [{ endpoint, model, facts: clean }]
      : [];
  });
}

export async function loadEndpointFacts(storage: Storage): Promise<FactsEntry[]> {
  return cleanEntries(await storage.read<unknown>(FACTS_KEY, FACTS_VERSION));
}

export function saveEndpointFacts(storage: Storage, entries: readonly FactsEntry[]): Promise<void> {
  return storage.write(FACTS_KEY, FACTS_VERSION, cleanEntries(entries));
}
