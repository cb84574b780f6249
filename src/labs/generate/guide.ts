/** How LLMs generate: steps and a check over the learner's run. */
import { plural, seconds, type GuideCheck, type LabGuide, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'Press Run with logprobs on, then step through the answer one [[token]] at a time with Next token.',
  'Focus a chip: how likely was the token the model picked, and what were its alternatives?',
  'Raise the temperature and run again: do the less likely alternatives start to win?',
] as const;

export function check(run: RunFacts): GuideCheck | null {
  if (run.status !== 'done' || run.tokens === null || !run.chunks) return null;
  return {
    question: `Your answer was ${plural(run.tokens, 'token')}${run.tokensEstimated ? ' (estimated)' : ''}, and the first arrived at ${seconds(run.ttftMs ?? 0)}. Why could the model not have sent its last token first?`,
    why: 'Generation is autoregressive: each token is chosen from probabilities computed over the prompt plus every token already generated. The last token does not exist until all the ones before it do, which is exactly why an answer can be streamed token by token.',
  };
}

export const guide: LabGuide = { steps, check };
