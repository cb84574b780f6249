/**
 * RaceState: lanes and benchmark repeats over the real SDK, against the real simulator (a fetch
 * that speaks SSE) and the real local SSE server. Order is made certain with the server's gates,
 * never with timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator, type SimTiming } from '../../src/lib/engine/simulator/simulator';
import type { ChatRequest, Connection } from '../../src/lib/engine/types';
import { startedRaceFile } from '../../src/labs/model-race/lanes';
import { raceCsv, type RaceProfileRecord } from '../../src/lib/run-file/race';
import { MAX_LANES, RaceState, type LaneRequest } from '../../src/lib/state/race.svelte';
import { HELLO, startServer, streamOf, type Scenario, type TestServer } from '../server/sse-server';

const KEY = 'sk-race-unit-0123456789';
const QUICK: SimTiming = { ttftMs: 5, tokenMs: 1, jitter: 0 };

/** A stream of HELLO whose n-th request (1-based, per model) waits at gate `<model>:<n>` after "Hello". */
function numbered(model: string): Scenario {
  let n = 0;
  return (body) => streamOf(HELLO, body, 2, { index: 0, gate: `${model}:${++n}` });
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    keys: [KEY],
    scenarios: { held: numbered('held'), pool: numbered('pool'), seq: numbered('seq') },
  });
});
afterAll(() => server.close());

const request = (model: string): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'Say hello' }],
  max_tokens: 30,
  include_usage: true,
});

function onServer(
  model: string,
  fetch: typeof globalThis.fetch = globalThis.fetch,
  apiKey = KEY,
): LaneRequest {
  const connection: Connection = { baseURL: server.baseURL, apiKey, fetch, maxRetries: 0, stallMs: 60_000 };
  return { request: request(model), connection };
}

function onSimulator(timing = QUICK): LaneRequest {
  const connection: Connection = {
    baseURL: SIMULATOR_BASE_URL,
    apiKey: '',
    fetch: createSimulator({ timing: () => timing }),
    maxRetries: 0,
    stallMs: 60_000,
  };
  return { request: request('gpt-4o-mini'), connection };
}

const requestsFor = (model: string) => server.requests.filter((r) => r.body?.model === model);

describe('RaceState', () => {
  it('starts every lane at once, and a lane that fails (429, 401) fails alone', async () => {
    const race = new RaceState('model-race', 2);
    race.addLane();
    race.addLane();
    const lanes = [
      onServer('held'),
      onSimulator(),
      onServer('rate-limit'),
      onServer('test-model', undefined, 'sk-wrong'),
    ];
    const gate = server.hold('held:1');
    const done = race.start((_lane, i) => lanes[i]!, { repeat: 1, concurrency: 1 });
    await gate.reached;
    // Lane 1 is held open at the server; the others have all run to their end meanwhile.
    await expect.poll(() => race.lanes.slice(1).map((l) => l.samples.length)).toEqual([1, 1, 1]);
    expect(race.lanes[0]!.run.status).toBe('running');
    expect(race.running).toBe(true);
    gate.release();
    await done;
    const [held, simulated, limited, refused] = race.lanes;
    expect(held!.run.text).toBe(HELLO.join(''));
    expect(held!.samples[0]).toMatchObject({ lane: 0, index: 0, tokens: HELLO.length });
    expect(held!.samples[0]!.error).toBeUndefined();
    expect(simulated!.run.status).toBe('done');
    expect(simulated!.run.text.length).toBeGreaterThan(0);
    expect(limited!.run.status).toBe('error');
    expect(limited!.run.error?.status).toBe(429);
    expect(limited!.samples).toEqual([
      expect.objectContaining({ lane: 2, error: limited!.run.error!.title }),
    ]);
    expect(refused!.run.error?.status).toBe(401);
    expect(refused!.succeeded).toEqual([]);
    expect(race.running).toBe(false);
    expect([race.done, race.total]).toEqual([4, 4]);
  });

  it('keeps at most `concurrency` requests of a lane in flight', async () => {
    let inFlight = 0;
    let most = 0;
    // Counts a request from the call until its whole body has been read.
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        const response = await fetch(input, init);
        return new Response(await response.text(), response);
      } finally {
        inFlight--;
      }
    };
    const race = new RaceState('model-race', 1);
    const first = server.hold('pool:1');
    const second = server.hold('pool:2');
    const done = race.start(() => onServer('pool', counting), { repeat: 6, concurrency: 2 });
    // Two are held open together at the server: the limit is reached, not just respected.
    await Promise.all([first.reached, second.reached]);
    first.release();
    second.release();
    await done;
    expect(most).toBe(2);
    expect(requestsFor('pool')).toHaveLength(6);
    expect(race.lanes[0]!.samples.map((s) => s.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(race.lanes[0]!.succeeded).toHaveLength(6);
  });

  it('Stop aborts the request in flight, sends no more, and keeps the samples that finished', async () => {
    const race = new RaceState('model-race', 1);
    const third = server.hold('seq:3');
    const done = race.start(() => onServer('seq'), { repeat: 5, concurrency: 1 });
    const held = await third.reached;
    // One after another: two finished before the third was sent.
    expect(race.done).toBe(2);
    expect(race.total).toBe(5);
    expect(race.etaMs).toBeGreaterThan(0);
    race.stop();
    await done;
    third.release();
    const lane = race.lanes[0]!;
    expect(lane.samples.map((s) => s.index)).toEqual([0, 1]);
    expect(lane.run.status).toBe('stopped');
    expect(race.running).toBe(false);
    expect(race.etaMs).toBeNull();
    expect(requestsFor('seq')).toHaveLength(3);
    await expect.poll(() => held.clientAborted).toBe(true);
  });

  it('labels and exports a finished race as it started, whatever lanes and profiles change after', async () => {
    const race = new RaceState('model-race', 3);
    const profile = (name: string): RaceProfileRecord => ({
      name,
      provider: 'simulator',
      baseURL: SIMULATOR_BASE_URL,
      model: 'gpt-4o-mini',
      api: 'chat',
    });
    const chosen = [profile('A'), profile('B'), profile('C')];
    await race.start(
      (_lane, i) => ({
        ...onSimulator(),
        request: { ...request('gpt-4o-mini'), max_tokens: 3 * (i + 1) },
        profile: chosen[i]!,
      }),
      { repeat: 2, concurrency: 2 },
    );
    race.removeLane(race.lanes[0]!);
    race.addLane();
    chosen[1]!.name = 'renamed';
    const file = startedRaceFile(race, true);
    expect(file.race?.lanes.map((l) => l.profile.name)).toEqual(['A', 'B', 'C']);
    const tokens = (lane: number) =>
      file.race?.benchmark?.samples.filter((s) => s.lane === lane).map((s) => s.tokens);
    expect([0, 1, 2].map(tokens)).toEqual([
      [3, 3],
      [6, 6],
      [9, 9],
    ]);
    expect(raceCsv(file).split('\n')[3]).toMatch(/^"B",2,/);
  });

  it('has one to MAX_LANES lanes', () => {
    const race = new RaceState('model-race', 1);
    race.removeLane(race.lanes[0]!);
    expect(race.lanes).toHaveLength(1);
    while (race.addLane());
    expect(race.lanes).toHaveLength(MAX_LANES);
    const second = race.lanes[1]!;
    race.removeLane(second);
    expect(race.lanes).not.toContain(second);
    expect(new Set(race.lanes.map((l) => l.id)).size).toBe(MAX_LANES - 1);
  });
});
