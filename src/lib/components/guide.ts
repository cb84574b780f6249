/**
 * What a lab's "Try this" guide is: two or three numbered steps, and a check that turns the
 * learner's own run into a question with its explanation. Each lab keeps its guide as data in a
 * guide.ts of its own, beside the lab; TryThis.svelte, beside this module, renders any of them.
 * Checks are pure functions of plain numbers, so they are unit-tested without a browser.
 */

/** A run's status, written out (the same union as RunStatus in the run state): a guide is plain
 * data that depends on no other module; TryThis's runFacts assigns RunState's status to it, so the
 * two cannot drift apart unnoticed. */
type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/** A question about the learner's own run, and the explanation revealed on demand. */
export interface GuideCheck {
  question: string;
  why: string;
}

/** The plain facts of one run that a check may use (from RunState, at the time it is read). */
export interface RunFacts {
  status: RunStatus;
  /** First answer text − t0, ms. */
  ttftMs: number | null;
  /** Last answer text − t0, ms. */
  e2eMs: number | null;
  /** Chunks carrying answer text. */
  chunks: number;
  /** Every chunk the SDK parsed, content or not. */
  allChunks: number;
  chars: number;
  /** Output tokens (usage, else a tokenizer estimate). */
  tokens: number | null;
  tokensEstimated: boolean;
  /** Whether the stream carried a usage chunk. */
  usage: boolean;
  finishReason: string | null;
  /** The answer text of each content chunk, in order. */
  chunkTexts: readonly string[];
  /** The request's max_tokens (or max_completion_tokens). */
  maxTokens: number | null;
  toolCalls: number;
  reasoningChunks: number;
}

export interface LabGuide<F = RunFacts> {
  steps: readonly string[];
  /** Null until the run has what the check needs. */
  check: (facts: F) => GuideCheck | null;
}

/** "2.55 s": a time as the labs' own tables show it, so the learner can find it there. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
