/**
 * What the rest of the app knows about the offline simulator without loading it: its models, its
 * timing (and the defaults stored settings start from), its options, and `lazySimulator`, a fetch
 * that loads the simulator (simulator.ts: answers, encodings, sampling) on its first request.
 *
 * Invariant: this module imports no simulator code at load time, so the page and the connection
 * settings paint without it; the simulator's chunk arrives with the first simulated request.
 */
import { loadOnce } from '../../load-once';
import { TimedResponse } from '../arrival';
import type { Piece, Step } from './steps';

export type { Piece, Step } from './steps';

export interface SimTiming {
  /** Time to first token, ms. */
  ttftMs: number;
  /** Mean delay between tokens, ms. */
  tokenMs: number;
  /** 0..1: how much each delay varies around its mean. */
  jitter: number;
  /** 0..1: the share of chunks that carry 2–4 tokens instead of one. Missing: 0. */
  packing?: number;
  /**
   * 0..1: the share of frames the network holds back and delivers in one body read with the next;
   * above 0, the closing frames (finish, usage, [DONE]) also share a read. Missing: 0, one frame a
   * read.
   */
  batching?: number;
}

/** Stored settings without the newer fields get these (storage/settings.ts merges them in). */
export const DEFAULT_TIMING: SimTiming = {
  ttftMs: 350,
  tokenMs: 22,
  jitter: 0.5,
  packing: 0.3,
  batching: 0.2,
};

/** A small, quick model: an early first token and a fast, even decode. */
export const FAST_TIMING: SimTiming = {
  ttftMs: 150,
  tokenMs: 8,
  jitter: 0.3,
  packing: 0.2,
  batching: 0.1,
};

/**
 * A provider whose tokens arrive in clumps: most chunks carry several tokens and most frames are
 * held back by the network, so the mean decode rate is near DEFAULT_TIMING's but the gaps are not.
 */
export const BURSTY_TIMING: SimTiming = {
  ttftMs: 450,
  tokenMs: 24,
  jitter: 0.8,
  packing: 0.8,
  batching: 0.7,
};

/** A reasoning model: a long wait before the first token, then a slower decode. */
export const THINKING_TIMING: SimTiming = {
  ttftMs: 900,
  tokenMs: 30,
  jitter: 0.5,
  packing: 0.3,
  batching: 0.2,
};

/** The model that reasons before it answers, as OpenAI's o-series and DeepSeek's reasoner do. */
export const THINKING_MODEL = 'sim-thinking';

export const SIMULATOR_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', THINKING_MODEL];

export interface SimulatorOptions {
  timing: () => SimTiming;
  /**
   * Replaces the built-in answers: e.g. a recorded run's pieces, replayed with their timings. A
   * piece without a channel is answer text; a Step may also be reasoning or a tool-call piece.
   */
  script?: () => (Piece | Step)[] | null;
  /**
   * Read once per request that generates an answer: 'error' makes it fail half-way through its
   * steps (a Responses stream sends an `error` event and response.failed, a chat stream an error
   * frame, a non-streamed request gets a 500); null or missing, it runs to its end.
   */
  fault?: () => 'error' | null;
}

/** The simulator's code: loaded on its first request, or earlier by the app once the page is idle. */
export function loadSimulator(): Promise<typeof import('./simulator')> {
  return import('./simulator');
}

/**
 * The simulator's fetch, created (and its code loaded) on the first request, then reused: every
 * request reaches the one simulator, which keeps its background responses across requests. Each
 * response is a TimedResponse sent once the simulator was there, so loading its code never counts
 * in a run's times. A load that failed (offline) is tried again on the next request.
 */
export function lazySimulator(options: SimulatorOptions): typeof fetch {
  const simulator = loadOnce(() => loadSimulator().then((m) => m.createSimulator(options)));
  return async (input, init) => {
    const simulate = await simulator();
    const sentAt = performance.now();
    const response = await simulate(input, init);
    return new TimedResponse(response.body, response, sentAt, performance.now());
  };
}
