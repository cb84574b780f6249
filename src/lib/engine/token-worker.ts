/**
 * The token-count worker: counts tokens for the page so a long answer never blocks rendering.
 * Protocol: in { id, texts } → out { id, counts } (one count per text, in order).
 */
import { loadTokenizer } from './tokenizer';

export interface CountRequest {
  id: number;
  texts: string[];
}
export interface CountReply {
  id: number;
  counts: number[];
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CountRequest>) => void) | null;
  postMessage(message: CountReply): void;
};

scope.onmessage = (event) => {
  const { id, texts } = event.data;
  void loadTokenizer().then((tokenizer) =>
    scope.postMessage({ id, counts: texts.map((text) => tokenizer.count(text)) }),
  );
};
