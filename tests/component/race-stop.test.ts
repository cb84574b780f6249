/**
 * RaceState's Stop against the real simulator, acting the moment a run's status changes (an
 * effect, which needs the browser build of Svelte this project gives): a request that finished
 * streaming before Stop is a sample, even while its tokens are still being counted.
 */
import { expect, it } from 'vitest';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator } from '../../src/lib/engine/simulator/simulator';
import { RaceState } from '../../src/lib/state/race.svelte';
import { once } from './once.svelte';

it('Stop keeps a request that had finished streaming, even while its tokens are still counted', async () => {
  const race = new RaceState('model-race', 1);
  const connection = {
    baseURL: SIMULATOR_BASE_URL,
    apiKey: '',
    fetch: createSimulator({ timing: () => ({ ttftMs: 5, tokenMs: 1, jitter: 0 }) }),
    maxRetries: 0,
    stallMs: 60_000,
  };
  // No usage asked for: after its stream ends, a run estimates its tokens before start resolves.
  const request = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user' as const, content: 'Hi' }],
    max_tokens: 8,
  };
  const stopOnEnd = once(
    () => race.lanes[0]!.run.status === 'done',
    () => race.stop(),
  );
  await race.start(() => ({ request, connection }), { repeat: 3, concurrency: 1 });
  stopOnEnd();
  expect(race.lanes[0]!.samples).toEqual([
    expect.objectContaining({ lane: 0, index: 0, tokens: expect.any(Number) as number }),
  ]);
  expect(race.lanes[0]!.samples[0]).not.toHaveProperty('error');
  expect(race.done).toBe(1);
  expect(race.running).toBe(false);
});
