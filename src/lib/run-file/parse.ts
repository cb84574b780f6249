/**
 * Reading a run file: the checks that let a file from elsewhere, or a run stored by any older
 * version of the app, be used safely. Every shape the app ever wrote is read as today's version 1
 * (older files lack fields; they get what a missing field gets). An imported run is data only; its
 * text is model output and is rendered as text wherever it is shown.
 *
 * Invariants:
 * - A run is rebuilt field by field with type checks: no field the format does not name survives
 *   (no `apiKey`, no header, no `__proto__`), a base URL keeps no user, password, query or
 *   fragment, and every message has a known role and text content.
 * - An import is refused, with a message a learner can act on, above MAX_IMPORT_BYTES or
 *   MAX_IMPORT_CHUNKS; runs already stored are not capped (the app itself saved them).
 * - A benchmark's summaries are recomputed from its samples on import, so a file cannot carry one
 *   its samples contradict; a stored run (readStoredRun) keeps the app's own when well formed.
 * - A race's lanes are runs read by the same rules (no race inside a lane), its profiles keep
 *   public facts only.
 * - A benchmark has at most MAX_BENCHMARK_SAMPLES samples (what the app can make) and one per
 *   (lane, index); a file with more, or with a repeated one, is refused.
 */
import { publicURL } from '../engine/endpoint';
import type { ChatMessage, JsonSchemaFormat, ReasoningEffort, ToolDefinition, Usage } from '../engine/types';
import type { Distribution } from '../metrics/sample-stats';
import { COUNT_KEYS, TIMING_KEYS, type ExportedRun } from './format';
import {
  MAX_BENCHMARK_REPEAT,
  MAX_RACE_LANES,
  SAMPLE_METRICS,
  laneSummary,
  type BenchmarkRecord,
  type BenchmarkSample,
  type LanePrice,
  type LaneSummary,
  type RaceLaneRecord,
  type RaceRecord,
  type SampleMetric,
} from './race';

/** The largest file Import reads (a 100,000-token run exports to about 8 MB). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** The most chunks an imported run may have. */
export const MAX_IMPORT_CHUNKS = 250_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): number | null => (isNum(v) ? v : null);
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant']);
const TURN_STATUS: ReadonlySet<string> = new Set(['done', 'interrupted', 'failed']);

/** Why a file of this many bytes cannot be imported, or null when it can. */
export function importSizeProblem(bytes: number): string | null {
  return bytes > MAX_IMPORT_BYTES
    ? `This file is ${MB(bytes)}; Streaming Lab imports runs of up to ${MB(MAX_IMPORT_BYTES)}.`
    : null;
}

/** Validates an imported file; throws an Error with a message a learner can act on. */
export function parseExportedRun(text: string): ExportedRun {
  const tooBig = importSizeProblem(text.length);
  if (tooBig) throw new Error(tooBig);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('This file is not JSON. Import a run exported from Streaming Lab (Export JSON).');
  }
  return readRun(data, MAX_IMPORT_CHUNKS);
}

/**
 * How a run's race is read: not at all (a lane's run never carries one), with its benchmark's
 * summaries recomputed from the samples (a file from elsewhere), or with the summaries the app
 * stored kept when well formed (`stored`).
 */
export type RaceReading = 'none' | 'recompute' | 'stored';

/**
 * Rebuilds a run from untrusted data (a file's JSON, a stored record), field by field, upgrading
 * any shape the app ever wrote; throws when it is not a usable run. Stored runs pass Infinity
 * (readStoredRun).
 */
