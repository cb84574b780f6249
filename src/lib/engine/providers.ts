/**
 * The providers a connection can use and the base URL each one means: the one place that decides
 * it. Settings, show-code snippets and the connection panel all ask `baseURLFor`.
 *
 * Invariant: the simulator's base URL is a reserved `.invalid` host, so a simulated request that
 * somehow reached the network could never leave the machine.
 */
import { baseURLProblem, keyScope, publicURL } from './endpoint';

export type Provider = 'simulator' | 'openai' | 'custom';

/** Each provider's name as the connection panel and the header show it, in menu order. */
export const PROVIDER_NAMES: Readonly<Record<Provider, string>> = {
  simulator: 'Simulator',
  openai: 'OpenAI',
  custom: 'Custom',
};

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const SIMULATOR_BASE_URL = 'https://simulator.invalid/v1';

/** What a base URL is chosen from: the provider, and the URL typed for Custom. */
export interface Endpoint {
  provider: Provider;
  /** Base URL for the Custom provider (the others are fixed). */
  customBaseURL: string;
}

/** The base URL a provider means; a custom URL loses surrounding spaces and trailing slashes. */
export function baseURLFor(endpoint: Endpoint): string {
  if (endpoint.provider === 'simulator') return SIMULATOR_BASE_URL;
  if (endpoint.provider === 'openai') return OPENAI_BASE_URL;
  return endpoint.customBaseURL.trim().replace(/\/+$/, '');
}

/** The scope a key for this endpoint must have (`keyScope`); '' for the simulator, which takes none. */
export function scopeOf(endpoint: Endpoint): string {
  return endpoint.provider === 'simulator' ? '' : keyScope(endpoint.provider, baseURLFor(endpoint));
}

/**
 * What facts learned about an endpoint are filed under (engine/dialect.ts EndpointFacts): its
 * provider and its base URL's origin and path, as `publicURL` shows it, so never a secret.
 * Unlike a key's scope it keeps the path: two servers behind one host may take different fields.
 */
export function endpointId(endpoint: Endpoint): string {
  return `${endpoint.provider} ${publicURL(baseURLFor(endpoint))}`;
}

/** Why this endpoint cannot be used (a custom base URL outside the allowed rule); null when it can. */
export function endpointProblem(endpoint: Endpoint): string | null {
  return endpoint.provider === 'custom' ? baseURLProblem(baseURLFor(endpoint)) : null;
}
