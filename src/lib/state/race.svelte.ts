/**
 * RaceState: one prompt raced over several connections (lanes), and benchmark mode — each lane's
 * request repeated `repeat` times, at most `concurrency` at once per lane, every finished request
 * kept as a sample of plain numbers.
 *
 * Invariants:
 * - Lanes are isolated: each lane's requests run in their own RunStates, so a lane that fails
 *   (CORS, 401, 429, even a throw) ends only its own request; every other lane, and the lane's own
 *   remaining repeats, go on.
 * - Per lane at most `concurrency` requests are in flight; lanes run side by side, so a plain race
 *   (repeat 1) starts every lane at once.
 * - `stop()` aborts every request in flight and starts no more. Samples that finished (done or
 *   failed) are kept, including one whose stream had ended when Stop came (still counting its
 *   tokens); a request Stop aborted is not a sample.
 * - A lane shows the RunState of its most recently started request (`lane.run`); a sample keeps
 *   only numbers, so a long benchmark does not hold every answer.
 * - The connection (and so the key) a lane is handed at `start` is used for that lane only.
 * - `started` is the last start's lanes, in their order then, each with its profile's public
 *   facts then: a sample's `lane` is a position in it, and a finished race is labelled and
 *   exported from it, whatever lanes or profiles the learner changes afterwards.
 */
import type { ChatRequest, Connection } from '../engine/types';
import {
  benchmarkSample,
  MAX_BENCHMARK_REPEAT,
  MAX_RACE_LANES,
  type BenchmarkSample,
  type RaceProfileRecord,
} from '../run-file/race';
import { RunState } from './run.svelte';

export type { BenchmarkSample };

/** What one lane sends, and where, and who it races (public facts): built by the caller once per start. */
export interface LaneRequest {
  request: ChatRequest;
  connection: Connection;
  /** Omitted where nothing is labelled by profile (a single lab's benchmark). */
  profile?: RaceProfileRecord;
}

/** A lane as the last start raced it: the lane, and its profile's public facts at that moment. */
export interface StartedLane {
  lane: RaceLane;
  profile: RaceProfileRecord | null;
}

export interface RaceOptions {
  /** Requests per lane; 1 is a plain race, MAX_BENCHMARK_REPEAT the most (more is clamped). */
  repeat: number;
  /** Requests in flight at once per lane; 1 sends them one after another. */
  concurrency: number;
}

/** The most lanes a race can have (the file format's limit); the fewest is 1 (a single lab's benchmark). */
export const MAX_LANES = MAX_RACE_LANES;

let laneIds = 0;

/** One lane: the run on show and the samples so far. */
export class RaceLane {
  /** Stable across adds and removes (for keyed lists). */
  readonly id = ++laneIds;
  /** The connection profile the lane races (the learner's choice; '' until chosen). */
  profileId = $state('');
  /** The learner's price in dollars per million input and output tokens; null: not entered. */
  inputPrice = $state<number | null>(null);
  outputPrice = $state<number | null>(null);
  #run: RunState;
  #samples = $state.raw<BenchmarkSample[]>([]);

  constructor(lab: string) {
    this.#run = $state.raw(new RunState(lab));
  }

  /** The lane's most recently started request. */
  get run(): RunState {
    return this.#run;
  }
  /** Every finished request of the last start, in the order they finished. */
  get samples(): BenchmarkSample[] {
    return this.#samples;
  }
  /** The samples that did not fail. */
  get succeeded(): BenchmarkSample[] {
    return this.#samples.filter((s) => s.error === undefined);
  }

  /** @internal RaceState's: a new start. */
  reset(): void {
    this.#samples = [];
  }
  /** @internal RaceState's: a request started and is now on show. */
  show(run: RunState): void {
    this.#run = run;
  }
  /** @internal RaceState's: a request finished. */
  record(sample: BenchmarkSample): void {
    this.#samples = [...this.#samples, sample];
  }
}

