import { describe, expect, it } from 'vitest';
import type { ExportedRun } from '../../src/lib/run-file/format';
import {
  MAX_BENCHMARK_SAMPLES,
  MAX_IMPORT_CHUNKS,
  parseExportedRun,
  readRun,
} from '../../src/lib/run-file/parse';
import {
  benchmarkSample,
  laneSummary,
  raceCsv,
  raceFile,
  requestCost,
  type BenchmarkSample,
  type RaceLaneInput,
  type RaceLaneRecord,
} from '../../src/lib/run-file/race';
import { runToCsv } from '../../src/lib/run-file/csv';
import { loadRuns, saveRuns } from '../../src/lib/storage/runs';
import { memoryStorage } from '../../src/lib/storage/store';

/** A lane's run as RunState.exportRun() gives it. */
function laneRunOf(model: string, baseURL: string, ttft: number, text: string): ExportedRun {
  return {
    version: 1,
    lab: 'model-race',
    startedAt: 1700000000000,
    request: { model, baseURL, stream: true, messages: [{ role: 'user', content: 'Hi' }] },
    chunks: [
      { t: ttft, text: text.slice(0, 3) },
      { t: ttft + 20, text: text.slice(3) },
    ],
    metrics: {
      ttftMs: ttft,
      e2eMs: ttft + 20,
      tpotMs: 10,
      chunks: 2,
      chars: text.length,
      promptTokens: 5,
      completionTokens: 3,
      tokensEstimated: false,
      gaps: null,
      headersMs: ttft / 2,
    },
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    finishReason: 'stop',
    error: null,
    text,
  };
}

/** A file as JSON would carry it: a deep copy a test may break by hand. */
const copy = (file: ExportedRun): ExportedRun => JSON.parse(JSON.stringify(file)) as ExportedRun;

const SECRET_URL = 'https://alice:sk-secret-123456@api.example.com/v1?api_key=sk-query-abcdef#sk-frag';

const lanes: RaceLaneInput[] = [
  {
    profile: {
      name: 'Simulator · fast',
      provider: 'simulator',
      baseURL: 'https://simulator.local/v1',
      model: 'gpt-4o-mini',
      api: 'chat',
    },
    run: laneRunOf('gpt-4o-mini', 'https://simulator.local/v1', 100, 'Hello there'),
  },
  {
    profile: { name: '=Custom', provider: 'custom', baseURL: SECRET_URL, model: 'llama', api: 'responses' },
    run: laneRunOf('llama', SECRET_URL, 300, 'Howdy partner'),
    price: { inputPerMillion: 1, outputPerMillion: 2 },
  },
];

function sample(lane: number, index: number, ttft: number | null, error?: string): BenchmarkSample {
  return {
    lane,
    index,
    ttftMs: ttft,
    e2eMs: ttft === null ? null : ttft + 50,
    tpotMs: ttft === null ? null : 10,
    decodeRate: ttft === null ? null : 100,
    headersMs: ttft === null ? null : ttft / 2,
    tokens: ttft === null ? null : 6,
    ...(error ? { error } : {}),
  };
}

const samples = [
  ...[100, 110, 120, 130, 140].map((t, i) => sample(0, i, t)),
  ...[300, 310, 320, 330].map((t, i) => sample(1, i, t)),
  sample(1, 4, null, 'Rate limited (429)'),
];

