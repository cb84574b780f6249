/**
 * The one path every lab uses to talk to a model: the official SDK over the wire tap.
 *
 * streamChat turns a streamed chat completion into typed StreamEvents timed by the wire tap.
 * Invariants: it never throws (failures become an `error` event), it always ends with exactly one
 * `end` event, and an abort through the caller's signal ends it with outcome "aborted" — the SDK
 * then cancels the body, which closes the connection. Chunks of unexpected shapes are skipped,
 * never fatal.
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
      top: (e.top_logprobs ?? [])
        .filter((a) => typeof a?.token === 'string' && typeof a.logprob === 'number')
        .map((a) => ({ token: a.token as string, logprob: a.logprob as number })),
    }));
}

function toUsage(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Partial<Usage>;
  if (typeof u.completion_tokens !== 'number') return null;
  return {
    prompt_tokens: u.prompt_tokens ?? 0,
    completion_tokens: u.completion_tokens,
    total_tokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + u.completion_tokens,
  };
}

/**
 * What one parsed chunk says, whatever shape the provider gave it. `contentChunk` is the number
 * its content event gets, if it has one.
 */
function* readChunk(raw: unknown, sdkChunk: number, contentChunk: number, t: number): Generator<StreamEvent> {
  if (typeof raw !== 'object' || raw === null) return;
  const c = raw as {
    choices?: {
      delta?: { content?: unknown; refusal?: unknown };
      logprobs?: { content?: RawLogprob[] | null } | null;
      finish_reason?: unknown;
    }[];
    usage?: unknown;
    x_groq?: { usage?: unknown };
  };
  const choice = Array.isArray(c.choices) ? c.choices[0] : undefined;
  const content = choice?.delta?.content;
  if (typeof content === 'string' && content !== '')
    yield { kind: 'content', t, sdkChunk, contentChunk, text: content };
  const tokens = toLogprobs(choice?.logprobs?.content);
  if (tokens.length) yield { kind: 'logprobs', t, sdkChunk, tokens };
  const refusal = choice?.delta?.refusal;
  if (typeof refusal === 'string' && refusal !== '') yield { kind: 'refusal', t, sdkChunk, text: refusal };
  if (typeof choice?.finish_reason === 'string') {
    yield { kind: 'finish', t, sdkChunk, reason: choice.finish_reason };
  }
  // Usage arrives in its own chunk (OpenAI), on the finish chunk (some providers), or under x_groq.
  const usage = toUsage(c.usage) ?? toUsage(c.x_groq?.usage);
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
    for await (const raw of stream as AsyncIterable<unknown>) {
      const t = wire.chunkTime(sdkChunk) ?? since();
      for (const event of readChunk(raw, sdkChunk, contentChunks + 1, t)) {
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
