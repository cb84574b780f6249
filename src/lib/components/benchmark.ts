/** What benchmark mode decides once for the race lab and every single lab. */

/**
 * More requests than this to providers other than the simulator in one start, and the learner is
 * asked first: they are billed, and a burst of them meets rate limits.
 */
export const BILLED_CONFIRM_OVER = 10;
