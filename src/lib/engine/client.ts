/**
 * Builds the SDK client for one request: the configured base URL and key, a small visible retry
 * budget, and a fetch that goes through the wire tap so every byte is timestamped.
 */
import OpenAI from 'openai';
import type { Connection } from './types';
import { tapFetch, type WireLog } from './wire';

/** The SDK's telemetry headers force a CORS preflight that some local servers refuse. */
function withoutTelemetryHeaders(inner: typeof fetch): typeof fetch {
  return (input, init) => {
    if (!init?.headers) return inner(input, init);
    const headers = new Headers(init.headers);
    for (const name of [...headers.keys()]) {
      if (name.startsWith('x-stainless')) headers.delete(name);
    }
    return inner(input, { ...init, headers });
  };
}

export function createClient(connection: Connection, wire: WireLog): OpenAI {
  return new OpenAI({
    baseURL: connection.baseURL,
    // The SDK insists on a key; local servers usually need none.
    apiKey: connection.apiKey || 'no-key',
    dangerouslyAllowBrowser: true,
    maxRetries: connection.maxRetries,
    timeout: 120_000,
    fetch: tapFetch(withoutTelemetryHeaders(connection.fetch), wire, connection.stallMs),
  });
}
