/** Basic streaming: steps and a check over the learner's run. */
import { plural, type GuideCheck, type LabGuide, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'Press Run and watch the text appear [[chunk]] by chunk behind the cursor.',
  'Open the code below: find `stream=True`, the loop over chunks and `chunk.choices[0].delta.content`.',
  'In the Python, spot `print(..., end="", flush=True)`: without `flush=True` the text would appear in bursts, not as it arrives.',
] as const;

export function check(run: RunFacts): GuideCheck | null {
  if (run.status !== 'done' || !run.allChunks) return null;
  const other = run.allChunks - run.chunks;
  return {
    question: `The SDK parsed ${plural(run.allChunks, 'chunk')}, but only ${run.chunks} carried text. What were the other ${other}, and what does your loop have to do about them?`,
    why: 'The first chunk usually carries only the role, the last only the [[finish_reason]] (and, with [[include_usage]], a usage-only chunk follows with no choices at all). Their `delta.content` is `None` (null), so a loop that appends it without a check fails or prints "None": always handle `None` content.',
  };
}

export const guide: LabGuide = { steps, check };