describe('raceFile', () => {
  it("is the first lane's run under the race's lab, with every lane and its public profile", () => {
    const file = raceFile('model-race', lanes);
    expect(file.lab).toBe('model-race');
    expect(file.text).toBe('Hello there');
    expect(file.chunks).toEqual(lanes[0]!.run.chunks);
    expect(file.race?.lanes.map((l) => l.profile.name)).toEqual(['Simulator · fast', '=Custom']);
    expect(file.race?.lanes[1]?.run.text).toBe('Howdy partner');
    expect(file.race?.lanes[1]?.price).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(file.race?.lanes[0]).not.toHaveProperty('price');
    expect(file.race).not.toHaveProperty('benchmark');
    expect(file.race?.lanes[0]).not.toHaveProperty('summary');
  });

  it("keeps no part of a key from a lane's base URL: user, password, query and fragment go", () => {
    const file = raceFile('model-race', lanes);
    expect(file.race?.lanes[1]?.profile.baseURL).toBe('https://api.example.com/v1');
    expect(file.race?.lanes[1]?.run.request?.baseURL).toBe('https://api.example.com/v1');
    const json = JSON.stringify(file);
    expect(json).not.toContain('sk-');
    expect(json).not.toContain('alice');
  });

  it("never nests a race inside a lane's run", () => {
    const nested = raceFile('model-race', lanes);
    const again = raceFile('model-race', [{ ...lanes[0]!, run: nested }, lanes[1]!]);
    expect(again.race?.lanes[0]?.run).not.toHaveProperty('race');
    expect(again.race?.lanes).toHaveLength(2);
  });

  it('refuses no lanes and more lanes than a race has', () => {
    expect(() => raceFile('model-race', [])).toThrow(/at least one lane/);
    expect(() => raceFile('model-race', [...lanes, ...lanes, lanes[0]!])).toThrow(/at most 4 lanes/);
  });

  it("summarises a benchmark per lane, leaving a failed request's missing figures out", () => {
    const file = raceFile('model-race', lanes, { repeat: 5, concurrency: 2, samples });
    expect(file.race?.benchmark).toEqual({ repeat: 5, concurrency: 2, samples });
    const [fast, custom] = file.race!.lanes;
    expect(fast?.summary?.ttftMs).toMatchObject({ n: 5, min: 100, max: 140, p50: 120 });
    expect(custom?.summary?.ttftMs).toMatchObject({ n: 4, min: 300, max: 330, p50: 315 });
    expect(custom?.summary?.decodeRate?.n).toBe(4);
  });
});

describe('benchmarkSample', () => {
  it("takes a run's figures, its decode rate from TPOT and its error's title", () => {
    const run = laneRunOf('m', 'https://x/v1', 200, 'abcdef');
    expect(benchmarkSample(1, 3, run)).toEqual({
      lane: 1,
      index: 3,
      ttftMs: 200,
      e2eMs: 220,
      tpotMs: 10,
      decodeRate: 100,
      headersMs: 100,
      tokens: 3,
    });
    const failed = {
      ...run,
      metrics: { ...run.metrics, ttftMs: null, e2eMs: null, tpotMs: null, completionTokens: null },
      error: { kind: 'rate-limit', title: 'Rate limited (429)', detail: '…' },
    };
    expect(benchmarkSample(0, 0, failed)).toMatchObject({
      ttftMs: null,
      decodeRate: null,
      tokens: null,
      error: 'Rate limited (429)',
    });
  });

  it('summarises successful requests only: a 429 has a time to headers and an end, but is no sample', () => {
    const limited: BenchmarkSample = {
      ...sample(1, 5, null, 'Rate limited (429)'),
      headersMs: 5,
      e2eMs: 6,
    };
    const summary = laneSummary([...samples, limited], 1);
    expect(summary.headersMs).toMatchObject({ n: 4, min: 150 });
    expect(summary.e2eMs).toMatchObject({ n: 4, min: 350 });
    expect(summary.ttftMs?.n).toBe(4);
  });

  it('summarises only the given lane', () => {
    expect(laneSummary(samples, 0).ttftMs?.n).toBe(5);
    expect(laneSummary(samples, 2).ttftMs).toBeNull();
  });
});

