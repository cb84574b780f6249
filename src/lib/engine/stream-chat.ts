/**
 * The one path every lab uses to talk to a model: the official SDK over the wire tap.
 *
 * streamChat turns a streamed chat completion into typed StreamEvents timed by the wire tap.
 * Invariants: it never throws (failures become an `error` event), it always ends with exactly one
 * `end` event, and an abort through the caller's signal ends it with outcome "aborted" — the SDK
 * then cancels the body, which closes the connection. Chunks and fields of unexpected shapes are
 * skipped, never fatal.
 *
 * What a chunk says is read from choice 0 (the choice whose `index` is 0; no index counts as 0),
 * wherever it sits in `choices`. Any other choice index (n > 1) is announced once per stream as
 * `other_choice`. From choice 0's delta, in this order: reasoning (the first non-empty of
 * `reasoning_content`, `reasoning`, `reasoning_details[]` — OpenRouter sends the same text in the
 * last two, so only one is taken), content, tool-call pieces (`tool_calls[]`, function or custom
 * shape, and the legacy `function_call` as call 0), logprobs, refusal, finish; then usage.
 * Reasoning is never content and content never reasoning.
 */
import type OpenAI from 'openai';
import { createClient } from './client';
import { classifyError, isAbort, type ErrorContext } from './errors';
import { requestParams } from './request';
import type { ChatRequest, Completion, Connection, StreamEvent, TokenLogprob, Usage } from './types';
import { WireLog } from './wire';

export interface CallOptions {
  connection: Connection;
  signal?: AbortSignal;
  /** Receives the raw reads and frames; pass one in to watch them live. */
  wire?: WireLog;
}

interface RawLogprob {
  token?: string;
  logprob?: number;
  top_logprobs?: { token?: string; logprob?: number }[];
}

function toLogprobs(raw: RawLogprob[] | null | undefined): TokenLogprob[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e) => typeof e?.token === 'string' && typeof e.logprob === 'number')
    .map((e) => ({
      token: e.token as string,
      logprob: e.logprob as number,
      top: (Array.isArray(e.top_logprobs) ? e.top_logprobs : [])
        .filter((a) => typeof a?.token === 'string' && typeof a.logprob === 'number')
        .map((a) => ({ token: a.token as string, logprob: a.logprob as number })),
    }));
}

function toUsage(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Partial<Record<keyof Usage, unknown>>;
  if (typeof u.completion_tokens !== 'number') return null;
  const prompt = typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: u.completion_tokens,
    total_tokens: typeof u.total_tokens === 'number' ? u.total_tokens : prompt + u.completion_tokens,
  };
  const reasoning = field(u.completion_tokens_details, 'reasoning_tokens');
  if (typeof reasoning === 'number') usage.completion_tokens_details = { reasoning_tokens: reasoning };
  const cached = field(u.prompt_tokens_details, 'cached_tokens');
  if (typeof cached === 'number') usage.prompt_tokens_details = { cached_tokens: cached };
  return usage;
}

/** `raw[key]` when `raw` is an object, else undefined. */
function field(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
}

const text = (raw: unknown): string => (typeof raw === 'string' ? raw : '');

/** The reasoning text in a delta and the field it came from; the first field with text wins. */
function reasoningOf(delta: unknown): { text: string; field: string } | null {
  for (const name of ['reasoning_content', 'reasoning'] as const) {
    const value = text(field(delta, name));
    if (value) return { text: value, field: name };
  }
  const details = field(delta, 'reasoning_details');
  if (!Array.isArray(details)) return null;
  let joined = '';
  for (const item of details as unknown[]) {
    const type = field(item, 'type');
    if (type === 'reasoning.text') joined += text(field(item, 'text'));
    else if (type === 'reasoning.summary') joined += text(field(item, 'summary'));
  }
  return joined ? { text: joined, field: 'reasoning_details' } : null;
}

type ToolCallEvent = Extract<StreamEvent, { kind: 'tool_call' }>;

/** The tool-call pieces in a delta: `tool_calls[]` (function or custom), or `function_call`. */
function toolCallsOf(delta: unknown, sdkChunk: number, t: number): ToolCallEvent[] {
  const calls = field(delta, 'tool_calls');
  const events: ToolCallEvent[] = [];
  if (Array.isArray(calls)) {
    (calls as unknown[]).forEach((item, position) => {
      if (typeof item !== 'object' || item === null) return;
      const rawIndex = field(item, 'index');
      const index = typeof rawIndex === 'number' ? rawIndex : position;
      const custom = field(item, 'type') === 'custom' || field(item, 'custom') !== undefined;
      const body = field(item, custom ? 'custom' : 'function');
      const event: ToolCallEvent = {
        kind: 'tool_call',
        t,
        sdkChunk,
        index,
        type: custom ? 'custom' : 'function',
        args: text(field(body, custom ? 'input' : 'arguments')),
      };
      const id = text(field(item, 'id'));
      const name = text(field(body, 'name'));
      if (id) event.id = id;
      if (name) event.name = name;
      events.push(event);
    });
  }
  const legacy = field(delta, 'function_call');
  if (!events.length && typeof legacy === 'object' && legacy !== null) {
    const event: ToolCallEvent = {
      kind: 'tool_call',
      t,
      sdkChunk,
      index: 0,
      type: 'function',
      args: text(field(legacy, 'arguments')),
    };
    const name = text(field(legacy, 'name'));
    if (name) event.name = name;
    events.push(event);
  }
  return events;
}

