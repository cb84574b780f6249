/**
 * A model race (and its benchmark) as a run file: additive on version 1, in a `race` field. The
 * file's own run fields are the first lane's run, so any reader of version 1 (an older app, the
 * saved-runs panel's overlay, replay and CSV) sees a plain run; `race.lanes` holds every lane, and
 * `race.benchmark` every repeated request's figures. Reading one back is parse.ts; its CSV is
 * `raceCsv` here.
 *
 * Invariants:
 * - A lane names its profile by public facts only: name, provider, base URL through publicURL (no
 *   user, password, query or fragment), model and API. There is no field for a key.
 * - A lane's run is a whole version-1 run (it replays on its own) and never carries a race.
 * - How a run becomes a benchmark sample (`benchmarkSample`), and a lane's summary from the
 *   samples (`laneSummary`, sample-stats' `summarize`), is decided here only; the importer
 *   recomputes summaries from the samples, so a file cannot carry one its samples contradict.
 * - Distributions are of successful requests only (`laneValues`): a failed request (a 429 has a
 *   time to headers and an end) is not a sample of the endpoint's speed; failures are counted
 *   apart.
 */
import { publicURL } from '../engine/endpoint';
import type { Provider } from '../engine/providers';
import type { Api } from '../engine/types';
import { finiteSamples, summarize, type Distribution } from '../metrics/sample-stats';
import { csvCell } from './csv';
import type { ExportedRun } from './format';

/** The most lanes a race has. */
export const MAX_RACE_LANES = 4;
/** The most requests per lane a benchmark repeats (the Repeat field's max). */
export const MAX_BENCHMARK_REPEAT = 200;

/** Who ran a lane: public facts only, never a key. */
export interface RaceProfileRecord {
  name: string;
  provider: Provider;
  /** The base URL as publicURL shows it. */
  baseURL: string;
  model: string;
  api: Api;
}

/** What the learner entered as a lane's price, in dollars per million tokens. */
export interface LanePrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** One request's figures in a benchmark (each null when the request did not yield it). */
export interface BenchmarkSample {
  /** The lane's position in `race.lanes`, from 0. */
  lane: number;
  /** The request's number within its lane, from 0. */
  index: number;
  ttftMs: number | null;
  e2eMs: number | null;
  tpotMs: number | null;
  /** Tokens per second: 1000 / tpotMs. */
  decodeRate: number | null;
  headersMs: number | null;
  /** Output tokens (usage, else the tokenizer's estimate). */
  tokens: number | null;
  /** The error's title when the request failed. */
  error?: string;
}

/** The figures a sample has, each a metric a benchmark summarises. */
export const SAMPLE_METRICS = [
  { key: 'headersMs', label: 'time to headers', unit: 'ms' },
  { key: 'ttftMs', label: 'TTFT', unit: 'ms' },
  { key: 'tpotMs', label: 'TPOT', unit: 'ms' },
  { key: 'decodeRate', label: 'decode rate', unit: 'tokens/s' },
  { key: 'e2eMs', label: 'end-to-end time', unit: 'ms' },
  { key: 'tokens', label: 'tokens', unit: 'tokens' },
] as const;
export type SampleMetric = (typeof SAMPLE_METRICS)[number]['key'];

/** A lane's distribution of each metric over its samples (null: no sample had it). */
export type LaneSummary = Record<SampleMetric, Distribution | null>;

export interface RaceLaneRecord {
  profile: RaceProfileRecord;
  /** The lane's run (its last, when benchmarked): chunks, metrics, usage, finishReason, error, text. */
  run: ExportedRun;
  /** Only when the learner entered a price. */
  price?: LanePrice;
  /** Only in a benchmark: the lane's distributions over its samples. */
  summary?: LaneSummary;
}

export interface BenchmarkRecord {
  /** Requests per lane asked for (a stopped benchmark has fewer samples). */
  repeat: number;
  /** Requests in flight at once per lane (1: one after another). */
  concurrency: number;
  samples: BenchmarkSample[];
}

export interface RaceRecord {
  lanes: RaceLaneRecord[];
  benchmark?: BenchmarkRecord;
}

export interface RaceLaneInput {
  profile: RaceProfileRecord;
  run: ExportedRun;
  price?: LanePrice | null;
}

/** A sample from a finished request's run file (or the metrics and error part of one). */
export function benchmarkSample(
  lane: number,
  index: number,
  run: Pick<ExportedRun, 'metrics' | 'error'>,
): BenchmarkSample {
  const { metrics: m, error } = run;
  return {
    lane,
    index,
    ttftMs: m.ttftMs,
    e2eMs: m.e2eMs,
    tpotMs: m.tpotMs,
    decodeRate: m.tpotMs !== null && m.tpotMs > 0 ? 1000 / m.tpotMs : null,
    headersMs: m.headersMs ?? null,
    tokens: m.completionTokens,
    ...(error ? { error: error.title || error.kind } : {}),
  };
}

