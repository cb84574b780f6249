/**
 * The network worker: performs fetches for the page and timestamps every read of the response
 * body the moment it arrives. Rendering on the main thread cannot delay these times.
 *
 * Protocol (ids are per request): in  { type: 'fetch', id, url, init } | { type: 'abort', id }
 *                                 out { type: 'head', id, sentAt, at, status, statusText, headers }
 *                                     | { type: 'chunk', id, at, bytes } | { type: 'end', id, at }
 *                                     | { type: 'error', id, message }
 * Times are epoch ms (timeOrigin + now), so the page can convert them to its own clock.
 * The page's `<meta>` CSP does not apply here, so every URL is checked against the same rule
 * (endpoint.ts) before it is fetched; a refused URL ends as an error, never a request.
 */
import { assertAllowedURL } from './endpoint';

export interface FetchInit {
  method: string;
  headers: [string, string][];
  body: string | null;
  mode?: RequestMode;
}

export type ToWorker =
  { type: 'fetch'; id: number; url: string; init: FetchInit } | { type: 'abort'; id: number };

export type FromWorker =
  | {
      type: 'head';
      id: number;
      sentAt: number;
      at: number;
      status: number;
      statusText: string;
      headers: [string, string][];
    }
  | { type: 'chunk'; id: number; at: number; bytes: Uint8Array }
  | { type: 'end'; id: number; at: number }
  | { type: 'error'; id: number; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
};
const epoch = () => performance.timeOrigin + performance.now();
const controllers = new Map<number, AbortController>();

async function run(id: number, url: string, init: FetchInit): Promise<void> {
  const controller = new AbortController();
  controllers.set(id, controller);
  try {
    assertAllowedURL(url);
    const sentAt = epoch();
    const response = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: controller.signal,
      ...(init.mode ? { mode: init.mode } : {}),
    });
    scope.postMessage({
      type: 'head',
      id,
      sentAt,
      at: epoch(),
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers],
    });
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        scope.postMessage({ type: 'chunk', id, at: epoch(), bytes: value }, [value.buffer]);
      }
    }
    scope.postMessage({ type: 'end', id, at: epoch() });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    scope.postMessage({ type: 'error', id, message: e.message });
  } finally {
    controllers.delete(id);
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'fetch') void run(message.id, message.url, message.init);
  else controllers.get(message.id)?.abort();
};
