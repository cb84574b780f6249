/**
 * The glossary: one short definition for every term the labs show, so each term can carry its
 * definition one focus away (Term.svelte). Definitions are in our own words and follow the metric
 * definitions in docs/METRICS.md; keep them to one or two sentences.
 */

export const GLOSSARY = {
  chunk:
    'One streamed piece of the answer: one SSE data: frame holding a chat.completion.chunk. It may carry one token, several, or none.',
  token:
    'The unit a model reads and writes: a word, part of a word or a punctuation mark. Billing and max_tokens count tokens, not characters.',
  TTFT: 'Time to first token: from just before the request is sent to the first chunk carrying answer text. What a user feels as waiting.',
  'total time':
    'End-to-end time: from just before the request is sent to the last chunk carrying answer text.',
  'output tokens':
    'Tokens the model generated for this answer: usage.completion_tokens when the stream carried usage, else a tokenizer estimate.',
  'tokens/s':
    'End-to-end rate: output tokens divided by the total time, so the wait for the first token is included.',
  TPOT: 'Time per output token: (total time − TTFT) / (tokens − 1). How fast the model writes once it has started.',
  'decode rate':
    '1 / TPOT: tokens per second once generation has started, leaving out the wait for the first token.',
  include_usage:
    'stream_options.include_usage: ask for one extra final chunk whose usage field holds prompt and completion token counts.',
  include_obfuscation:
    'stream_options.include_obfuscation: OpenAI pads each chunk with random characters so packet sizes do not reveal the text; off saves bandwidth.',
  'stall timeout':
    'How long the page waits without a single byte from the server before it gives up on the stream and reports a stall.',
  retries:
    'How many times the SDK repeats a request that failed before any answer arrived (connection errors, 429, 5xx), with a growing wait.',
  finish_reason:
    'Why the model stopped, sent on the last chunk: stop (finished or hit a stop sequence), length (hit max_tokens), tool_calls.',
  'reasoning tokens':
    'Tokens a reasoning model generates while thinking before it answers: billed as completion tokens, often not shown as text.',
  percentiles:
    'p50 is the median; p95 means 95 of every 100 values were at or below it. Tails (p95, p99) show the rare slow gaps.',
  'chunk gap': 'The time between two chunks with answer text, measured per chunk, not per token.',
  'event type':
    'The Responses API names every streamed event (event: response.output_text.delta, response.completed …), so a client switches on the type instead of guessing from which fields a chunk has.',
  sequence_number:
    'The Responses API numbers its streamed events 0, 1, 2 …: a skipped number means an event was lost, a smaller one that events arrived out of order; a resume starts after the last one received.',
  'background response':
    'A Responses request sent with background: true: the server keeps generating it even if the connection drops, and the stream can be picked up again by its id and last sequence_number.',
  'display pacing':
    'How a chat UI reveals a streamed answer: raw paints whatever has arrived each frame; word-by-word and line-by-line smoothing hold text back to reveal it at a steadier pace, at the cost of added delay.',
  'time to first visible token':
    'From just before the request is sent to the first frame that hands answer text to the view. Pacing can only make it later than TTFT.',
  'display delay':
    'For each character, the time from the network read that carried it to the frame that revealed it. p50 and p95 are over characters.',
  burstiness:
    'How unevenly text appears: over the frames from the first reveal to the last, the coefficient of variation of characters revealed per frame (0 is perfectly steady), and the share of frames that revealed nothing.',
  'time to headers':
    'From just before the request is sent to the response headers arriving: the connection and the server accepting the request, before any text.',
  noise:
    'How much a timing moves between identical requests (network, provider queue, your machine). A difference smaller than the noise may be luck; repeat the request to tell.',
  'confidence interval':
    'A range that holds the true value with the stated probability: here a bootstrap 95% interval for the median, from resampling the requests that ran. More requests make it narrower.',
  concurrency:
    'How many requests of one lane are in flight at once in a benchmark: 1 sends them one after another; more finishes sooner but can meet rate limits and queueing.',
} as const satisfies Record<string, string>;

export type GlossaryTerm = keyof typeof GLOSSARY;

/** The definition of a glossary term. */
export function define(term: GlossaryTerm): string {
  return GLOSSARY[term];
}