export function readRun(data: unknown, maxChunks: number, race: RaceReading = 'recompute'): ExportedRun {
  if (!isObj(data) || data.version !== 1) {
    throw new Error('This is not a Streaming Lab run (version 1). Import a file made by Export JSON.');
  }
  if (!Array.isArray(data.chunks)) {
    throw new Error('The run has no valid chunks: each needs a time t (ms) and a text.');
  }
  if (data.chunks.length > maxChunks) {
    throw new Error(
      `This run has ${data.chunks.length.toLocaleString('en')} chunks; Streaming Lab imports runs of up to ${maxChunks.toLocaleString('en')}.`,
    );
  }
  const chunks = data.chunks.map((c: unknown) => {
    if (!isObj(c) || !isNum(c.t) || typeof c.text !== 'string') {
      throw new Error('The run has no valid chunks: each needs a time t (ms) and a text.');
    }
    return { t: c.t, text: c.text };
  });
  const m = isObj(data.metrics) ? data.metrics : {};
  const run: ExportedRun = {
    version: 1,
    lab: typeof data.lab === 'string' ? data.lab : 'imported',
    startedAt: isNum(data.startedAt) ? data.startedAt : 0,
    request: readRequest(data.request),
    chunks,
    metrics: {
      ttftMs: numOrNull(m.ttftMs),
      e2eMs: numOrNull(m.e2eMs),
      tpotMs: numOrNull(m.tpotMs),
      chunks: isNum(m.chunks) ? m.chunks : chunks.length,
      chars: isNum(m.chars) ? m.chars : chunks.reduce((n, c) => n + c.text.length, 0),
      promptTokens: numOrNull(m.promptTokens),
      completionTokens: numOrNull(m.completionTokens),
      tokensEstimated: m.tokensEstimated === true,
      gaps: readGaps(m.gaps),
      // Reasoning and tool-call metrics: kept when the file has them (a number or null).
      ...Object.fromEntries(
        [...TIMING_KEYS, ...COUNT_KEYS].flatMap((key) =>
          Object.hasOwn(m, key) ? [[key, numOrNull(m[key])]] : [],
        ),
      ),
    },
    usage: readUsage(data.usage),
    finishReason: typeof data.finishReason === 'string' ? data.finishReason : null,
    error: isObj(data.error)
      ? {
          kind: typeof data.error.kind === 'string' ? data.error.kind : 'unknown',
          title: typeof data.error.title === 'string' ? data.error.title : '',
          detail: typeof data.error.detail === 'string' ? data.error.detail : '',
        }
      : null,
    text: typeof data.text === 'string' ? data.text : chunks.map((c) => c.text).join(''),
  };
  // Additive fields of version 1 (reasoning and tool calls, Streaming vs non-streaming, Chat):
  // kept only when well formed.
  const reasoning = readReasoning(data.reasoning, maxChunks);
  if (reasoning) run.reasoning = reasoning;
  const toolCalls = readToolCalls(data.toolCalls);
  if (toolCalls) {
    run.toolCalls = toolCalls;
    run.toolChunks = readToolChunks(data.toolChunks, maxChunks);
  }
  // Streaming vs non-streaming, Chat:
  if (data.nonStreaming === null) run.nonStreaming = null;
  else if (
    isObj(data.nonStreaming) &&
    isNum(data.nonStreaming.totalMs) &&
    isNum(data.nonStreaming.chars) &&
    typeof data.nonStreaming.text === 'string'
  ) {
    run.nonStreaming = {
      totalMs: data.nonStreaming.totalMs,
      chars: data.nonStreaming.chars,
      usage: readUsage(data.nonStreaming.usage),
      text: data.nonStreaming.text,
    };
  }
  if (isObj(data.conversation) && Array.isArray(data.conversation.turns)) {
    run.conversation = {
      system: typeof data.conversation.system === 'string' ? data.conversation.system : '',
      turns: data.conversation.turns.flatMap((t: unknown) =>
        isObj(t) && (t.role === 'user' || t.role === 'assistant') && typeof t.content === 'string'
          ? [
              {
                role: t.role,
                content: t.content,
                ...(typeof t.status === 'string' && TURN_STATUS.has(t.status)
                  ? { status: t.status as 'done' | 'interrupted' | 'failed' }
                  : {}),
              },
            ]
          : [],
      ),
    };
  }
  // Model race: kept when it has at least one lane.
  if (race !== 'none' && data.race !== undefined) {
    const read = readRace(data.race, maxChunks, race === 'stored');
    if (read) run.race = read;
  }
  return run;
}

const PROVIDERS: ReadonlySet<string> = new Set(['simulator', 'openai', 'custom']);

/**
 * A race: its lanes (each a profile and a whole run; a malformed lane refuses the file, as a
 * malformed chunk does) and its benchmark, whose summaries are recomputed from the samples.
 */