/**
 * What one parsed chunk says, whatever shape the provider gave it. `contentChunk` is the number
 * its content event gets, if it has one; `seen` holds the other choice indexes already announced
 * in this stream.
 */
function* readChunk(
  raw: unknown,
  sdkChunk: number,
  contentChunk: number,
  t: number,
  seen: Set<number>,
): Generator<StreamEvent> {
  if (typeof raw !== 'object' || raw === null) return;
  const c = raw as { choices?: unknown; usage?: unknown; x_groq?: unknown };
  let choice: unknown;
  const others: number[] = [];
  if (Array.isArray(c.choices)) {
    for (const item of c.choices as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const rawIndex = field(item, 'index');
      const index = typeof rawIndex === 'number' ? rawIndex : 0;
      if (index === 0) choice ??= item;
      else if (!seen.has(index)) {
        seen.add(index);
        others.push(index);
      }
    }
  }
  const delta = field(choice, 'delta');
  const reasoning = reasoningOf(delta);
  if (reasoning) yield { kind: 'reasoning', t, sdkChunk, ...reasoning };
  const content = text(field(delta, 'content'));
  if (content) yield { kind: 'content', t, sdkChunk, contentChunk, text: content };
  yield* toolCallsOf(delta, sdkChunk, t);
  const tokens = toLogprobs(field(field(choice, 'logprobs'), 'content') as RawLogprob[] | undefined);
  if (tokens.length) yield { kind: 'logprobs', t, sdkChunk, tokens };
  const refusal = text(field(delta, 'refusal'));
  if (refusal) yield { kind: 'refusal', t, sdkChunk, text: refusal };
  const reason = field(choice, 'finish_reason');
  if (typeof reason === 'string') yield { kind: 'finish', t, sdkChunk, reason };
  for (const index of others) yield { kind: 'other_choice', t, sdkChunk, index };
  // Usage arrives in its own chunk (OpenAI), on the finish chunk (some providers), or under x_groq.
  const usage = toUsage(c.usage) ?? toUsage(field(c.x_groq, 'usage'));
  if (usage) yield { kind: 'usage', t, sdkChunk, usage };
}

function context(connection: Connection, request: ChatRequest, streaming: boolean): ErrorContext {
  return { baseURL: connection.baseURL, model: request.model, apiKey: connection.apiKey, streaming };
}

/** Streams one chat completion as timed events. */
export async function* streamChat(
  request: ChatRequest,
  options: CallOptions,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { connection, signal } = options;
  const wire = options.wire ?? new WireLog();
  const client = createClient(connection, wire);
  const since = () => performance.now() - wire.t0;
  let opened = false;

  try {
    const stream = await client.chat.completions.create(requestParams(request, true), {
      ...(signal ? { signal } : {}),
    });
    opened = true;
    yield { kind: 'open', t: wire.headersAt ?? since(), status: wire.status, attempts: wire.attempts };
    let sdkChunk = 0;
    let contentChunks = 0;
    const otherChoices = new Set<number>();
    for await (const raw of stream as AsyncIterable<unknown>) {
      const t = wire.chunkTime(sdkChunk) ?? since();
      for (const event of readChunk(raw, sdkChunk, contentChunks + 1, t, otherChoices)) {
        if (event.kind === 'content') contentChunks = event.contentChunk;
        yield event;
      }
      sdkChunk++;
    }
    const outcome = signal?.aborted ? 'aborted' : 'complete';
    yield { kind: 'end', t: wire.closedAt ?? since(), outcome };
  } catch (error) {
    if (signal?.aborted || isAbort(error)) {
      yield { kind: 'end', t: since(), outcome: 'aborted' };
      return;
    }
    yield { kind: 'error', t: since(), error: classifyError(error, context(connection, request, opened)) };
    yield { kind: 'end', t: since(), outcome: 'error' };
  }
}

/** One non-streamed chat completion. Throws a LabError-carrying CompletionError on failure. */
export async function completeChat(request: ChatRequest, options: CallOptions): Promise<Completion> {
  const { connection, signal } = options;
  const wire = options.wire ?? new WireLog();
  const client = createClient(connection, wire);
  try {
    const response = (await client.chat.completions.create(requestParams(request, false), {
      ...(signal ? { signal } : {}),
    })) as OpenAI.Chat.ChatCompletion;
    const choice = response.choices?.[0];
    return {
      t: wire.closedAt ?? performance.now() - wire.t0,
      text: choice?.message?.content ?? '',
      usage: toUsage(response.usage),
      finishReason: choice?.finish_reason ?? null,
      logprobs: toLogprobs(choice?.logprobs?.content as RawLogprob[] | undefined),
    };
  } catch (error) {
    if (signal?.aborted || isAbort(error)) throw new CompletionAborted();
    throw new CompletionError(classifyError(error, context(connection, request, false)));
  }
}

export class CompletionAborted extends Error {
  override name = 'CompletionAborted';
}

export class CompletionError extends Error {
  override name = 'CompletionError';
  constructor(readonly error: import('./errors').LabError) {
    super(error.title);
  }
}
