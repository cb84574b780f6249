/** Word detection: steps and a check that shows where a watch word was split across chunks. */
import { type GuideCheck, type RunFacts } from '../../lib/components/guide';

export const steps = [
  'Press Run with the default watch words and note the chunk in which each one was found.',
  'Add a word of your own, such as a word you expect in the answer, and run again.',
  'Read the code below: the check searches the text received so far, not each [[chunk]] alone. Why?',
] as const;

export interface SplitWord {
  word: string;
  /** The word's pieces as they arrived, one per chunk ("Ne", "ural"). */
  pieces: string[];
  /** 1-based numbers of the first and last chunk holding it. */
  from: number;
  to: number;
}

/**
 * The first occurrence of each watch word whose letters arrived in more than one chunk.
 * Case-insensitive, as detection is; pieces keep the answer's own spelling.
 */
export function splitWords(chunkTexts: readonly string[], words: readonly string[]): SplitWord[] {
  const text = chunkTexts.join('');
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return [];
  const starts: number[] = [];
  let at = 0;
  for (const chunk of chunkTexts) {
    starts.push(at);
    at += chunk.length;
  }
  /** 0-based index of the chunk holding character i. */
  const chunkOf = (i: number) => {
    let c = 0;
    while (c + 1 < starts.length && (starts[c + 1] as number) <= i) c++;
    return c;
  };
  const out: SplitWord[] = [];
  for (const word of words) {
    const start = lower.indexOf(word.toLowerCase());
    if (start === -1 || !word) continue;
    const end = start + word.length - 1;
    const first = chunkOf(start);
    const last = chunkOf(end);
    if (first === last) continue;
    const pieces: string[] = [];
    for (let c = first; c <= last; c++) {
      const from = Math.max(start, starts[c] as number);
      const to = Math.min(end + 1, (starts[c] as number) + (chunkTexts[c] as string).length);
      pieces.push(text.slice(from, to));
    }
    out.push({ word, pieces, from: first + 1, to: last + 1 });
  }
  return out;
}

export function check(run: RunFacts, words: readonly string[]): GuideCheck | null {
  if ((run.status !== 'done' && run.status !== 'stopped') || !run.chunks || !words.length) return null;
  const split = splitWords(run.chunkTexts, words);
  const first = split[0];
  if (!first) {
    return {
      question: `None of your watch words was split across [[chunk]]s this time. Would a check of each chunk on its own have been safe anyway?`,
      why: 'No: a provider may cut a word anywhere ("Ne" in one chunk, "ural" in the next). It happened not to this time, but a check of each chunk alone would miss such a word. Search the text received so far, starting a word\'s length before the new chunk, so a match that spans the boundary is found and the cost per chunk stays small.',
    };
  }
  const shown = split.map((s) => `${s.pieces.join('|')}, chunks ${s.from}–${s.to}`).join('; ');
  return {
    question: `Your answer split a watch word across [[chunk]]s: ${shown}. Would \`word in chunk\` have found it?`,
    why: `No: no single chunk held "${first.word}" whole. The lab appends each chunk to the text received so far and searches that, starting a word's length before the new chunk, so a word cut by a chunk boundary is still found, in the chunk that completed it (chunk ${first.to}).`,
  };
}