function readRace(v: unknown, maxChunks: number, storedSummaries: boolean): RaceRecord | null {
  if (!isObj(v) || !Array.isArray(v.lanes) || v.lanes.length === 0) return null;
  if (v.lanes.length > MAX_RACE_LANES) {
    throw new Error(`This race has ${v.lanes.length} lanes; a race has at most ${MAX_RACE_LANES}.`);
  }
  const raw: unknown[] = v.lanes;
  const lanes = raw.map((lane: unknown, i): RaceLaneRecord => {
    const p = isObj(lane) && isObj(lane.profile) ? lane.profile : null;
    if (!isObj(lane) || !p || typeof p.name !== 'string' || typeof p.model !== 'string') {
      throw new Error(`The race’s lane ${i + 1} has no profile: each needs a name and a model.`);
    }
    const price = readPrice(lane.price);
    return {
      profile: {
        name: p.name,
        provider:
          typeof p.provider === 'string' && PROVIDERS.has(p.provider)
            ? (p.provider as RaceLaneRecord['profile']['provider'])
            : 'custom',
        baseURL: safeBaseURL(p.baseURL),
        model: p.model,
        api: p.api === 'responses' ? 'responses' : 'chat',
      },
      run: readRun(lane.run, maxChunks, 'none'),
      ...(price ? { price } : {}),
    };
  });
  const benchmark = readBenchmark(v.benchmark, lanes.length, maxChunks);
  if (!benchmark) return { lanes };
  return {
    lanes: lanes.map((lane, i) => ({
      ...lane,
      summary:
        (storedSummaries ? readSummary(isObj(raw[i]) ? raw[i].summary : null) : null) ??
        laneSummary(benchmark.samples, i),
    })),
    benchmark,
  };
}

/**
 * A run the app stored itself: no chunk cap, and a benchmark's summaries kept as stored when well
 * formed (recomputing them bootstraps every saved benchmark at each start, ~280 ms for 4 × 200).
 */
export function readStoredRun(data: unknown): ExportedRun {
  return readRun(data, Infinity, 'stored');
}

/** A lane's stored summary, rebuilt field by field; null when any metric is malformed. */
function readSummary(v: unknown): LaneSummary | null {
  if (!isObj(v)) return null;
  const entries = SAMPLE_METRICS.map(({ key }) => [key, v[key] === null ? null : readDistribution(v[key])]);
  return entries.every(([, d]) => d !== undefined) ? (Object.fromEntries(entries) as LaneSummary) : null;
}

/** A distribution with every figure a finite number, or undefined. */
function readDistribution(v: unknown): Distribution | undefined {
  if (!isObj(v) || !isCount(v.n) || !Array.isArray(v.ci95) || v.ci95.length !== 2) return undefined;
  const [lo, hi] = v.ci95 as unknown[];
  const { min, max, mean, p50, p90, p99 } = v;
  if (![min, max, mean, p50, p90, p99, lo, hi].every(isNum)) return undefined;
  return { n: v.n, min, max, mean, p50, p90, p99, ci95: [lo, hi] } as Distribution;
}

function readPrice(v: unknown): LanePrice | null {
  return isObj(v) && isNum(v.inputPerMillion) && isNum(v.outputPerMillion)
    ? { inputPerMillion: v.inputPerMillion, outputPerMillion: v.outputPerMillion }
    : null;
}

const isCount = (v: unknown): v is number => isNum(v) && Number.isInteger(v) && v >= 0;

/** The most samples a benchmark has: as many as the app can make (every lane at the Repeat max). */
export const MAX_BENCHMARK_SAMPLES = MAX_RACE_LANES * MAX_BENCHMARK_REPEAT;

/**
 * A benchmark: its repeat and concurrency (positive whole numbers) and well-formed samples, at
 * most MAX_BENCHMARK_SAMPLES and one per (lane, index) — its summaries are bootstrapped on
 * opening, so a crafted link with many samples would freeze the tab.
 */
