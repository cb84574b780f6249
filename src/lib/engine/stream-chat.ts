/**
 * The one path every lab uses to talk to a model: the official SDK over the wire tap.
 *
 * streamChat turns a streamed chat completion into typed StreamEvents timed by the wire tap; what
 * each chunk says (choice 0's reasoning, content, tool-call pieces, logprobs, refusal, finish;
 * other choices announced once; usage with its token details) is read by read-chunk.ts.
 * Invariants: it never throws (failures become an `error` event), it always ends with exactly one
 * `end` event, and an abort through the caller's signal ends it with outcome "aborted" — the SDK
 * then cancels the body, which closes the connection. Chunks and fields of unexpected shapes are
 * skipped, never fatal.
 */
import type OpenAI from 'openai';
import { createClient } from './client';
import { classifyError, isAbort, type ErrorContext } from './errors';
import { requestParams } from './request';
import { readChunk, toLogprobs, toUsage, type RawLogprob } from './read-chunk';
import type { ChatRequest, Completion, Connection, StreamEvent } from './types';
import { WireLog } from './wire';

export interface CallOptions {
  connection: Connection;
  signal?: AbortSignal;
  /** Receives the raw reads and frames; pass one in to watch them live. */
  wire?: WireLog;
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
