/**
 * The one path every lab uses to talk to a model: the official SDK over the wire tap.
 *
 * streamChat turns a streamed chat completion into typed StreamEvents timed by the wire tap; what
 * each chunk says (choice 0's reasoning, content, tool-call pieces, logprobs, refusal, finish;
 * other choices announced once; usage with its token details) is read by read-chunk.ts.
 * The Responses API (stream-response.ts) goes through the same `runStream`, with its own reader.
 *
 * Invariants: a stream never throws (failures become an `error` event), it always ends with
 * exactly one `end` event, and an abort through the caller's signal ends it with outcome
 * "aborted" — the SDK then cancels the body, which closes the connection. Chunks and fields of
 * unexpected shapes are skipped, never fatal. An `error` event read from the stream itself ends
 * the run with outcome "error", keeping everything read before it. `dropAfter: n` closes the
 * connection after the SDK yielded n values, as a network drop would: an `error` of kind
 * 'network' saying so, then `end { outcome: 'error', resume }`, resume only where the path can
 * pick the stream up again (a background Responses stream; never Chat Completions).
 * The loop gives the thread back (yield.ts) whenever it has held it for a slice's budget: a stream
 * that arrived in one burst is read over many tasks, so the page paints and takes input meanwhile;
 * events, their order and their times are the same either way (times are the tap's arrival times).
 */
import type OpenAI from 'openai';
import { createClient } from './client';
import { classifyError, cutOnPurpose, isAbort, type ErrorContext, type ErrorKind } from './errors';
import { requestParams } from './request';
import { readChunk, toLogprobs, toUsage, type RawLogprob } from './read-chunk';
import type { ChatRequest, Completion, Connection, ResumePoint, StreamEvent } from './types';
import { WireLog } from './wire';
import { createSlicer } from './yield';

export interface CallOptions {
  connection: Connection;
  signal?: AbortSignal;
  /** Receives the raw reads and frames; pass one in to watch them live. */
  wire?: WireLog;
}

export interface StreamOptions extends CallOptions {
  /** Close the connection after the SDK has yielded this many values, as a network drop would. */
  dropAfter?: number;
}

export function context(
  connection: Connection,
  model: string,
  streaming: boolean,
  route?: ErrorContext['route'],
): ErrorContext {
  return {
    baseURL: connection.baseURL,
    model,
    apiKey: connection.apiKey,
    streaming,
    ...(route ? { route } : {}),
  };
}

/** One wire format's way through runStream. */
export interface StreamPath {
  model: string;
  /** The endpoint, when not chat completions: it changes what a 404 means. */
  route?: ErrorContext['route'];
  /** Sends the request through the SDK; resolves once headers arrived, with the parsed values. */
  open(client: OpenAI, signal: AbortSignal): Promise<AsyncIterable<unknown>>;
  /** The events one value the SDK yielded says. An `error` event among them ends the run. */
  read(raw: unknown, sdkChunk: number, t: number): Iterable<StreamEvent>;
  /** Where the stream, cut short now, could be picked up again; undefined where it cannot. */
  resume(): ResumePoint | undefined;
}

/** Failures of the connection rather than of the answer: a resumable stream survives them. */
const CONNECTION_FAILURES: ReadonlySet<ErrorKind> = new Set(['network', 'dropped', 'stalled', 'timeout']);

