/** What benchmark mode decides once for the race lab and every single lab. */

/**
 * More requests than this to providers other than the simulator in one start, and the learner is
 * asked first: they are billed, and a burst of them meets rate limits.
 */
export const BILLED_CONFIRM_OVER = 10;

/**
 * What a lab's benchmark repeats, where that differs from what its Run does: said in the panel so
 * the learner knows which request the numbers are of.
 */
export const BENCHMARK_NOTES: Readonly<Record<string, string>> = {
  compare: 'Only the streamed request is repeated; the non-streamed one is not.',
  'early-stop':
    'Each repeat runs to its end: the benchmark sends the plain request and does not stop at the stop phrase.',
  'wire-formats':
    'Each repeat sends the request by both formats at once, so the verdict says whether they differ more than the noise.',
  chat: 'Each repeat sends the next request as it stands now (system prompt, history and your message); the replies do not join the conversation, so every repeat is the same request, not a new turn.',
};
