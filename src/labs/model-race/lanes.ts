/**
 * The race lab's plain decisions: which profile a lane races until the learner picks one, the
 * request a lane sends (the one request builder, in the dialect its profile's endpoint taught), how many billed
 * requests a start would send, the public facts a started lane keeps of its profile, and a
 * benchmark figure's median for the comparison table. Pure, so they are unit-tested without a browser.
 */
import type { Dialect } from '../../lib/engine/dialect';
import { chatRequest, type RequestParams } from '../../lib/engine/request';
import type { ChatRequest } from '../../lib/engine/types';
import { baseURLFor, type Provider } from '../../lib/engine/providers';
import type { ExportedRun } from '../../lib/run-file/format';
import { raceFile, type RaceProfileRecord } from '../../lib/run-file/race';
import type { RaceState } from '../../lib/state/race.svelte';
import { apiOf, type Profile } from '../../lib/state/settings.svelte';
import { finiteSamples, percentile } from '../../lib/metrics/sample-stats';

/** What a lane needs to know of a profile. */
export interface LaneProfile {
  id: string;
  name: string;
  provider: Provider;
  model: string;
}

/**
 * The profile each lane races: its own choice while that profile exists, else the next one not
 * yet taken, starting from the active profile, so a new race compares different profiles.
 */
export function laneProfiles<P extends LaneProfile>(
  chosen: readonly string[],
  profiles: readonly P[],
  activeId: string,
): P[] {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const order = [activeId, ...profiles.map((p) => p.id)].filter(
    (id, i, all) => byId.has(id) && all.indexOf(id) === i,
  );
  const taken = new Set(chosen.filter((id) => byId.has(id)));
  return chosen.map((id) => {
    const own = byId.get(id);
    if (own) return own;
    const next = order.find((candidate) => !taken.has(candidate)) ?? order[0]!;
    taken.add(next);
    return byId.get(next)!;
  });
}

/**
 * The request a lane sends: the prompt and parameters in `dialect` — the lane's profile's, after
 * what its endpoint taught (SettingsState.dialectOf) — with usage asked for.
 */
export function laneRequest(
  profile: LaneProfile,
  prompt: string,
  params: RequestParams,
  dialect: Dialect,
): ChatRequest {
  return chatRequest(profile.model, [{ role: 'user', content: prompt }], params, dialect, {
    include_usage: true,
  });
}

/** What a race keeps of a lane's profile when it starts: public facts only, never a key. */
export function laneProfileRecord(profile: Profile): RaceProfileRecord {
  return {
    name: profile.name,
    provider: profile.provider,
    baseURL: baseURLFor(profile),
    model: profile.model,
    api: apiOf(profile),
  };
}

/**
 * The run file of the last start, from its lanes and profiles as they started (RaceState.started):
 * lanes added, removed or re-pointed since cannot relabel it; with `benchmarked`, every sample.
 */
export function startedRaceFile(race: RaceState, benchmarked: boolean): ExportedRun {
  return raceFile(
    race.lab,
    race.started.map(({ lane, profile }, i) => ({
      profile: profile ?? { name: `Lane ${i + 1}`, provider: 'custom', baseURL: '', model: '', api: 'chat' },
      run: lane.run.exportRun(),
      price:
        lane.inputPrice !== null && lane.outputPrice !== null
          ? { inputPerMillion: lane.inputPrice, outputPerMillion: lane.outputPrice }
          : null,
    })),
    benchmarked ? { ...race.options, samples: race.started.flatMap(({ lane }) => lane.samples) } : null,
  );
}

/** The requests a start sends to providers other than the simulator: they are the billed ones. */
export function billedRequests(profiles: readonly LaneProfile[], repeat: number): number {
  return profiles.filter((p) => p.provider !== 'simulator').length * repeat;
}

/** The median of the figures a benchmark's requests yielded (missing ones left out), or null. */
export function medianOf(values: readonly (number | null)[]): number | null {
  const sorted = finiteSamples(values).sort((a, b) => a - b);
  return sorted.length ? percentile(sorted, 0.5) : null;
}

/** A cost in dollars as a table shows it: enough digits for a fraction of a cent. */
export function dollars(value: number): string {
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}
