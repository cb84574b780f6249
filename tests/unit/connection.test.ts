/**
 * Which base URL a provider means and what a connection built from settings carries.
 */
import { describe, expect, it } from 'vitest';
import { buildConnection } from '../../src/lib/engine/connection';
import {
  baseURLFor,
  endpointProblem,
  OPENAI_BASE_URL,
  scopeOf,
  SIMULATOR_BASE_URL,
} from '../../src/lib/engine/providers';

const simulator: typeof fetch = async () => new Response('');
const plain = { customBaseURL: ' http://localhost:8080/v1// ', maxRetries: 2, stallSeconds: 5 };

describe('baseURLFor', () => {
  it('gives each fixed provider its own URL', () => {
    expect(baseURLFor({ ...plain, provider: 'openai' })).toBe(OPENAI_BASE_URL);
    expect(baseURLFor({ ...plain, provider: 'simulator' })).toBe(SIMULATOR_BASE_URL);
  });

  it('trims spaces and trailing slashes from a custom URL', () => {
    expect(baseURLFor({ ...plain, provider: 'custom' })).toBe('http://localhost:8080/v1');
  });
});

describe('scopeOf and endpointProblem', () => {
  it('gives the simulator no key scope and other providers their origin', () => {
    expect(scopeOf({ ...plain, provider: 'simulator' })).toBe('');
    expect(scopeOf({ ...plain, provider: 'custom' })).toBe('custom http://localhost:8080');
  });

  it('refuses a custom URL outside the rule and nothing else', () => {
    expect(endpointProblem({ provider: 'custom', customBaseURL: 'http://example.com/v1' })).toMatch(/https/);
    expect(endpointProblem({ provider: 'openai', customBaseURL: 'http://example.com/v1' })).toBeNull();
  });
});

describe('buildConnection', () => {
  it('sends a simulated run through the simulator without a key', () => {
    const connection = buildConnection({ ...plain, provider: 'simulator' }, 'sk-secret', simulator);
    expect(connection).toMatchObject({
      baseURL: SIMULATOR_BASE_URL,
      apiKey: '',
      maxRetries: 2,
      stallMs: 5000,
    });
    expect(connection.fetch).toBe(simulator);
  });

  it('sends a real provider its key over the network fetch', () => {
    const connection = buildConnection({ ...plain, provider: 'openai' }, 'sk-secret', simulator);
    expect(connection).toMatchObject({ baseURL: OPENAI_BASE_URL, apiKey: 'sk-secret' });
    expect(connection.fetch).not.toBe(simulator);
  });
});
