/**
 * SettingsState: the connection the whole app uses — provider, base URL, model, key, simulator
 * timing — and the named connection profiles it is picked from, kept in the storage the app root
 * opened and handed in (`load`). Which base URL and fetch a provider means is the engine's
 * decision (providers.ts, connection.ts).
 *
 * Invariants:
 * - One source of truth: the profiles (built-in and the learner's) and the active profile's id.
 *   `settings` is derived from them (the active profile's fields and the app-wide stall timeout
 *   and retries); changing the connection means saving a profile.
 * - Built-in profiles never change: a Save that would change one saves a new profile instead.
 * - A key belongs to one profile and to the scope it was entered for (provider + base-URL
 *   origin). `connection()`, `connectionFor()` and `profileConnection()` are the only ways the
 *   rest of the app gets a key, and they hand out a profile's key only for that profile and only
 *   while its settings have that same scope: a key never reaches another host or another profile.
 * - A profile's key is written to storage only while that profile's `remember` is on; turning it
 *   off, "Forget key" or deleting the profile deletes the stored copy.
 * - What an endpoint taught about its parameters (a 400 the learner fixed with one click) is kept
 *   per endpoint and model, and every request built from these settings follows it (`dialect`).
 * - Every connection names its wire format (`api`): the learner's choice, or the model's default
 *   (`defaultApi`) while the choice is 'auto'; a lab that needs one format asks for it.
 * - Writes run one at a time in the order they were asked for, and each promise resolves only
 *   once its IndexedDB transaction has committed, so a confirmation shown after `await` is true
 *   and a later Forget key can never be overtaken by an earlier Save.
 */
import { buildConnection } from '../engine/connection';
import {
  defaultApi,
  dialectFor,
  fixFor,
  NO_FACTS,
  type Dialect,
  type EndpointFacts,
  type ParamFix,
} from '../engine/dialect';
import type { LabError } from '../engine/errors';
import { publicURL } from '../engine/endpoint';
import {
  probeConnection,
  probeResponses,
  type ProbeResult,
  type ResponsesProbeResult,
} from '../engine/probe';
import {
  baseURLFor,
  endpointId,
  endpointProblem,
  PROVIDER_NAMES,
  scopeOf,
  type Endpoint,
} from '../engine/providers';
import {
  DEFAULT_TIMING,
  lazySimulator,
  SIMULATOR_MODELS,
  type Piece,
  type SimTiming,
  type Step,
} from '../engine/simulator/options';
import type { Api, Connection } from '../engine/types';
import { loadEndpointFacts, saveEndpointFacts, type FactsEntry } from '../storage/endpoint-facts';
import {
  BUILT_IN_PROFILES,
  DEFAULT_PROFILE_ID,
  forgetProfileKey,
  loadProfileKey,
  loadProfiles,
  nextProfileId,
  profileFields,
  saveProfileKey,
  saveProfiles,
  uniqueName,
  UPGRADED_PROFILE_NAME,
  type Profile,
  type ProfileFields,
} from '../storage/profiles';
import {
  DEFAULT_SETTINGS,
  findSettings,
  forgetLegacyKey,
  loadLegacyKey,
  NO_KEY,
  saveSettings,
  type ApiChoice,
  type ScopedKey,
  type Settings,
} from '../storage/settings';
import { memoryStorage, type Storage } from '../storage/store';

export type { Profile } from '../storage/profiles';

/** What Test connection found: the model probe's result, and whether /responses answers (if asked). */
export interface ConnectionTest extends ProbeResult {
  responses: ResponsesProbeResult | null;
}

/** The wire format `settings` resolve to: the learner's choice, or the model's default under 'auto'. */
export function apiOf(settings: Pick<Settings, 'apiChoice' | 'provider' | 'model'>): Api {
  return settings.apiChoice === 'auto' ? defaultApi(settings.provider, settings.model) : settings.apiChoice;
}

/** `timing` with its delays (first token and between tokens) multiplied by `scale`. */
function scaleTiming(timing: SimTiming, scale: number): SimTiming {
  return { ...timing, ttftMs: timing.ttftMs * scale, tokenMs: timing.tokenMs * scale };
}

/** A profile's connection fields (a profile stored without timing gets the default). */
function fieldsOf(profile: Profile): ProfileFields {
  const { provider, customBaseURL, model, apiChoice, remember, timing = DEFAULT_TIMING } = profile;
  return { provider, customBaseURL, model, apiChoice, remember, timing };
}

