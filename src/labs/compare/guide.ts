/** Streaming vs non-streaming: steps and a check over the learner's two timings. */
import { seconds, type GuideCheck } from '../../lib/components/guide';

export const steps = [
  'Press Run: the same prompt goes first without streaming, then with `stream=True`.',
  'Compare when the first text appeared in each, and when each answer was complete.',
  'Raise Max tokens and run again: which of the two waits grows with the answer length?',
] as const;

export interface CompareFacts {
  /** The non-streamed answer's total time (its first text came with its last), ms. */
  wholeMs: number | null;
  /** The streamed answer's first text, ms. */
  streamFirstMs: number | null;
  /** The streamed answer's end, ms. */
  streamTotalMs: number | null;
}

export function check(f: CompareFacts): GuideCheck | null {
  if (f.wholeMs === null || f.streamFirstMs === null || f.streamTotalMs === null) return null;
  return {
    question: `Your first text came at ${seconds(f.streamFirstMs)} streaming instead of ${seconds(f.wholeMs)}, yet the totals were ${seconds(f.streamTotalMs)} and ${seconds(f.wholeMs)} — about the same. Why?`,
    why: 'Streaming does not make the model generate faster: it takes the same time to write every token either way. Without streaming the server holds the answer until the last token is written; with streaming each token is sent as soon as it exists. The perceived wait drops to the [[TTFT]], while the total stays about the same.',
  };
}
