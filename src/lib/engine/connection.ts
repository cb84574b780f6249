/**
 * Building a Connection — base URL, key, fetch, retries, stall limit — from plain settings: the
 * one place that decides which fetch a provider uses and whether a key goes with it.
 *
 * Invariant: a simulated connection carries no key and never touches the network; every other
 * connection fetches through the network worker (worker-fetch.ts), which enforces the URL rule.
 */
import { baseURLFor, type Endpoint } from './providers';
import type { Connection } from './types';
import { networkFetch } from './worker-fetch';

/** The plain values a connection is built from (a subset of the stored settings). */
export interface ConnectionSettings extends Endpoint {
  maxRetries: number;
  /** Seconds without bytes before a stream counts as stalled. */
  stallSeconds: number;
}

/**
 * The connection for `settings` with `apiKey`. `simulator` is the offline fetch used when the
 * provider is the simulator; the key is then dropped.
 */
export function buildConnection(
  settings: ConnectionSettings,
  apiKey: string,
  simulator: typeof fetch,
): Connection {
  const simulated = settings.provider === 'simulator';
  return {
    baseURL: baseURLFor(settings),
    apiKey: simulated ? '' : apiKey,
    fetch: simulated ? simulator : networkFetch(),
    maxRetries: settings.maxRetries,
    stallMs: settings.stallSeconds * 1000,
  };
}