const sameTiming = (a: SimTiming, b: SimTiming) =>
  a.ttftMs === b.ttftMs &&
  a.tokenMs === b.tokenMs &&
  a.jitter === b.jitter &&
  (a.packing ?? 0) === (b.packing ?? 0) &&
  (a.batching ?? 0) === (b.batching ?? 0);

/** Whether saving `next` would change what built-in `profile` connects to (Remember aside: it has no key). */
function changesBuiltIn(profile: Profile, next: Settings): boolean {
  return (
    next.provider !== profile.provider ||
    next.model !== profile.model ||
    next.apiChoice !== profile.apiChoice ||
    !sameTiming(next.timing, profile.timing ?? DEFAULT_TIMING)
  );
}

type Globals = Pick<Settings, 'stallSeconds' | 'maxRetries'>;

export class SettingsState {
  /** The learner's profiles (built-ins are in code). */
  #saved = $state.raw<Profile[]>([]);
  #activeId = $state(DEFAULT_PROFILE_ID);
  #globals = $state.raw<Globals>({
    stallSeconds: DEFAULT_SETTINGS.stallSeconds,
    maxRetries: DEFAULT_SETTINGS.maxRetries,
  });
  readonly #profiles = $derived<Profile[]>([...BUILT_IN_PROFILES, ...this.#saved]);
  readonly #active = $derived(
    this.#profiles.find((p) => p.id === this.#activeId) ?? this.#builtIn(DEFAULT_PROFILE_ID)!,
  );
  readonly #settings = $derived<Settings>({ ...this.#globals, ...fieldsOf(this.#active) });
  /** Each profile's key by profile id, with the scope it was entered for. */
  #keys = $state.raw<Readonly<Record<string, ScopedKey>>>({});
  #models = $state.raw<string[]>([]);
  /** Memory until `load` hands in the app's storage. */
  #storage: Storage = memoryStorage();
  #loaded = $state(false);
  #simulator = lazySimulator({ timing: () => this.#settings.timing });
  /** One simulator per other simulator profile, reused so its background responses persist. */
  #simulators: Record<string, typeof fetch> = {};
  #writes: Promise<unknown> = Promise.resolve();
  #facts = $state.raw<FactsEntry[]>([]);
  readonly #endpoint = $derived(endpointId(this.#settings));
  readonly #endpointFacts = $derived(
    this.#facts.find((e) => e.endpoint === this.#endpoint && e.model === this.#settings.model)?.facts ??
      NO_FACTS,
  );
  readonly #dialect = $derived(
    dialectFor(this.#settings.provider, this.#settings.model, this.#endpointFacts),
  );

  get settings(): Settings {
    return this.#settings;
  }
  /** Built-ins first, then the learner's, in the order they were made. */
  get profiles(): Profile[] {
    return this.#profiles;
  }
  /** The profile every lab's `connection()` uses. */
  get activeProfileId(): string {
    return this.#activeId;
  }
  get activeProfile(): Profile {
    return this.#active;
  }
  get models(): string[] {
    return this.#models;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get simulated(): boolean {
    return this.#settings.provider === 'simulator';
  }
  /** The base URL in the form that may be shown (publicURL). */
  get baseURL(): string {
    return publicURL(baseURLFor(this.#settings));
  }

  /** The learner's wire-format choice ('auto': the model's default). */
  get apiChoice(): ApiChoice {
    return this.#settings.apiChoice;
  }
  /** The wire format every connection from `connection()` uses, resolved from the choice. */
  get api(): Api {
    return apiOf(this.#settings);
  }

  /** Saves a new wire-format choice; resolves once stored. */
  setApi(choice: ApiChoice): Promise<void> {
    return this.save({ ...$state.snapshot(this.#settings), apiChoice: choice }, null);
  }

  /** What the current endpoint and model were found to take (nothing learned: NO_FACTS). */
  get endpointFacts(): EndpointFacts {
    return this.#endpointFacts;
  }
  /** Which request fields the current endpoint and model take: every request is built with it. */
  get dialect(): Dialect {
    return this.#dialect;
  }

  /**
   * Which request fields profile `id`'s endpoint and model take, after what they taught (facts are
   * kept per endpoint and model, so any profile on that endpoint and model shares them). Throws
   * for an unknown id.
   */
  dialectOf(id: string): Dialect {
    if (id === this.#activeId) return this.#dialect;
    const profile = this.#profiles.find((p) => p.id === id);
    if (!profile) throw new Error(`No profile ${id}.`);
    const endpoint = endpointId(profile);
    const facts = this.#facts.find((e) => e.endpoint === endpoint && e.model === profile.model)?.facts;
    return dialectFor(profile.provider, profile.model, facts ?? NO_FACTS);
  }

  /** The one-click fix for `error` at the current endpoint, if it names a parameter it refused. */
  fixFor(error: LabError): ParamFix | null {
    return fixFor(error, this.#endpointFacts);
  }

  /** Remembers `facts` for the current endpoint and model (replacing what was known); resolves once stored. */
  learn(facts: EndpointFacts): Promise<void> {
    const endpoint = this.#endpoint;
    const model = this.#settings.model;
    const others = this.#facts.filter((e) => e.endpoint !== endpoint || e.model !== model);
    this.#facts = [...others, { endpoint, model, facts: $state.snapshot(facts) }];
    const entries = this.#facts;
    return this.#queue((storage) => saveEndpointFacts(storage, entries));
  }

  /** Forgets what the current endpoint and model taught; requests go back to the defaults. */
  forgetEndpointFacts(): Promise<void> {
    const endpoint = this.#endpoint;
    const model = this.#settings.model;
    this.#facts = this.#facts.filter((e) => e.endpoint !== endpoint || e.model !== model);
    const entries = this.#facts;
    return this.#queue((storage) => saveEndpointFacts(storage, entries));
  }

  #builtIn(id: string): Profile | undefined {
    return BUILT_IN_PROFILES.find((p) => p.id === id);
  }

  /**
   * Reads the profiles, settings and remembered keys from `storage`, where every later write
   * goes. Settings stored before profiles existed become the first profile, their key with them.
   */
  async load(storage: Storage): Promise<void> {
    this.#storage = storage;
    const stored = await findSettings(storage);
    const record = await loadProfiles(storage);
    const settings = stored ?? DEFAULT_SETTINGS;
    let saved: Profile[] = record?.profiles ?? [];
    let activeId = record?.activeId ?? DEFAULT_PROFILE_ID;
    const keys: Record<string, ScopedKey> = {};
    if (!record && stored) {
      activeId = nextProfileId([]);
      saved = [{ id: activeId, name: UPGRADED_PROFILE_NAME, ...profileFields(stored) }];
      const legacy = stored.remember ? await loadLegacyKey(storage) : NO_KEY;
      // A key stored before keys had scopes was used with the stored settings: bind it to them.
      if (legacy.key) keys[activeId] = legacy.scope ? legacy : { key: legacy.key, scope: scopeOf(stored) };
    } else if (stored && saved.some((p) => p.id === activeId)) {
      // The settings record is the active connection as last saved: it wins over the list's copy.
      saved = saved.map((p) => (p.id === activeId ? { ...p, ...profileFields(stored) } : p));
    }
    if (!saved.some((p) => p.id === activeId) && !this.#builtIn(activeId)) activeId = DEFAULT_PROFILE_ID;
    for (const p of saved) {
      if (p.remember && !keys[p.id]) {
        const key = await loadProfileKey(storage, p.id);
        if (key.key) keys[p.id] = key;
      }
    }
    this.#saved = saved;
    this.#activeId = activeId;
    this.#globals = { stallSeconds: settings.stallSeconds, maxRetries: settings.maxRetries };
    this.#keys = keys;
    this.#facts = await loadEndpointFacts(storage);
    this.#models = this.simulated ? SIMULATOR_MODELS : [];
    this.#loaded = true;
    if (!record && stored) {
      const id = activeId;
      // Moved, not copied: the old single key record goes once the profile holds the key.
      await this.#store(id, (storage) => forgetLegacyKey(storage));
    }
  }

  /** Runs `write` after every write asked for before it. */
  #queue(write: (storage: Storage) => Promise<void>): Promise<void> {
    const done = this.#writes.then(() => write(this.#storage));
    this.#writes = done.catch(() => {});
    return done;
  }

  /**
   * Writes the profiles and the active connection, then `id`'s key: stored only while that
   * profile's Remember is on (otherwise the stored copy is deleted first, before anything else
   * is written). The key is read when the write runs, so a Forget key asked for meanwhile holds.
   * `then` runs last, in the same turn of the queue.
   */
  #store(id: string, then?: (storage: Storage) => Promise<void>): Promise<void> {
    const record = { activeId: this.#activeId, profiles: $state.snapshot(this.#saved) };
    const settings = $state.snapshot(this.#settings);
    const profile = this.#saved.find((p) => p.id === id);
    const remember = profile?.remember ?? false;
    return this.#queue(async (storage) => {
      const key = this.#keys[id] ?? NO_KEY;
      if (profile && (!remember || !key.key)) await forgetProfileKey(storage, id);
      await saveProfiles(storage, record);
      await saveSettings(storage, settings);
      if (profile && remember && key.key) await saveProfileKey(storage, id, key);
      await then?.(storage);
    });
  }

  /** Holds `entered` as profile `id`'s key when it was typed for `scope`; an empty one clears the key held there. */
  #enter(id: string, scope: string, entered: ScopedKey | null): void {
    if (!scope || entered?.scope !== scope) return;
    const key = entered.key.trim();
    const { [id]: held, ...others } = this.#keys;
    if (key) this.#keys = { ...others, [id]: { key, scope } };
    else if (held?.scope === scope) this.#keys = others;
  }

  /** Adds a learner's profile with `fields` and makes it the active one; returns its id. */
  #add(name: string, fields: ProfileFields): string {
    const id = nextProfileId(this.#saved);
    this.#saved = [...this.#saved, { id, name: uniqueName(name, this.#profiles), ...fields }];
    this.#activeId = id;
    return id;
  }

  #setModels(provider: Settings['provider']): void {
    this.#models = provider === 'simulator' ? SIMULATOR_MODELS : [];
  }

  /**
   * Saves `next` into the active profile (and the app-wide fields) and, when `entered` was typed
   * for `next`'s scope, the key. A key entered for another scope is ignored; a key already held
   * for another scope is kept (and never sent here). A built-in profile does not change: saving
   * another connection over one adds a profile named after it and switches to it. Resolves once
   * everything committed.
   */
  save(next: Settings, entered: ScopedKey | null): Promise<void> {
    const problem = endpointProblem(next);
    if (problem) return Promise.reject(new Error(problem));
    const providerChanged = next.provider !== this.#settings.provider;
    const fields = profileFields($state.snapshot(next));
    const builtIn = this.#builtIn(this.#activeId);
    if (builtIn && changesBuiltIn(builtIn, next)) {
      this.#add(`${PROVIDER_NAMES[next.provider]} · ${next.model}`, fields);
    } else if (!builtIn) {
      this.#saved = this.#saved.map((p) => (p.id === this.#activeId ? { ...p, ...fields } : p));
    }
    this.#globals = { stallSeconds: next.stallSeconds, maxRetries: next.maxRetries };
    this.#enter(this.#activeId, scopeOf(next), entered);
    if (providerChanged) this.#setModels(next.provider);
    return this.#store(this.#activeId);
  }

  /** Saves `next` as a new profile named `name` (made unique) and switches to it; `entered` as in `save`. */
  saveAs(name: string, next: Settings, entered: ScopedKey | null): Promise<void> {
    const problem = endpointProblem(next);
    if (problem) return Promise.reject(new Error(problem));
    const id = this.#add(name, profileFields($state.snapshot(next)));
    this.#globals = { stallSeconds: next.stallSeconds, maxRetries: next.maxRetries };
    this.#enter(id, scopeOf(next), entered);
    this.#setModels(next.provider);
    return this.#store(id);
  }

  /** Makes profile `id` the connection every lab uses; resolves once stored. */
  select(id: string): Promise<void> {
    const profile = this.#profiles.find((p) => p.id === id);
    if (!profile) return Promise.reject(new Error(`No profile ${id}.`));
    this.#activeId = id;
    this.#setModels(profile.provider);
    return this.#store(id);
  }

  /** Renames one of the learner's profiles (built-ins keep their names); resolves once stored. */
  rename(id: string, name: string): Promise<void> {
    if (!this.#saved.some((p) => p.id === id))
      return Promise.reject(new Error('Built-in profiles keep their names.'));
    const unique = uniqueName(name, this.#profiles, id);
    this.#saved = this.#saved.map((p) => (p.id === id ? { ...p, name: unique } : p));
    return this.#store(id);
  }

  /**
   * Deletes one of the learner's profiles and its key, from memory at once and from storage; if
   * it was in use, the default simulator profile takes its place. Resolves once committed.
   */
  delete(id: string): Promise<void> {
    if (!this.#saved.some((p) => p.id === id))
      return Promise.reject(new Error('Built-in profiles cannot be deleted.'));
    const { [id]: _gone, ...keys } = this.#keys;
    this.#keys = keys;
    this.#saved = this.#saved.filter((p) => p.id !== id);
    delete this.#simulators[id];
    if (this.#activeId === id) {
      this.#activeId = DEFAULT_PROFILE_ID;
      this.#setModels('simulator');
    }
    return this.#store(this.#activeId, (storage) => forgetProfileKey(storage, id));
  }

  /**
   * Drops the active profile's key from memory at once and from storage (with the single key
   * record of older versions, should one be left); resolves once the delete committed.
   */
  forgetKey(): Promise<void> {
    const id = this.#activeId;
    const { [id]: _gone, ...keys } = this.#keys;
    this.#keys = keys;
    return this.#queue(async (storage) => {
      await forgetProfileKey(storage, id);
      await forgetLegacyKey(storage);
    });
  }

  /** The key profile `id` holds for `endpoint`'s scope, or ''. */
  #keyOf(id: string, endpoint: Endpoint): string {
    const scope = scopeOf(endpoint);
    const held = this.#keys[id];
    return scope && held?.scope === scope ? held.key : '';
  }

  /** The key the active profile holds for these settings' scope, or '' (for the panel's own field only). */
  keyFor(settings: Endpoint): string {
    return this.#keyOf(this.#activeId, settings);
  }

  /**
   * The connection every lab uses, in the learner's wire format (`api`) unless `options.api`
   * asks for one. `timingScale` slows (> 1) or speeds up (< 1) the simulator's delays for this
   * connection only, leaving the saved timing alone; it has no effect on a real provider.
   */
  connection(options: { api?: Api; timingScale?: number } = {}): Connection {
    const connection = { ...this.connectionFor(this.#settings, null), api: options.api ?? this.api };
    const scale = options.timingScale ?? 1;
    if (!this.simulated || scale === 1) return connection;
    const timing = () => scaleTiming(this.#settings.timing, scale);
    return { ...connection, fetch: lazySimulator({ timing }) };
  }

  /**
   * The connection profile `id` makes (the active one: `connection()`), in its wire format unless
   * `options.api` asks for one, with its own key only if it holds one for its scope. A simulator
   * profile plays with its own timing. Throws for an unknown id.
   */
  profileConnection(id: string, options: { api?: Api } = {}): Connection {
    if (id === this.#activeId) return this.connection(options);
    const profile = this.#profiles.find((p) => p.id === id);
    if (!profile) throw new Error(`No profile ${id}.`);
    const settings: Settings = { ...this.#globals, ...fieldsOf(profile) };
    const simulator = (this.#simulators[id] ??= lazySimulator({
      timing: () => this.#profiles.find((p) => p.id === id)?.timing ?? DEFAULT_TIMING,
    }));
    return {
      ...buildConnection(settings, this.#keyOf(id, profile), simulator),
      api: options.api ?? apiOf(settings),
    };
  }

  /**
   * A connection for settings that may not be saved yet (the panel's Test connection). `entered`
   * is used only if it was typed for these settings' scope; otherwise the key the active profile
   * holds for that scope, if any.
   */
  connectionFor(settings: Settings, entered: ScopedKey | null): Connection {
    const scope = scopeOf(settings);
    const apiKey = !scope ? '' : entered?.scope === scope ? entered.key.trim() : this.keyFor(settings);
    return { ...buildConnection(settings, apiKey, this.#simulator), api: apiOf(settings) };
  }

  /**
   * A simulator connection that plays `pieces` with their own timing (replaying a saved run), in
   * the wire format the run was recorded in.
   */
  replayConnection(pieces: (Piece | Step)[], api: Api = 'chat'): Connection {
    return {
      ...this.connectionFor({ ...this.#settings, provider: 'simulator' }, null),
      api,
      fetch: lazySimulator({ timing: () => this.#settings.timing, script: () => pieces }),
    };
  }

  /**
   * Test connection: the provider's model list, and (unless `responses` is false) whether the
   * endpoint answers POST /responses, asked at the same time.
   */
  async testConnection(
    settings: Settings,
    entered: ScopedKey | null,
    { responses = true }: { responses?: boolean } = {},
  ): Promise<ConnectionTest> {
    const problem = endpointProblem(settings);
    if (problem) return { ok: false, title: problem, hint: '', models: [], responses: null };
    const connection = this.connectionFor(settings, entered);
    const [result, speaks] = await Promise.all([
      probeConnection(connection, settings.model),
      responses ? probeResponses(connection, settings.model) : null,
    ]);
    if (result.models.length) this.#models = result.models;
    return { ...result, responses: speaks };
  }
}
