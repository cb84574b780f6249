/** Model race: steps, and a check over the learner's own lanes (race or benchmark). */
import { seconds, type GuideCheck, type LabGuide } from '../../lib/components/guide';

export const steps = [
  'Pick a profile for each lane (the simulator ones need no key) and press Run: every lane starts at the same moment.',
  'Compare the lanes in the table and the chart: does the lane with the lowest [[TTFT]] also finish first? Look at its [[decode rate]].',
  'Set Repeat to 10 and run again: read each metric’s [[percentiles]] and the verdict. Is the difference more than the [[noise]]?',
] as const;

/** One lane as the check reads it: a single run's numbers, or the medians of a benchmark. */
export interface LaneFacts {
  name: string;
  ttftMs: number | null;
  e2eMs: number | null;
  /** Requests that finished without an error. */
  samples: number;
}

export interface RaceFacts {
  lanes: readonly LaneFacts[];
  /** Requests per lane of the last start. */
  repeat: number;
}

/** The lane with the smallest `value`, among those that have one. */
function fastest(lanes: readonly LaneFacts[], value: (lane: LaneFacts) => number | null): LaneFacts | null {
  let best: LaneFacts | null = null;
  for (const lane of lanes) {
    const v = value(lane);
    if (v !== null && (best === null || v < (value(best) ?? Infinity))) best = lane;
  }
  return best;
}

export function check({ lanes, repeat }: RaceFacts): GuideCheck | null {
  const timed = lanes.filter((l) => l.ttftMs !== null && l.e2eMs !== null && l.samples > 0);
  if (timed.length < 2) return null;
  if (repeat > 1) {
    const fewest = Math.min(...timed.map((l) => l.samples));
    return {
      question: `Each lane ran up to ${repeat} requests (at least ${fewest} succeeded). Why is the 95% [[confidence interval]] of the median TTFT narrower than the range from min to max?`,
      why: 'Min and max are single requests: one lucky or one queued request sets them, and more requests only widen the range. The confidence interval says where the typical (median) request lies, and it narrows as samples accumulate. Two lanes differ by more than the [[noise]] only when the interval of their difference leaves out zero — which is what the verdict checks.',
    };
  }
  const first = fastest(timed, (l) => l.ttftMs)!;
  const done = fastest(timed, (l) => l.e2eMs)!;
  if (first !== done)
    return {
      question: `${first.name} showed text first (TTFT ${seconds(first.ttftMs!)}), but ${done.name} finished first (${seconds(done.e2eMs!)}). How can both be true?`,
      why: 'TTFT is the wait before the first token: the queue, the connection and reading the prompt. After that the [[decode rate]] decides: a model that starts quickly but writes slowly is overtaken by one that starts later and writes faster. Which one matters depends on the use: a chat feels fast with a low TTFT, a batch job wants the shortest total time.',
    };
  return {
    question: `${first.name} won both: first text at ${seconds(first.ttftMs!)} and done at ${seconds(first.e2eMs!)}. Press Run again: will it win again, by the same margin?`,
    why: 'One request per lane is one sample, and streaming timings are [[noise|noisy]]: the network, the provider’s queue and your machine move every number from run to run. Set Repeat to 10 or more to see each metric’s spread, and let the verdict say whether the lanes really differ.',
  };
}

export const guide: LabGuide<RaceFacts> = { steps, check };
