/**
 * The recap's content: the key takeaways and best practices of the source lab, in our own words,
 * and every lab's "Try this" steps so progress can be counted against them.
 */
import { steps as basic } from '../basic-streaming/guide';
import { steps as chat } from '../chat/guide';
import { steps as compare } from '../compare/guide';
import { steps as earlyStop } from '../early-stop/guide';
import { steps as generate } from '../generate/guide';
import { steps as liveMarkdown } from '../live-markdown/guide';
import { steps as modelRace } from '../model-race/guide';
import { steps as tokenStats } from '../token-stats/guide';
import { steps as tools } from '../tools/guide';
import { steps as wireFormats } from '../wire-formats/guide';
import { steps as wordDetection } from '../word-detection/guide';

/** Lab id → its steps, in tab order. */
export const GUIDE_STEPS: Readonly<Record<string, readonly string[]>> = {
  generate,
  compare,
  'basic-streaming': basic,
  'live-markdown': liveMarkdown,
  'word-detection': wordDetection,
  'early-stop': earlyStop,
  'token-stats': tokenStats,
  tools,
  chat,
  'wire-formats': wireFormats,
  'model-race': modelRace,
};

export interface RecapSection {
  title: string;
  points: readonly string[];
}

/** `code` in backticks and [[term]] glossary links, as in the guides. */
export const TAKEAWAYS: readonly RecapSection[] = [
  {
    title: 'Why stream',
    points: [
      'A model writes one [[token]] at a time, each depending on the ones before; streaming sends each as soon as it exists.',
      'The answer feels faster: the wait a user notices drops to the [[TTFT]], while the [[total time]] stays about the same.',
      'You can act on the answer while it arrives: render it, watch it for words, or stop it early and not pay for the rest.',
    ],
  },
  {
    title: 'How to stream',
    points: [
      'Set `stream=True` in the request.',
      'Iterate over the [[chunk]]s as they arrive.',
      'Read each piece of text from `chunk.choices[0].delta.content`.',
    ],
  },
  {
    title: 'Common patterns',
    points: [
      'Live markdown: render finished blocks once and only the live last block again, instead of redrawing everything.',
      'Word and phrase detection: search the text received so far, since a word can be split across chunks.',
      'Early termination: break out of the loop to abort the request; the connection closes and generation stops.',
      'Token counting: ask for usage with `stream_options={"include_usage": True}` ([[include_usage]]).',
    ],
  },
  {
    title: 'Two wire formats',
    points: [
      'Chat Completions streams one chunk object per frame and ends with `[DONE]`; the Responses API streams typed events, each with an [[event type]] and a [[sequence_number]].',
      'Responses announces and closes every item and part and repeats the full text in its done events: more frames and more bytes for the same answer.',
      'Choose Responses for reasoning summaries, built-in tools and a [[background response]] that survives a dropped connection; choose Chat Completions to reach every OpenAI-compatible server.',
    ],
  },
  {
    title: 'Comparing models',
    points: [
      'Race the same prompt on several models at once: the lowest [[TTFT]] and the shortest total time can belong to different models.',
      'One request is one sample: repeat it and compare medians and their [[confidence interval]]s, not single numbers, before calling one provider faster.',
    ],
  },
];

export const BEST_PRACTICES: readonly string[] = [
  'Print with `flush=True` (and `end=""`), so text appears as it arrives instead of in bursts.',
  'Handle `None` content: role-only, finish and usage chunks carry no text.',
  'Track both chunks and content: count chunks, and keep the text they carried; a chunk is not a [[token]].',
  'Read the [[finish_reason]]: "length" means the answer was cut off by max_tokens.',
  'Set a [[stall timeout]] and a number of [[retries]], so a stream that goes quiet or a request that fails does not hang your app.',
  'Send the whole conversation each turn: the API keeps no history between requests.',
];
