/** Live markdown: steps and a check over the learner's run. */
import { plural, type GuideCheck, type LabGuide, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'Press Run and watch a heading, a list or a code block form while its text is still arriving.',
  'Notice how an unclosed `**bold` or code fence renders before its closing marks arrive.',
  'Lower Max tokens to 40 and run again: what does the answer look like when it is cut off?',
] as const;

/** Characters a clear-and-redraw loop parses: the whole text so far, once per chunk. */
export function redrawCost(chunkTexts: readonly string[]): number {
  let length = 0;
  let total = 0;
  for (const text of chunkTexts) {
    length += text.length;
    total += length;
  }
  return total;
}

export function check(run: RunFacts): GuideCheck | null {
  if ((run.status !== 'done' && run.status !== 'stopped') || !run.chunks) return null;
  if (run.finishReason === 'length') {
    return {
      question: `Your answer stopped with [[finish_reason]] "length" after ${plural(run.tokens ?? run.chunks, 'token')}. Was it finished?`,
      why: 'No: "length" means the model hit max_tokens mid-answer. A list or a code block may be left open; the renderer closes it for display, but the text itself is cut off. Raise Max tokens, or ask for a shorter answer.',
    };
  }
  return {
    question: `Your answer was ${run.chars} characters in ${plural(run.chunks, 'chunk')}. Redrawing the whole answer on every chunk, as a simple display loop does, parses ${redrawCost(run.chunkTexts)} characters in all. Why does that grow faster than the answer?`,
    why: 'Each redraw parses everything received so far, so the cost grows with the square of the answer length. This lab seals finished blocks and re-renders only the live last block, so each chunk costs about the same however long the answer gets.',
  };
}

export const guide: LabGuide = { steps, check };
