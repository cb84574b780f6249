/**
 * The token-count worker: counts tokens for the page so a long answer never blocks rendering.
 * Protocol: in { id, texts } → out { id, counts } (one count per text, in order), or
 * { id, error } when the tokenizer could not be loaded (offline, say) or could not count: every
 * request is answered.
 */
import { loadTokenizer } from './tokenizer';

export interface CountRequest {
  id: number;
  texts: string[];
}
export type CountReply = { id: number; counts: number[] } | { id: number; error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CountRequest>) => void) | null;
  postMessage(message: CountReply): void;
};

scope.onmessage = (event) => {
  const { id, texts } = event.data;
  loadTokenizer()
    .then((tokenizer) => texts.map((text) => tokenizer.count(text)))
    .then(
      (counts) => scope.postMessage({ id, counts }),
      (error: unknown) => scope.postMessage({ id, error: String(error) }),
    );
};