function readBenchmark(v: unknown, lanes: number, maxChunks: number): BenchmarkRecord | null {
  if (!isObj(v) || !isCount(v.repeat) || !isCount(v.concurrency) || !Array.isArray(v.samples)) return null;
  if (v.repeat < 1 || v.concurrency < 1) return null;
  checkCount(v.samples, 'benchmark', maxChunks);
  if (v.samples.length > MAX_BENCHMARK_SAMPLES) {
    throw new Error(
      `This benchmark has ${v.samples.length.toLocaleString('en')} samples; a benchmark has at most ${MAX_BENCHMARK_SAMPLES} (${MAX_RACE_LANES} lanes × ${MAX_BENCHMARK_REPEAT} requests).`,
    );
  }
  const samples = v.samples.flatMap((s: unknown): BenchmarkSample[] =>
    isObj(s) && isCount(s.lane) && s.lane < lanes && isCount(s.index)
      ? [
          {
            lane: s.lane,
            index: s.index,
            ...(Object.fromEntries(SAMPLE_METRICS.map(({ key }) => [key, numOrNull(s[key])])) as Record<
              SampleMetric,
              number | null
            >),
            ...(typeof s.error === 'string' ? { error: s.error } : {}),
          },
        ]
      : [],
  );
  const seen = new Set(samples.map((s) => `${s.lane}:${s.index}`));
  if (seen.size < samples.length) {
    throw new Error(
      'This benchmark has two samples for the same request (lane and index): it is not one the app made.',
    );
  }
  return { repeat: v.repeat, concurrency: v.concurrency, samples };
}

/** The request's named fields only; anything else a file carries (a key, headers) is dropped. */
function readRequest(v: unknown): ExportedRun['request'] {
  if (!isObj(v) || typeof v.model !== 'string') return null;
  return {
    model: v.model,
    baseURL: safeBaseURL(v.baseURL),
    stream: typeof v.stream === 'boolean' ? v.stream : true,
    ...(isNum(v.max_tokens) ? { max_tokens: v.max_tokens } : {}),
    ...(isNum(v.max_completion_tokens) ? { max_completion_tokens: v.max_completion_tokens } : {}),
    ...(isNum(v.temperature) ? { temperature: v.temperature } : {}),
    ...(isNum(v.seed) && Number.isInteger(v.seed) ? { seed: v.seed } : {}),
    ...(typeof v.reasoning_effort === 'string' && EFFORTS.has(v.reasoning_effort)
      ? { reasoning_effort: v.reasoning_effort as ReasoningEffort }
      : {}),
    ...(Array.isArray(v.tools) ? { tools: readTools(v.tools) } : {}),
    ...(isObj(v.response_format) ? { response_format: readResponseFormat(v.response_format) } : {}),
    ...(Array.isArray(v.stop) && v.stop.every((s) => typeof s === 'string')
      ? { stop: v.stop.slice() as string[] }
      : {}),
    ...(v.logprobs === true
      ? { logprobs: true, ...(isNum(v.top_logprobs) ? { top_logprobs: v.top_logprobs } : {}) }
      : {}),
    ...(v.include_usage === true ? { include_usage: true } : {}),
    // Additive: a file without it (every older one) went by Chat Completions.
    ...(v.api === 'responses' ? { api: 'responses' as const } : {}),
    messages: readMessages(v.messages),
  };
}

const EFFORTS = new Set<string>(['minimal', 'low', 'medium', 'high']);

/** Tools as a run file recorded them: each a function with a name; its schema kept as plain JSON. */
function readTools(v: unknown[]): ToolDefinition[] {
  return v.map((tool, i) => {
    const fn = isObj(tool) && isObj(tool.function) ? tool.function : null;
    if (!fn || typeof fn.name !== 'string')
      throw new Error(`The run’s request.tools[${i}] is not a function tool with a name.`);
    return {
      type: 'function',
      function: {
        name: fn.name,
        ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
        parameters: isObj(fn.parameters) ? plainJson(fn.parameters) : {},
      },
    };
  });
}

function readResponseFormat(v: Record<string, unknown>): JsonSchemaFormat {
  const spec = isObj(v.json_schema) ? v.json_schema : null;
  if (v.type !== 'json_schema' || !spec || typeof spec.name !== 'string')
    throw new Error('The run’s request.response_format is not a json_schema format with a name.');
  return {
    type: 'json_schema',
    json_schema: {
      name: spec.name,
      schema: isObj(spec.schema) ? plainJson(spec.schema) : {},
      ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}),
    },
  };
}