/** One metric's values over a lane's successful requests that yielded it. */
export function laneValues(samples: readonly BenchmarkSample[], lane: number, key: SampleMetric): number[] {
  return finiteSamples(samples.filter((s) => s.lane === lane && s.error === undefined).map((s) => s[key]));
}

/** One lane's distributions: each metric over the lane's successful requests that have it. */
export function laneSummary(samples: readonly BenchmarkSample[], lane: number): LaneSummary {
  return Object.fromEntries(
    SAMPLE_METRICS.map(({ key }) => [key, summarize(laneValues(samples, lane, key))]),
  ) as LaneSummary;
}

/** A profile as a file keeps it: the base URL through publicURL. */
export function profileRecord(profile: RaceProfileRecord): RaceProfileRecord {
  return {
    name: profile.name,
    provider: profile.provider,
    baseURL: publicURL(profile.baseURL),
    model: profile.model,
    api: profile.api,
  };
}

/** A lane's run as a race keeps it: no nested race, its base URL through publicURL. */
export function laneRun(run: ExportedRun): ExportedRun {
  const { race: _nested, ...plain } = run;
  return plain.request
    ? { ...plain, request: { ...plain.request, baseURL: publicURL(plain.request.baseURL) } }
    : plain;
}

/**
 * The run file of a race: the first lane's run, labelled with the race's lab, plus every lane and,
 * for a benchmark, its samples and each lane's summary.
 */
export function raceFile(
  lab: string,
  lanes: readonly RaceLaneInput[],
  benchmark?: BenchmarkRecord | null,
): ExportedRun {
  const first = lanes[0];
  if (!first) throw new Error('A race has at least one lane.');
  if (lanes.length > MAX_RACE_LANES) throw new Error(`A race has at most ${MAX_RACE_LANES} lanes.`);
  const samples = benchmark?.samples.filter((s) => s.lane >= 0 && s.lane < lanes.length) ?? [];
  const race: RaceRecord = {
    lanes: lanes.map((lane, i) => ({
      profile: profileRecord(lane.profile),
      run: laneRun(lane.run),
      ...(lane.price ? { price: { ...lane.price } } : {}),
      ...(benchmark ? { summary: laneSummary(samples, i) } : {}),
    })),
    ...(benchmark
      ? {
          benchmark: {
            repeat: benchmark.repeat,
            concurrency: benchmark.concurrency,
            samples: samples.map((s) => ({ ...s })),
          },
        }
      : {}),
  };
  return { ...laneRun(first.run), lab, race };
}

/** A request's cost in dollars at a lane's price, or null without a price or usage. */
export function requestCost(run: Pick<ExportedRun, 'usage'>, price: LanePrice | undefined): number | null {
  if (!price || !run.usage) return null;
  return (
    (run.usage.prompt_tokens * price.inputPerMillion + run.usage.completion_tokens * price.outputPerMillion) /
    1_000_000
  );
}

const CSV_COLUMNS = [
  'lane',
  'lane_number',
  'model',
  'index',
  'headers_ms',
  'ttft_ms',
  'tpot_ms',
  'decode_rate',
  'e2e_ms',
  'tokens',
  'error',
] as const;

const round3 = (v: number | null): number | null => (v === null ? null : +v.toFixed(3));

/**
 * A race as CSV, one row per sample: `lane,lane_number,model,index,headers_ms,ttft_ms,tpot_ms,
 * decode_rate,e2e_ms,tokens,error` (lane: the profile's name; lane_number: its lane, from 1, which
 * tells apart two lanes on one profile; an empty cell where a figure is missing). A race
 * without a benchmark has one row per lane, from its run. Cells are written as every CSV here.
 */
export function raceCsv(file: ExportedRun): string {
  const race = file.race;
  if (!race) throw new Error('This run is not a race: use its run CSV.');
  const samples = race.benchmark?.samples ?? race.lanes.map((lane, i) => benchmarkSample(i, 0, lane.run));
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of samples) {
    const profile = race.lanes[s.lane]?.profile;
    lines.push(
      [
        profile?.name ?? `Lane ${s.lane + 1}`,
        s.lane + 1,
        profile?.model ?? '',
        s.index,
        round3(s.headersMs),
        round3(s.ttftMs),
        round3(s.tpotMs),
        round3(s.decodeRate),
        round3(s.e2eMs),
        s.tokens,
        s.error ?? null,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