describe('reading a race back', () => {
  it('reads back exactly what it exported, benchmark and all', () => {
    const file = raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples });
    expect(parseExportedRun(JSON.stringify(file))).toEqual(file);
    const plain = raceFile('model-race', lanes);
    expect(parseExportedRun(JSON.stringify(plain))).toEqual(plain);
  });

  it('still reads a file without a race unchanged, adding no race', () => {
    const run = laneRunOf('m', 'https://x/v1', 50, 'plain run');
    const read = parseExportedRun(JSON.stringify(run));
    expect(read).toEqual(run);
    expect(read).not.toHaveProperty('race');
  });

  it('drops what a profile must not carry and strips credentials from hand-made lanes', () => {
    const file = copy(raceFile('model-race', lanes));
    const [first, second] = file.race!.lanes as [RaceLaneRecord, RaceLaneRecord];
    Object.assign(second.profile, { apiKey: 'sk-planted-999', baseURL: SECRET_URL });
    Object.assign(second.run.request!, { apiKey: 'sk-planted-999', baseURL: SECRET_URL });
    Object.assign(second, { apiKey: 'sk-planted-999' });
    Object.assign(first.profile, { provider: 'martian' });
    const read = readRun(file, Infinity);
    expect(JSON.stringify(read)).not.toContain('sk-');
    expect(read.race?.lanes[1]?.profile).toEqual({
      name: '=Custom',
      provider: 'custom',
      baseURL: 'https://api.example.com/v1',
      model: 'llama',
      api: 'responses',
    });
    expect(read.race?.lanes[0]?.profile.provider).toBe('custom');
  });

  it('refuses a lane without a profile or a run, and more than four lanes, saying which', () => {
    const file = raceFile('model-race', lanes);
    const noProfile = copy(file);
    Reflect.deleteProperty(noProfile.race!.lanes[1]!, 'profile');
    expect(() => readRun(noProfile, Infinity)).toThrow(/lane 2 has no profile/);
    const noRun = copy(file);
    Object.assign(noRun.race!.lanes[0]!, { run: { version: 1 } });
    expect(() => readRun(noRun, Infinity)).toThrow(/no valid chunks/);
    const many = copy(file);
    const [a, b] = many.race!.lanes as [RaceLaneRecord, RaceLaneRecord];
    many.race!.lanes = [a, b, a, b, a];
    expect(() => readRun(many, Infinity)).toThrow(/5 lanes; a race has at most 4/);
  });

  it('recomputes summaries from the samples, drops malformed samples and nested races', () => {
    const file = copy(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples }));
    const first = file.race!.lanes[0]!;
    first.summary!.ttftMs!.p50 = 1;
    Object.assign(first.run, { race: copy(file).race });
    (file.race!.benchmark!.samples as unknown[]).push(
      { lane: 7, index: 0, ttftMs: 1 },
      { lane: 0, index: -1, ttftMs: 1 },
      { lane: 0, index: 9, ttftMs: 'fast', error: 42 },
      'junk',
    );
    const read = readRun(file, Infinity);
    expect(read.race?.lanes[0]?.summary?.ttftMs).toMatchObject({ n: 5, p50: 120 });
    expect(read.race?.lanes[0]?.run).not.toHaveProperty('race');
    const kept = read.race?.benchmark?.samples ?? [];
    expect(kept).toHaveLength(samples.length + 1);
    expect(kept.at(-1)).toEqual({
      lane: 0,
      index: 9,
      ttftMs: null,
      e2eMs: null,
      tpotMs: null,
      decodeRate: null,
      headersMs: null,
      tokens: null,
    });
  });

  it("keeps a stored benchmark's own summaries at load, and recomputes an import's or a malformed one", async () => {
    const file = copy(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples }));
    file.race!.lanes[0]!.summary!.ttftMs!.p50 = 1;
    const broken = copy(file);
    broken.race!.lanes[0]!.summary!.ttftMs!.ci95 = [1] as unknown as [number, number];
    const storage = memoryStorage();
    await saveRuns(storage, [
      { id: 'a', name: 'kept', savedAt: 1, run: file },
      { id: 'b', name: 'broken', savedAt: 2, run: broken },
    ]);
    const [kept, mended] = await loadRuns(storage);
    expect(kept?.run.race?.lanes[0]?.summary?.ttftMs).toMatchObject({ n: 5, p50: 1 });
    expect(kept?.run.race?.lanes[1]?.summary).toEqual(file.race!.lanes[1]!.summary);
    expect(mended?.run.race?.lanes[0]?.summary?.ttftMs).toMatchObject({ n: 5, p50: 120 });
    expect(parseExportedRun(JSON.stringify(file)).race?.lanes[0]?.summary?.ttftMs).toMatchObject({
      p50: 120,
    });
  });

  it('drops a benchmark without a valid repeat or concurrency, keeping the lanes', () => {
    const file = copy(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples }));
    file.race!.benchmark!.concurrency = 0;
    const read = readRun(file, Infinity);
    expect(read.race).not.toHaveProperty('benchmark');
    expect(read.race?.lanes[0]).not.toHaveProperty('summary');
    expect(read.race?.lanes).toHaveLength(2);
  });

  it('refuses more samples than the app can make, and two for one request, saying why', () => {
    const many = Array.from({ length: MAX_BENCHMARK_SAMPLES + 1 }, (_, i) => sample(i % 2, i >> 1, 100));
    const file = copy(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples: many }));
    expect(() => readRun(file, MAX_IMPORT_CHUNKS)).toThrow(/801 samples; a benchmark has at most 800/);
    const fits = copy(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples: many.slice(1) }));
    expect(readRun(fits, MAX_IMPORT_CHUNKS).race?.benchmark?.samples).toHaveLength(MAX_BENCHMARK_SAMPLES);
    const twice = copy(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples }));
    twice.race!.benchmark!.samples.push({ ...samples[0]!, ttftMs: 1 });
    expect(() => parseExportedRun(JSON.stringify(twice))).toThrow(/two samples for the same request/);
  });

  it('refuses more benchmark samples than an import takes', () => {
    const file = raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples });
    expect(() => readRun(copy(file), 5)).toThrow(/10 benchmark chunks/);
  });
});