export class RaceState {
  #lanes = $state.raw<RaceLane[]>([]);
  #started = $state.raw<StartedLane[]>([]);
  #running = $state(false);
  #done = $state(0);
  #total = $state(0);
  #etaMs = $state<number | null>(null);
  #options = $state.raw<RaceOptions>({ repeat: 1, concurrency: 1 });
  /** Bumped by every start: a worker of an older one records and starts nothing more. */
  #generation = 0;
  /** Stop was pressed since the last start: workers record what ended and start nothing more. */
  #stopped = false;
  /** The requests to abort on stop; bookkeeping, never read reactively. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- see above
  #inFlight = new Set<RunState>();

  constructor(
    readonly lab: string,
    lanes = 2,
  ) {
    this.#lanes = Array.from({ length: lanes }, () => new RaceLane(lab));
  }

  get lanes(): RaceLane[] {
    return this.#lanes;
  }
  /** The last start's lanes and profiles, as they were when it started. */
  get started(): readonly StartedLane[] {
    return this.#started;
  }
  get running(): boolean {
    return this.#running;
  }
  /** Requests finished (done or failed) since the last start. */
  get done(): number {
    return this.#done;
  }
  /** Requests the last start asked for: lanes × repeat. */
  get total(): number {
    return this.#total;
  }
  /** Time left, from the pace so far (null until a request has finished, and once over). */
  get etaMs(): number | null {
    return this.#etaMs;
  }
  /** The repeat and concurrency of the last start. */
  get options(): RaceOptions {
    return this.#options;
  }
  get hasRun(): boolean {
    return this.#total > 0;
  }

  /** Adds a lane (up to MAX_LANES) and returns it; not while running. */
  addLane(): RaceLane | null {
    if (this.#running || this.#lanes.length >= MAX_LANES) return null;
    const lane = new RaceLane(this.lab);
    this.#lanes = [...this.#lanes, lane];
    return lane;
  }

  /** Removes a lane, keeping at least one; not while running. */
  removeLane(lane: RaceLane): void {
    if (this.#running || this.#lanes.length <= 1) return;
    this.#lanes = this.#lanes.filter((l) => l !== lane);
  }

  /**
   * Starts every lane with what `prepare` gives it (called once per lane, in lane order) and
   * resolves when all have ended, however each ended. Stops a start still running first.
   */
  async start(prepare: (lane: RaceLane, index: number) => LaneRequest, options: RaceOptions): Promise<void> {
    this.stop();
    const generation = ++this.#generation;
    this.#stopped = false;
    const repeat = Math.min(MAX_BENCHMARK_REPEAT, Math.max(1, Math.floor(options.repeat)));
    const concurrency = Math.max(1, Math.floor(options.concurrency));
    const lanes = this.#lanes;
    const prepared = lanes.map((lane, i) => prepare(lane, i));
    for (const lane of lanes) lane.reset();
    this.#started = lanes.map((lane, i) => {
      const profile = prepared[i]!.profile;
      return { lane, profile: profile ? { ...profile } : null };
    });
    this.#options = { repeat, concurrency };
    this.#done = 0;
    this.#total = lanes.length * repeat;
    this.#etaMs = null;
    this.#running = true;
    const startedAt = performance.now();
    await Promise.allSettled(
      lanes.map((lane, i) =>
        this.#runLane(lane, i, prepared[i]!, repeat, concurrency, generation, startedAt),
      ),
    );
    if (this.#generation === generation) this.#running = false;
  }

  /** Aborts every request in flight and starts no more; finished samples stay. */
  stop(): void {
    this.#stopped = true;
    for (const run of this.#inFlight) run.stop();
    this.#inFlight.clear();
    this.#running = false;
    this.#etaMs = null;
  }

  /** One lane's repeats, `concurrency` workers taking the next repeat as each finishes. */
  async #runLane(
    lane: RaceLane,
    laneIndex: number,
    { request, connection }: LaneRequest,
    repeat: number,
    concurrency: number,
    generation: number,
    startedAt: number,
  ): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < repeat && !this.#stopped) {
        const index = next++;
        const run = new RunState(this.lab);
        this.#inFlight.add(run);
        lane.show(run);
        try {
          await run.start(request, connection);
        } finally {
          this.#inFlight.delete(run);
        }
        if (this.#generation !== generation) return; // a newer start owns the lanes now
        // A request that ended on its own is a sample, even when Stop came while it was still
        // settling (counting its tokens); one Stop aborted is not.
        if (run.status === 'stopped') return;
        lane.record(benchmarkSample(laneIndex, index, run.exportRun()));
        this.#done++;
        if (this.#stopped) return;
        const elapsed = performance.now() - startedAt;
        this.#etaMs = this.#done < this.#total ? (elapsed / this.#done) * (this.#total - this.#done) : null;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, repeat) }, worker));
  }
}
