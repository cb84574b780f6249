/**
 * Token counts for the UI (the "estimated" N when a stream carried no usage, replay scripts),
 * computed in a worker where workers exist so counting never blocks the page; inline elsewhere
 * (Node, jsdom). Same tokenizer and same counts either way.
 */
import type { CountReply, CountRequest } from './token-worker';
import { loadTokenizer } from './tokenizer';

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, (counts: number[]) => void>();

function counter(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  if (!worker) {
    worker = new Worker(new URL('./token-worker.ts', import.meta.url), { type: 'module', name: 'tokens' });
    worker.onmessage = (event: MessageEvent<CountReply>) => {
      pending.get(event.data.id)?.(event.data.counts);
      pending.delete(event.data.id);
    };
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
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ id, texts } satisfies CountRequest);
  });
}
