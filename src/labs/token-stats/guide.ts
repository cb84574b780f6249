/** Token stats: steps and a check about chunks versus tokens. */
import { plural, type GuideCheck, type LabGuide, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'Press Run: the token counts come from the final chunk that [[include_usage]] asks for.',
  'Compare [[TTFT]] with the total time, and look at the gaps between chunks in the chart.',
  'Run the same prompt twice and compare: which numbers move, and which stay the same?',
] as const;

export function check(run: RunFacts): GuideCheck | null {
  if (run.status !== 'done' || !run.chunks || run.tokens === null) return null;
  const source = run.usage ? 'from the usage chunk' : 'estimated by a tokenizer, since no usage chunk came';
  return {
    question: `Your run had ${plural(run.chunks, 'chunk')} with text but ${plural(run.tokens, 'token')} (${source}). Why are the two numbers different?`,
    why: 'A chunk is a unit of delivery, a [[token]] is a unit of generation: a provider may pack several tokens into one chunk, and send chunks with no text at all (role, [[finish_reason]], usage). Counting chunks does not count tokens, so track both, and ask for usage with `stream_options={"include_usage": True}` to get the real count.',
  };
}

export const guide: LabGuide = { steps, check };