/** Runs one streamed request along `path`, keeping every invariant in the header above. */
export async function* runStream(
  path: StreamPath,
  options: StreamOptions,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { connection, signal, dropAfter } = options;
  const wire = options.wire ?? new WireLog();
  const since = () => performance.now() - wire.t0;
  // The engine's own controller: follows the caller's signal, and cuts the connection for dropAfter.
  const inner = new AbortController();
  const follow = () => inner.abort(signal?.reason);
  if (signal?.aborted) follow();
  else signal?.addEventListener('abort', follow, { once: true });
  let opened = false;

  try {
    const stream = await path.open(await createClient(connection, wire), inner.signal);
    opened = true;
    yield { kind: 'open', t: wire.headersAt ?? since(), status: wire.status, attempts: wire.attempts };
    let sdkChunk = 0;
    const slicer = createSlicer();
    for await (const raw of stream) {
      slicer.begin();
      const t = wire.chunkTime(sdkChunk) ?? since();
      let failed = false;
      for (const event of path.read(raw, sdkChunk, t)) {
        yield event;
        if (event.kind === 'error') failed = true;
      }
      sdkChunk++;
      if (failed) {
        yield { kind: 'end', t: since(), outcome: 'error' };
        return;
      }
      if (sdkChunk === dropAfter) {
        inner.abort();
        const resume = path.resume();
        yield { kind: 'error', t: since(), error: cutOnPurpose(sdkChunk, resume !== undefined) };
        yield { kind: 'end', t: since(), outcome: 'error', ...(resume ? { resume } : {}) };
        return;
      }
      if (slicer.due()) await slicer.yield();
    }
    const outcome = signal?.aborted ? 'aborted' : 'complete';
    yield { kind: 'end', t: wire.closedAt ?? since(), outcome };
  } catch (error) {
    if (signal?.aborted || isAbort(error)) {
      yield { kind: 'end', t: since(), outcome: 'aborted' };
      return;
    }
    const classified = classifyError(error, context(connection, path.model, opened, path.route));
    const resume = opened && CONNECTION_FAILURES.has(classified.kind) ? path.resume() : undefined;
    yield { kind: 'error', t: since(), error: classified };
    yield { kind: 'end', t: since(), outcome: 'error', ...(resume ? { resume } : {}) };
  } finally {
    signal?.removeEventListener('abort', follow);
  }
}

/** Streams one chat completion as timed events. A cut chat stream cannot be resumed. */
export function streamChat(
  request: ChatRequest,
  options: StreamOptions,
): AsyncGenerator<StreamEvent, void, undefined> {
  let contentChunks = 0;
  const otherChoices = new Set<number>();
  return runStream(
    {
      model: request.model,
      open: async (client, signal) =>
        (await client.chat.completions.create(requestParams(request, true), {
          signal,
        })) as AsyncIterable<unknown>,
      *read(raw, sdkChunk, t) {
        for (const event of readChunk(raw, sdkChunk, contentChunks + 1, t, otherChoices)) {
          if (event.kind === 'content') contentChunks = event.contentChunk;
          yield event;
        }
      },
      resume: () => undefined,
    },
    options,
  );
}

/**
 * Runs one non-streamed request (`call`) over the tap: its answer and the time from t0 to the
 * whole body being read. An abort throws CompletionAborted; any failure a LabError-carrying
 * CompletionError.
 */
export async function runComplete<T>(
  options: CallOptions,
  model: string,
  route: ErrorContext['route'],
  call: (client: OpenAI, signal: AbortSignal | undefined) => Promise<T>,
): Promise<{ answer: T; t: number }> {
  const { connection, signal } = options;
  const wire = options.wire ?? new WireLog();
  try {
    const answer = await call(await createClient(connection, wire), signal);
    return { answer, t: wire.closedAt ?? performance.now() - wire.t0 };
  } catch (error) {
    if (signal?.aborted || isAbort(error)) throw new CompletionAborted();
    throw new CompletionError(classifyError(error, context(connection, model, false, route)));
  }
}

/** One non-streamed chat completion. Throws a LabError-carrying CompletionError on failure. */
export async function completeChat(request: ChatRequest, options: CallOptions): Promise<Completion> {
  const { answer, t } = await runComplete(
    options,
    request.model,
    undefined,
    (client, signal) =>
      client.chat.completions.create(
        requestParams(request, false),
        signal ? { signal } : {},
      ) as Promise<OpenAI.Chat.ChatCompletion>,
  );
  const choice = answer.choices?.[0];
  return {
    t,
    text: choice?.message?.content ?? '',
    usage: toUsage(answer.usage),
    finishReason: choice?.finish_reason ?? null,
    logprobs: toLogprobs(choice?.logprobs?.content as RawLogprob[] | undefined),
  };
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
