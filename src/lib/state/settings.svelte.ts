/**
 * SettingsState: the connection the whole app uses — provider, base URL, model, key, simulator
 * timing — kept in the storage the app root opened and handed in (`load`). Which base URL and
 * fetch a provider means is the engine's decision (providers.ts, connection.ts).
 *
 * Invariants:
 * - A key belongs to the scope it was entered for (provider + base-URL origin). `connection()`
 *   and `connectionFor()` are the only ways the rest of the app gets a key, and they hand it out
 *   only for settings of that same scope: a key never reaches another host.
 * - The key is written to storage only while `remember` is on; turning it off or "Forget key"
 *   deletes the stored copy.
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
import { baseURLFor, endpointId, endpointProblem, scopeOf } from '../engine/providers';
import {
  lazySimulator,
  SIMULATOR_MODELS,
  type Piece,
  type SimTiming,
  type Step,
} from '../engine/simulator/options';
import type { Api, Connection } from '../engine/types';
import { loadEndpointFacts, saveEndpointFacts, type FactsEntry } from '../storage/endpoint-facts';
import {
  DEFAULT_SETTINGS,
  forgetKey,
  loadKey,
  loadSettings,
  NO_KEY,
  saveKey,
  saveSettings,
  type ApiChoice,
  type ScopedKey,
  type Settings,
} from '../storage/settings';
import { memoryStorage, type Storage } from '../storage/store';

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

export class SettingsState {
  #settings = $state<Settings>(DEFAULT_SETTINGS);
  #key = $state.raw<ScopedKey>(NO_KEY);
  #models = $state.raw<string[]>([]);
  /** Memory until `load` hands in the app's storage. */
  #storage: Storage = memoryStorage();
  #loaded = $state(false);
  #simulator = lazySimulator({ timing: () => this.#settings.timing });
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

  /** Reads the settings (and a remembered key) from `storage`, where every later write goes. */
  async load(storage: Storage): Promise<void> {
    this.#storage = storage;
    this.#settings = await loadSettings(storage);
    const stored = this.#settings.remember ? await loadKey(storage) : NO_KEY;
    // A key stored before keys had scopes was used with the stored settings: bind it to them.
    this.#key = stored.key && !stored.scope ? { key: stored.key, scope: scopeOf(this.#settings) } : stored;
    this.#facts = await loadEndpointFacts(storage);
    this.#models = this.simulated ? SIMULATOR_MODELS : [];
    this.#loaded = true;
  }

  /** Runs `write` after every write asked for before it. */
  #queue(write: (storage: Storage) => Promise<void>): Promise<void> {
    const done = this.#writes.then(() => write(this.#storage));
    this.#writes = done.catch(() => {});
    return done;
  }

  /**
   * Saves settings and, when `entered` was typed for these settings' scope, the key. A key
   * entered for another scope is ignored; a key already held for another scope is kept (and
   * never sent here). The key goes to storage only when `remember` is on; otherwise the stored
   * copy is deleted first, before anything else is written. Resolves once everything committed.
   */
  save(next: Settings, entered: ScopedKey | null): Promise<void> {
    const problem = endpointProblem(next);
    if (problem) return Promise.reject(new Error(problem));
    const scope = scopeOf(next);
    const providerChanged = next.provider !== this.#settings.provider;
    this.#settings = next;
    if (scope && entered?.scope === scope) {
      const key = entered.key.trim();
      if (key) this.#key = { key, scope };
      else if (this.#key.scope === scope) this.#key = NO_KEY;
    }
    if (providerChanged) this.#models = next.provider === 'simulator' ? SIMULATOR_MODELS : [];
    const settings = $state.snapshot(next);
    return this.#queue(async (storage) => {
      const key = this.#key;
      if (!settings.remember || !key.key) await forgetKey(storage);
      await saveSettings(storage, settings);
      if (settings.remember && key.key) await saveKey(storage, key);
    });
  }

  /** Drops the key from memory at once and from storage; resolves once the delete committed. */
  forgetKey(): Promise<void> {
    this.#key = NO_KEY;
    return this.#queue(forgetKey);
  }

  /** The key held for these settings' scope, or '' (for the panel's own field only). */
  keyFor(settings: Pick<Settings, 'provider' | 'customBaseURL'>): string {
    const scope = scopeOf(settings);
    return scope && this.#key.scope === scope ? this.#key.key : '';
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
   * A connection for settings that may not be saved yet (the panel's Test connection). `entered`
   * is used only if it was typed for these settings' scope; otherwise the key held for that
   * scope, if any.
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