describe('raceCsv', () => {
  it('writes one row per sample with the lane name, each figure and the error', () => {
    const csv = raceCsv(raceFile('model-race', lanes, { repeat: 5, concurrency: 1, samples }));
    const rows = csv.trimEnd().split('\n');
    expect(rows[0]).toBe(
      'lane,lane_number,model,index,headers_ms,ttft_ms,tpot_ms,decode_rate,e2e_ms,tokens,error',
    );
    expect(rows).toHaveLength(1 + samples.length);
    expect(rows[1]).toBe('"Simulator · fast",1,"gpt-4o-mini",0,50,100,10,100,150,6,');
    expect(rows.at(-1)).toBe(`"'=Custom",2,"llama",4,,,,,,,"Rate limited (429)"`);
  });

  it('writes one row per lane for a race without a benchmark', () => {
    const rows = raceCsv(raceFile('model-race', lanes)).trimEnd().split('\n');
    expect(rows.slice(1)).toEqual([
      '"Simulator · fast",1,"gpt-4o-mini",0,50,100,10,100,120,3,',
      `"'=Custom",2,"llama",0,150,300,10,100,320,3,`,
    ]);
  });

  it("refuses a run that is not a race, whose CSV is the run's own", () => {
    const run = laneRunOf('m', 'https://x/v1', 50, 'plain run');
    expect(() => raceCsv(run)).toThrow(/not a race/);
    expect(runToCsv(raceFile('model-race', lanes))).toBe(runToCsv({ ...lanes[0]!.run, lab: 'model-race' }));
  });
});

describe('requestCost', () => {
  it("prices a request's usage per million tokens, and nothing without a price or usage", () => {
    const run = laneRunOf('m', 'https://x/v1', 50, 'abc');
    expect(requestCost(run, { inputPerMillion: 1, outputPerMillion: 2 })).toBeCloseTo(11e-6, 12);
    expect(requestCost(run, undefined)).toBeNull();
    expect(requestCost({ usage: null }, { inputPerMillion: 1, outputPerMillion: 2 })).toBeNull();
  });
});
