/** Early stop: steps and a check over how much was saved by stopping. */
import { plural, type GuideCheck, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'Press Run with the stop phrase "10": the request is aborted the moment the phrase appears.',
  'Set a phrase that never appears (such as "zzz") and run again: the answer arrives in full.',
  'Switch to server-side stop: compare what the server sends back and its [[finish_reason]].',
] as const;

export interface EarlyStopFacts {
  /** Content chunk that completed the phrase; null when it never appeared. */
  stopChunk: number | null;
  savedChars: number;
  receivedChars: number;
  /** Tokens received by the time of the stop (estimated), when known. */
  receivedTokens: number | null;
}

export function check(run: RunFacts, stop: EarlyStopFacts): GuideCheck | null {
  if (run.status === 'running' || run.status === 'idle' || stop.stopChunk === null) return null;
  const room =
    run.maxTokens !== null && stop.receivedTokens !== null
      ? ` The request allowed up to ${run.maxTokens} tokens; about ${Math.max(0, run.maxTokens - stop.receivedTokens)} of them could still have come.`
      : '';
  return {
    question: `The phrase completed in chunk ${stop.stopChunk}, so you kept ${stop.savedChars} of ${stop.receivedChars} characters received, in ${plural(stop.stopChunk, 'chunk')}.${room} What did stopping there save?`,
    why: 'Breaking out of the loop aborts the request: the connection closes and the provider stops generating, so you do not wait for, or pay for, the tokens that would have followed. Anything already in flight (the rest of the last chunk) is dropped by your code, not by the server.',
  };
}
