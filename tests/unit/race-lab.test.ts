/** The race lab's plain decisions: default profiles per lane, each lane's request, billed counts, its check. */
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/lib/storage/store';
import {
  billedRequests,
  dollars,
  laneProfiles,
  laneRequest,
  medianOf,
  type LaneProfile,
} from '../../src/labs/model-race/lanes';
import { check } from '../../src/labs/model-race/guide';
import { dialectFor } from '../../src/lib/engine/dialect';
import { DEFAULT_PARAMS } from '../../src/lib/engine/request';

const sim = (id: string, model = 'gpt-4o-mini'): LaneProfile => ({
  id,
  name: id,
  provider: 'simulator',
  model,
});
const PROFILES = [
  sim('fast'),
  sim('steady'),
  sim('thinking', 'sim-thinking'),
  { id: 'mine', name: 'Mine', provider: 'openai' as const, model: 'gpt-4o' },
];

/** A profile's dialect with nothing learned. */
const dialectOf = (p: LaneProfile) => dialectFor(p.provider, p.model);

describe('race lanes', () => {
  it('gives unchosen lanes the active profile first, then profiles no other lane races', () => {
    expect(laneProfiles(['', '', ''], PROFILES, 'mine').map((p) => p.id)).toEqual(['mine', 'fast', 'steady']);
    // A lane's own choice stands, and is not handed to another lane.
    expect(laneProfiles(['', 'mine'], PROFILES, 'mine').map((p) => p.id)).toEqual(['fast', 'mine']);
    // A chosen profile that was deleted falls back like an unchosen one.
    expect(laneProfiles(['gone', 'steady'], PROFILES, 'steady').map((p) => p.id)).toEqual(['fast', 'steady']);
  });

  it('builds each lane request in its own model dialect, asking for usage', () => {
    const params = { ...DEFAULT_PARAMS, maxTokens: 50, temperature: 0.5 };
    const custom: LaneProfile = { id: 'local', name: 'Local', provider: 'custom', model: 'llama3' };
    const plain = laneRequest(custom, 'Hi', params, dialectOf(custom));
    expect(plain).toMatchObject({
      model: 'llama3',
      max_tokens: 50,
      temperature: 0.5,
      include_usage: true,
    });
    expect(plain.messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(laneRequest(PROFILES[0]!, 'Hi', params, dialectOf(PROFILES[0]!))).toMatchObject({
      max_completion_tokens: 50,
      temperature: 0.5,
    });
    // A reasoning model on an OpenAI-like endpoint takes only its default temperature.
    const thinking = laneRequest(PROFILES[2]!, 'Hi', params, dialectOf(PROFILES[2]!));
    expect(thinking).toMatchObject({ model: 'sim-thinking', max_completion_tokens: 50 });
    expect(thinking).not.toHaveProperty('max_tokens');
    expect(thinking).not.toHaveProperty('temperature');
  });

  it("sends each lane in what its profile's endpoint taught, even when another profile is active", async () => {
    const { SettingsState } = await import('../../src/lib/state/settings.svelte');
    const { DEFAULT_SETTINGS } = await import('../../src/lib/storage/settings');
    const settings = new SettingsState();
    await settings.load(memoryStorage());
    const local = {
      ...DEFAULT_SETTINGS,
      provider: 'custom' as const,
      customBaseURL: 'http://127.0.0.1:1/v1',
    };
    await settings.saveAs('Refuser', { ...local, model: 'refuses-max-tokens' }, null);
    const refuser = settings.activeProfile;
    await settings.learn({ tokenLimit: 'max_completion_tokens', omit: ['temperature'] });
    // A second profile on the same endpoint and model shares what it taught; another model does not.
    await settings.saveAs('Twin', { ...local, model: 'refuses-max-tokens' }, null);
    const twin = settings.activeProfile;
    await settings.saveAs('Other', { ...local, model: 'other' }, null);
    const params = { ...DEFAULT_PARAMS, maxTokens: 50, temperature: 0.5 };
    for (const profile of [refuser, twin]) {
      const sent = laneRequest(profile, 'Hi', params, settings.dialectOf(profile.id));
      expect(sent).toMatchObject({ max_completion_tokens: 50 });
      expect(sent).not.toHaveProperty('max_tokens');
      expect(sent).not.toHaveProperty('temperature');
    }
    const other = settings.activeProfile;
    expect(laneRequest(other, 'Hi', params, settings.dialectOf(other.id))).toMatchObject({
      max_tokens: 50,
      temperature: 0.5,
    });
    expect(() => settings.dialectOf('gone')).toThrow(/No profile gone/);
  });

  it('counts billed requests: every repeat of every lane off the simulator', () => {
    expect(billedRequests(PROFILES, 3)).toBe(3);
    expect(billedRequests([PROFILES[3]!, PROFILES[3]!], 6)).toBe(12);
    expect(billedRequests(PROFILES.slice(0, 3), 100)).toBe(0);
    expect(medianOf([30, null, 10, 20, 40])).toBe(25);
    expect(medianOf([null])).toBeNull();
    expect(dollars(0.000123)).toBe('$0.00012');
    expect(dollars(2.5)).toBe('$2.50');
  });
});

describe('race check', () => {
  const lane = (name: string, ttftMs: number, e2eMs: number, samples = 1) => ({
    name,
    ttftMs,
    e2eMs,
    samples,
  });

  it('asks how the first to show text can finish last', () => {
    const c = check({ repeat: 1, lanes: [lane('Lane 1', 300, 2400), lane('Lane 2', 700, 1500)] });
    expect(c?.question).toContain(
      'Lane 1 showed text first (TTFT 0.30 s), but Lane 2 finished first (1.50 s)',
    );
  });

  it('asks whether one sample would win again, then about the spread once benchmarked', () => {
    expect(check({ repeat: 1, lanes: [lane('A', 300, 1400), lane('B', 700, 1500)] })?.question).toContain(
      'A won both',
    );
    expect(
      check({ repeat: 10, lanes: [lane('A', 300, 1400, 10), lane('B', 700, 1500, 8)] })?.question,
    ).toContain('at least 8 succeeded');
    expect(
      check({ repeat: 1, lanes: [lane('A', 300, 1400), { ...lane('B', 0, 0), ttftMs: null }] }),
    ).toBeNull();
  });
});
