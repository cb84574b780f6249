/** Tools and structured output: steps and a check over the learner's run. */
import { plural, type GuideCheck, type LabGuide, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'With "Tool call" chosen, press Run: watch the call\'s arguments arrive as pieces of JSON.',
  'Watch the live object fill in while the JSON is still incomplete.',
  'Choose "Structured output" and run again: the answer itself is now JSON.',
] as const;

export function check(run: RunFacts): GuideCheck | null {
  if (run.status !== 'done' || !run.allChunks) return null;
  if (run.toolCalls) {
    return {
      question: `Your run asked for ${plural(run.toolCalls, 'tool call')} over ${plural(run.allChunks, 'chunk')}, with [[finish_reason]] "${run.finishReason ?? 'none'}". What must your code do next?`,
      why: 'A tool call is a request, not an answer: finish_reason "tool_calls" means the model is waiting. Join each call\'s argument pieces by its index, parse the JSON once it is complete, run the function, and send the result back in a tool message so the model can answer.',
    };
  }
  return {
    question: `Your run came in ${plural(run.allChunks, 'chunk')} with [[finish_reason]] "${run.finishReason ?? 'none'}" and no tool call. When is the JSON in it safe to use?`,
    why: 'Only once it is complete: until then a partial parser can show what has arrived, but a value may still change (a string still growing, a number with more digits to come).',
  };
}

export const guide: LabGuide = { steps, check };
