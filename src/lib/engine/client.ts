/**
 * Builds the SDK client for one request: the configured base URL and key, a small visible retry
 * budget, and a fetch that goes through the wire tap so every byte is timestamped.
 *
 * Invariant: the SDK is imported here, dynamically, and nowhere else but for its error classes
 * (`openai/core/error`, a few KiB): the page paints and the labs open without it, and its chunk
 * loads on the first request (Run, Test connection). A run's times start when a request is handed
 * to the network (wire.ts t0), so loading the SDK never counts in them.
 */
import type OpenAI from 'openai';
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

/**
 * The SDK retries every 429, but "insufficient_quota" will not pass by waiting: mark it with the
 * SDK's own `x-should-retry: false` so it is reported at once.
 */
function noRetryOnQuota(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 429) return response;
    const body = await response.text();
    if (!body.includes('insufficient_quota')) {
      return new Response(body, { status: 429, statusText: response.statusText, headers: response.headers });
    }
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(body, { status: 429, statusText: response.statusText, headers });
  };
}

/** The SDK's module: loaded on the first request, or earlier by the app once the page is idle. */
export function loadSdk(): Promise<typeof import('openai')> {
  return import('openai');
}

export async function createClient(connection: Connection, wire: WireLog): Promise<OpenAI> {
  const { default: OpenAI } = await loadSdk();
  return new OpenAI({
    baseURL: connection.baseURL,
    // The SDK insists on a key; local servers usually need none.
    apiKey: connection.apiKey || 'no-key',
    dangerouslyAllowBrowser: true,
    maxRetries: connection.maxRetries,
    timeout: 120_000,
    fetch: tapFetch(noRetryOnQuota(withoutTelemetryHeaders(connection.fetch)), wire, connection.stallMs),
  });
}
