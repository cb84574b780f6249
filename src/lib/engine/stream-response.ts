/**
 * The Responses API path: `POST /responses` through the official SDK, over the same client, wire
 * tap, network worker, stall watchdog and retries as streamChat (runStream in stream-chat.ts), read
 * by read-event.ts into the same StreamEvents.
 *
 * Invariants (runStream's): never throws, exactly one `end`, an abort through the caller's signal
 * ends with outcome 'aborted'; an `error` event or `response.failed` ends the run with outcome
 * 'error' after the error, keeping everything before it. A background response
 * (`request.background`) cut short — by `dropAfter` or by a real drop of the connection — ends
 * with `end.resume` = its id and the last sequence_number received, once both are known;
 * resumeResponse picks it up there (`GET /responses/{id}?stream=true&starting_after=N`),
 * checking sequence numbers from N + 1 and numbering content chunks from 1 for its connection.
 */
import type OpenAI from 'openai';
import {
  eventReader,
  finishReason,
  readEvent,
  resumePoint,
  toResponseUsage,
  type EventReader,
} from './read-event';
import { field, toLogprobs, type RawLogprob } from './read-chunk';
import { responseParams } from './request';
import {
  context,
  runComplete,
  runStream,
  type CallOptions,
  type StreamOptions,
  type StreamPath,
} from './stream-chat';
import type { ChatRequest, Completion, ResumePoint, StreamEvent } from './types';

export type ResponseCallOptions = StreamOptions;

type Stream = AsyncGenerator<StreamEvent, void, undefined>;

/** A runStream path that reads Responses events; `resumable` says whether a cut can be resumed. */
function responsePath(
  model: string,
  route: 'responses' | 'resume',
  reader: EventReader,
  resumable: boolean,
  open: (client: OpenAI, signal: AbortSignal) => Promise<AsyncIterable<unknown>>,
): StreamPath {
  return {
    model,
    route,
    open,
    read: (raw, sdkChunk, t) => readEvent(raw, sdkChunk, t, reader),
    resume: () => (resumable ? resumePoint(reader) : undefined),
  };
}

/** Streams one response as timed events. */
export function streamResponse(request: ChatRequest, options: ResponseCallOptions): Stream {
  const reader = eventReader(context(options.connection, request.model, true, 'responses'));
  return runStream(
    responsePath(request.model, 'responses', reader, request.background === true, async (client, signal) =>
      client.responses.create(responseParams(request, true), { signal }),
    ),
    options,
  );
}

/**
 * Picks up a cut background response after `point.after`, to its end. Argument pieces of a
 * function call that began before the cut belong to no call this connection announced, so they
 * are skipped (the call's head came over the first connection).
 */
export function resumeResponse(point: ResumePoint, options: ResponseCallOptions): Stream {
  // No model is named by a resume; the error context names the response's route instead.
  const reader = eventReader(context(options.connection, '', true, 'resume'), point.after, point.id);
  return runStream(
    responsePath('', 'resume', reader, true, async (client, signal) =>
      client.responses.retrieve(point.id, { stream: true, starting_after: point.after }, { signal }),
    ),
    options,
  );
}

/** The answer text of a Response's message items, and their logprobs. */
function outputOf(response: unknown): Pick<Completion, 'text' | 'logprobs'> {
  let text = '';
  const logprobs: Completion['logprobs'] = [];
  const output = field(response, 'output');
  for (const item of Array.isArray(output) ? (output as unknown[]) : []) {
    if (field(item, 'type') !== 'message') continue;
    const parts = field(item, 'content');
    for (const part of Array.isArray(parts) ? (parts as unknown[]) : []) {
      if (field(part, 'type') !== 'output_text') continue;
      const partText = field(part, 'text');
      if (typeof partText === 'string') text += partText;
      logprobs.push(...toLogprobs(field(part, 'logprobs') as RawLogprob[] | undefined));
    }
  }
  return { text, logprobs };
}

/** One non-streamed response. Throws a LabError-carrying CompletionError on failure. */
export async function completeResponse(request: ChatRequest, options: CallOptions): Promise<Completion> {
  const { answer, t } = await runComplete(options, request.model, 'responses', (client, signal) =>
    client.responses.create(responseParams(request, false), signal ? { signal } : {}),
  );
  return {
    t,
    ...outputOf(answer),
    usage: toResponseUsage(answer.usage),
    finishReason: finishReason(answer),
  };
}
