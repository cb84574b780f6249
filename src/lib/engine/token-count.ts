/**
 * Token counts for the UI (the "estimated" N when a stream carried no usage, replay scripts),
 * computed in a worker where workers exist so counting never blocks the page; inline elsewhere
 * (Node, jsdom). Same tokenizer and same counts either way.
 *
 * Invariant: every count settles. A tokenizer that cannot be loaded rejects it, and so does a
 * worker that fails (its script did not load, say); the next count starts a new worker. A run
 * waits for its estimate before it settles (RunState), so a count that never answered would
 * leave the run, and a Chat reply stopped by the learner, unsettled.
 */
import type { CountReply, CountRequest } from './token-worker';
import { loadTokenizer } from './tokenizer';

interface Pending {
  resolve: (counts: number[]) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function counter(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  if (!worker) {
    const w = new Worker(new URL('./token-worker.ts', import.meta.url), { type: 'module', name: 'tokens' });
    w.onmessage = (event: MessageEvent<CountReply>) => {
      const reply = event.data;
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      if ('error' in reply) p?.reject(new Error(`Could not count tokens: ${reply.error}`));
      else p?.resolve(reply.counts);
    };
    w.onerror = (event) => {
      event.preventDefault();
      w.terminate();
      if (worker === w) worker = null;
      const failed = [...pending.values()];
      pending.clear();
      for (const p of failed) p.reject(new Error('Could not count tokens: the counting worker failed.'));
    };
    worker = w;
  }
  return worker;
}

/** Counts the tokens of each text (o200k_base), off the main thread where possible. */
export async function countTokens(texts: string[]): Promise<number[]> {
  const w = counter();
  if (!w) {
    const tokenizer = await loadTokenizer();
    return texts.map((text) => tokenizer.count(text));
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, texts } satisfies CountRequest);
  });
}
