/**
 * A fetch that runs in the network worker (net-worker.ts), so arrival times are taken off the
 * main thread. It returns a TimedResponse (arrival.ts) whose body streams the bytes as usual,
 * each chunk stamped with the time (performance.now() scale of this page) at which the worker
 * received it; the response itself knows when the request was handed to the network.
 *
 * Invariants: aborting the signal or cancelling the body aborts the worker's request (the
 * connection closes); a network failure rejects with a TypeError, as fetch does. A failure after
 * the head errors the body only once every chunk that arrived before it has been read: erroring a
 * ReadableStream throws its queue away, and the reader is often away (yielding for a frame, see
 * yield.ts) when a dropped connection's last bytes and its error land in consecutive tasks. An
 * abort is the exception: what is queued when the reader asks to stop is meant to go. A URL
 * outside the CSP's connect-src rule (endpoint.ts) is refused here, before anything is sent,
 * because the page's `<meta>` CSP does not bind the worker.
 */
import { stampArrival, TimedResponse } from './arrival';
import { assertAllowedURL } from './endpoint';
import type { FetchInit, FromWorker, ToWorker } from './net-worker';

const local = (epochMs: number) => epochMs - performance.timeOrigin;

interface Pending {
  resolve: (response: Response) => void;
  reject: (error: unknown) => void;
  stream: ReadableStreamDefaultController<Uint8Array> | null;
  settled: boolean;
  /** A network failure that waits for the reader to take the chunks queued before it. */
  failure: Error | null;
}

/** What the page needs of the worker (a Worker, or a stand-in in tests). */
export type WorkerPort = Pick<Worker, 'postMessage' | 'onmessage'> & Partial<Pick<Worker, 'onerror'>>;

/** Errors the body at once if nothing is queued, else when the reader next finds the queue empty. */
function failAfterQueued(p: Pending, error: Error): void {
  // With a high-water mark of 0, desiredSize is minus the number of chunks queued.
  if (p.stream && (p.stream.desiredSize ?? 0) < 0) p.failure = error;
  else p.stream?.error(error);
}

/**
 * A fetch through `worker`. A worker that fails (its script did not load, say) fails every
 * request it holds and every later one with a TypeError, as a network failure; `onBroken` is told.
 */
export function createWorkerFetch(worker: WorkerPort, onBroken?: () => void): typeof fetch {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let broken: TypeError | null = null;
  const post = (message: ToWorker) => worker.postMessage(message);

  worker.onerror = (event) => {
    event.preventDefault();
    broken = new TypeError(
      `The network worker failed: ${event.message || 'its script could not be loaded'}.`,
    );
    for (const p of pending.values()) {
      if (!p.settled) p.reject(broken);
      else failAfterQueued(p, broken);
    }
    pending.clear();
    onBroken?.();
  };

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === 'head') {
      const body = new ReadableStream<Uint8Array>(
        {
          start: (controller) => {
            p.stream = controller;
          },
          // Called when a read finds the queue empty (high-water mark 0): the queued chunks are read.
          pull: (controller) => {
            if (p.failure) controller.error(p.failure);
          },
          cancel: () => {
            pending.delete(m.id);
            post({ type: 'abort', id: m.id });
          },
        },
        { highWaterMark: 0 },
      );
      const nullBody = [101, 204, 205, 304].includes(m.status);
      const response = new TimedResponse(
        nullBody ? null : body,
        { status: m.status, statusText: m.statusText, headers: m.headers },
        local(m.sentAt),
        local(m.at),
      );
      p.settled = true;
      p.resolve(response);
    } else if (m.type === 'chunk') {
      p.stream?.enqueue(stampArrival(m.bytes, local(m.at)));
    } else if (m.type === 'end') {
      pending.delete(m.id);
      p.stream?.close();
    } else {
      pending.delete(m.id);
      // Never the worker's AbortError: the page forgets a request before it asks for the abort.
      const error = new TypeError(m.message);
      if (p.settled) failAfterQueued(p, error);
      else p.reject(error);
    }
  };

  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal;
      if (broken) return reject(broken);
      if (signal?.aborted) return reject(new DOMException('The request was aborted.', 'AbortError'));
      const url = input instanceof Request ? input.url : String(input);
      try {
        assertAllowedURL(url);
      } catch (error) {
        return reject(error);
      }
      if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
        return reject(new TypeError('The network worker only sends string bodies.'));
      }
      const id = nextId++;
      const p: Pending = { resolve, reject, stream: null, settled: false, failure: null };
      pending.set(id, p);
      signal?.addEventListener(
        'abort',
        () => {
          if (!pending.has(id)) return;
          pending.delete(id);
          post({ type: 'abort', id });
          const error = new DOMException('The request was aborted.', 'AbortError');
          if (p.settled) p.stream?.error(error);
          else reject(error);
        },
        { once: true },
      );
      const fetchInit: FetchInit = {
        method: init?.method ?? 'GET',
        headers: [...new Headers(init?.headers)],
        body: (init?.body as string | null | undefined) ?? null,
        ...(init?.mode ? { mode: init.mode } : {}),
      };
      post({ type: 'fetch', id, url, init: fetchInit });
    });
}

let shared: typeof fetch | null = null;

/** The page's network fetch: through the worker where workers exist, else the plain fetch. */
export function networkFetch(): typeof fetch {
  if (shared) return shared;
  if (typeof Worker === 'undefined') {
    return async (input, init) => {
      assertAllowedURL(input instanceof Request ? input.url : String(input));
      return globalThis.fetch(input, init);
    };
  }
  const worker = new Worker(new URL('./net-worker.ts', import.meta.url), { type: 'module', name: 'network' });
  const made = createWorkerFetch(worker, () => {
    // The next request gets a new worker.
    worker.terminate();
    if (shared === made) shared = null;
  });
  shared = made;
  return shared;
}