/** A JSON object copied through JSON, so nothing but plain data (no prototype tricks) survives. */
function plainJson(v: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

function readMessages(v: unknown): ChatMessage[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error('The run’s request.messages is not a list of messages.');
  return v.map((msg: unknown, i) => {
    if (
      !isObj(msg) ||
      typeof msg.role !== 'string' ||
      !ROLES.has(msg.role) ||
      typeof msg.content !== 'string'
    ) {
      throw new Error(
        `The run’s request.messages[${i}] is not a message: each needs a role (system, user or assistant) and a text content.`,
      );
    }
    return { role: msg.role as ChatMessage['role'], content: msg.content };
  });
}

/** A base URL as it may be kept: http or https, in the form publicURL (engine) shows. */
function safeBaseURL(v: unknown): string {
  return typeof v === 'string' && /^https?:\/\//i.test(v.trim()) ? publicURL(v) : '';
}

function readUsage(v: unknown): Usage | null {
  if (!isObj(v) || !isNum(v.completion_tokens)) return null;
  const prompt = isNum(v.prompt_tokens) ? v.prompt_tokens : 0;
  const details = v.completion_tokens_details;
  const promptDetails = v.prompt_tokens_details;
  return {
    prompt_tokens: prompt,
    completion_tokens: v.completion_tokens,
    total_tokens: isNum(v.total_tokens) ? v.total_tokens : prompt + v.completion_tokens,
    ...(isObj(details) && isNum(details.reasoning_tokens)
      ? { completion_tokens_details: { reasoning_tokens: details.reasoning_tokens } }
      : {}),
    ...(isObj(promptDetails) && isNum(promptDetails.cached_tokens)
      ? { prompt_tokens_details: { cached_tokens: promptDetails.cached_tokens } }
      : {}),
  };
}

/** Refuses more events of one kind than an import takes, as for the answer's chunks. */
function checkCount(v: unknown[], what: string, maxChunks: number): void {
  if (v.length > maxChunks) {
    throw new Error(
      `This run has ${v.length.toLocaleString('en')} ${what} chunks; Streaming Lab imports runs of up to ${maxChunks.toLocaleString('en')}.`,
    );
  }
}

/** Reasoning: its text and `{ t, text }` events; a malformed event is dropped. */
function readReasoning(v: unknown, maxChunks: number): ExportedRun['reasoning'] | null {
  if (!isObj(v) || !Array.isArray(v.chunks)) return null;
  checkCount(v.chunks, 'reasoning', maxChunks);
  const chunks = v.chunks.flatMap((c: unknown) =>
    isObj(c) && isNum(c.t) && typeof c.text === 'string' ? [{ t: c.t, text: c.text }] : [],
  );
  if (!chunks.length) return null;
  return { text: typeof v.text === 'string' ? v.text : chunks.map((c) => c.text).join(''), chunks };
}

/** Tool calls: each needs an index and its argument text; anything else a call carries is dropped. */
function readToolCalls(v: unknown): ExportedRun['toolCalls'] | null {
  if (!Array.isArray(v)) return null;
  const calls = v.flatMap((c: unknown) =>
    isObj(c) && isNum(c.index) && typeof c.arguments === 'string'
      ? [
          {
            index: c.index,
            id: typeof c.id === 'string' ? c.id : '',
            name: typeof c.name === 'string' ? c.name : '',
            type: c.type === 'custom' ? ('custom' as const) : ('function' as const),
            arguments: c.arguments,
          },
        ]
      : [],
  );
  return calls.length ? calls : null;
}

/** Pieces of tool-call arguments `{ t, index, text }`; a malformed piece is dropped. */
function readToolChunks(v: unknown, maxChunks: number): NonNullable<ExportedRun['toolChunks']> {
  if (!Array.isArray(v)) return [];
  checkCount(v, 'tool-call', maxChunks);
  return v.flatMap((c: unknown) =>
    isObj(c) && isNum(c.t) && isNum(c.index) && typeof c.text === 'string'
      ? [{ t: c.t, index: c.index, text: c.text }]
      : [],
  );
}

function readGaps(v: unknown): ExportedRun['metrics']['gaps'] {
  if (!isObj(v)) return null;
  const { mean, p50, p90, p95, p99, max } = v;
  return isNum(mean) && isNum(p50) && isNum(p90) && isNum(p95) && isNum(p99) && isNum(max)
    ? { mean, p50, p90, p95, p99, max }
    : null;
}
