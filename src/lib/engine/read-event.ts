/**
 * What one Responses API stream event says, as read-chunk.ts does for a chat chunk: the same
 * StreamEvent vocabulary, so views, metrics and exports do not care which API ran. Pure apart from
 * the small EventReader state it is handed, and never throws on any value.
 *
 * - `response.created` / `in_progress` / `queued` → `response` (id, status); `completed` /
 *   `incomplete` → `response` with the final status, then usage, then finish (mapped onto Chat
 *   Completions' names: completed → 'stop', or 'tool_calls' when a function call was streamed;
 *   incomplete for max_output_tokens → 'length', content_filter → 'content_filter').
 * - `output_text.delta` → content (numbered as streamChat numbers content chunks) and, when it
 *   carries them, logprobs; `refusal.delta` → refusal; `reasoning_summary_text.delta` and
 *   `reasoning_text.delta` → reasoning (fields 'reasoning_summary', 'reasoning_text').
 * - `output_item.added` of a function_call (or custom_tool_call) → the tool call's head: index is
 *   its 0-based order among the stream's tool-call items, id its call_id, name, empty args; its
 *   `function_call_arguments.delta` (`custom_tool_call_input.delta`) pieces → the same index,
 *   found by item_id, else by output_index.
 * - `error` and `response.failed` → error: the provider's code and message, masked (errors.ts).
 * - Every event's `sequence_number` is checked against the one expected next: any other number is
 *   reported as `sequence` before the event's own events. A jump ahead (a gap) moves the
 *   expectation on to got + 1; a late or repeated event leaves it where it is, so two events
 *   swapped are reported twice (the skip ahead, then the late one), not three times.
 * - Unknown event types and fields of unexpected shapes are skipped (the wire log keeps them).
 */
import { streamedError, type ErrorContext } from './errors';
import { field, toLogprobs, toUsage, type RawLogprob } from './read-chunk';
import type { ResumePoint, StreamEvent, Usage } from './types';

/** What a reader remembers between the events of one connection. */
export interface EventReader {
  /** The sequence_number expected next. */
  expected: number;
  /** The highest sequence_number received (the last one, when they come in order), or null. */
  last: number | null;
  /** The response's id, once an event named it. */
  id: string | null;
  /** Tool-call items seen so far: `item:<item_id>` and `at:<output_index>` → tool-call index. */
  calls: Map<string, number>;
  /** Content events read so far on this connection. */
  contentChunks: number;
  /** Who is asking: masks the key out of a streamed error. */
  context: ErrorContext;
}

/**
 * A reader for a new connection. `after`: the last sequence_number a previous connection received
 * (a resumed stream continues from after + 1); -1 for a fresh stream.
 */
export function eventReader(context: ErrorContext, after = -1, id: string | null = null): EventReader {
  return {
    expected: after + 1,
    last: after >= 0 ? after : null,
    id,
    calls: new Map(),
    contentChunks: 0,
    context,
  };
}

/** Where this reader's stream could be resumed: its id and last sequence number, when both are known. */
export function resumePoint(reader: EventReader): ResumePoint | undefined {
  return reader.id !== null && reader.last !== null ? { id: reader.id, after: reader.last } : undefined;
}

const text = (raw: unknown): string => (typeof raw === 'string' ? raw : '');

/** A Responses usage object in Chat Completions' names (toUsage then keeps only well-formed numbers). */
export function toResponseUsage(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  return toUsage({
    prompt_tokens: field(raw, 'input_tokens'),
    completion_tokens: field(raw, 'output_tokens'),
    total_tokens: field(raw, 'total_tokens'),
    completion_tokens_details: field(raw, 'output_tokens_details'),
    prompt_tokens_details: field(raw, 'input_tokens_details'),
  });
}

/** Whether a Response's `output` holds a tool call (function_call or custom_tool_call item). */
function outputHasToolCall(response: unknown): boolean {
  const output = field(response, 'output');
  return (
    Array.isArray(output) && (output as unknown[]).some((item) => text(field(item, 'type')) in TOOL_ITEMS)
  );
}

/**
 * A finished response's finish reason in Chat Completions' names, or null while it runs.
 * `sawToolCall`: a tool call was streamed (the final output may also say so, or be left out).
 */
export function finishReason(response: unknown, sawToolCall = false): string | null {
  const status = field(response, 'status');
  if (status === 'completed') return sawToolCall || outputHasToolCall(response) ? 'tool_calls' : 'stop';
  if (status !== 'incomplete') return null;
  const reason = field(field(response, 'incomplete_details'), 'reason');
  if (reason === 'max_output_tokens') return 'length';
  return typeof reason === 'string' && reason ? reason : 'incomplete';
}

const TOOL_ITEMS: Record<string, { type: 'function' | 'custom'; args: string }> = {
  function_call: { type: 'function', args: 'arguments' },
  custom_tool_call: { type: 'custom', args: 'input' },
};

type ToolCallEvent = Extract<StreamEvent, { kind: 'tool_call' }>;

/** The tool-call index of the item an argument delta belongs to. */
function callIndex(event: object, reader: EventReader): number | undefined {
  const item = field(event, 'item_id');
  const at = field(event, 'output_index');
  return (
    (typeof item === 'string' ? reader.calls.get(`item:${item}`) : undefined) ??
    (typeof at === 'number' ? reader.calls.get(`at:${at}`) : undefined)
  );
}

/** A tool-call head from `output_item.added`, registering the item; null for other items. */
function callHead(event: object, sdkChunk: number, t: number, reader: EventReader): ToolCallEvent | null {
  const item = field(event, 'item');
  const shape = TOOL_ITEMS[text(field(item, 'type'))];
  if (!shape) return null;
  const index = new Set(reader.calls.values()).size;
  const itemId = field(item, 'id');
  const at = field(event, 'output_index');
  if (typeof itemId === 'string') reader.calls.set(`item:${itemId}`, index);
  if (typeof at === 'number') reader.calls.set(`at:${at}`, index);
  const head: ToolCallEvent = {
    kind: 'tool_call',
    t,
    sdkChunk,
    index,
    type: shape.type,
    args: text(field(item, shape.args)),
  };
  const id = text(field(item, 'call_id'));
  const name = text(field(item, 'name'));
  if (id) head.id = id;
  if (name) head.name = name;
  return head;
}

/** Notes the response an event names (its id) and says its status, if it has both. */
function responseStatus(response: unknown, sdkChunk: number, t: number, reader: EventReader): StreamEvent[] {
  const id = field(response, 'id');
  if (typeof id === 'string' && id) reader.id = id;
  const status = field(response, 'status');
  if (reader.id === null || typeof status !== 'string') return [];
  return [{ kind: 'response', t, sdkChunk, id: reader.id, status }];
}

/** Checks an event's sequence_number against the one expected, and moves the expectation on. */
function checkSequence(event: object, sdkChunk: number, t: number, reader: EventReader): StreamEvent[] {
  const got = field(event, 'sequence_number');
  if (typeof got !== 'number' || !Number.isInteger(got)) return [];
  const expected = reader.expected;
  // A late event (got < expected) does not move the expectation back: the events after the one it
  // was late for are then not reported again.
  reader.expected = Math.max(expected, got + 1);
  reader.last = reader.last === null ? got : Math.max(reader.last, got);
  return got === expected ? [] : [{ kind: 'sequence', t, sdkChunk, expected, got }];
}

/** The events one value yielded by the SDK's Responses stream carries, in order. */
export function* readEvent(
  raw: unknown,
  sdkChunk: number,
  t: number,
  reader: EventReader,
): Generator<StreamEvent> {
  if (typeof raw !== 'object' || raw === null) return;
  yield* checkSequence(raw, sdkChunk, t, reader);
  const delta = text(field(raw, 'delta'));
  switch (field(raw, 'type')) {
    case 'response.created':
    case 'response.queued':
    case 'response.in_progress':
      yield* responseStatus(field(raw, 'response'), sdkChunk, t, reader);
      break;
    case 'response.output_text.delta': {
      if (delta) yield { kind: 'content', t, sdkChunk, contentChunk: ++reader.contentChunks, text: delta };
      const tokens = toLogprobs(field(raw, 'logprobs') as RawLogprob[] | undefined);
      if (tokens.length) yield { kind: 'logprobs', t, sdkChunk, tokens };
      break;
    }
    case 'response.refusal.delta':
      if (delta) yield { kind: 'refusal', t, sdkChunk, text: delta };
      break;
    case 'response.reasoning_summary_text.delta':
      if (delta) yield { kind: 'reasoning', t, sdkChunk, text: delta, field: 'reasoning_summary' };
      break;
    case 'response.reasoning_text.delta':
      if (delta) yield { kind: 'reasoning', t, sdkChunk, text: delta, field: 'reasoning_text' };
      break;
    case 'response.output_item.added': {
      const head = callHead(raw, sdkChunk, t, reader);
      if (head) yield head;
      break;
    }
    case 'response.function_call_arguments.delta':
    case 'response.custom_tool_call_input.delta': {
      const index = callIndex(raw, reader);
      const type = field(raw, 'type') === 'response.custom_tool_call_input.delta' ? 'custom' : 'function';
      if (index !== undefined) yield { kind: 'tool_call', t, sdkChunk, index, type, args: delta };
      break;
    }
    case 'response.completed':
    case 'response.incomplete': {
      const response = field(raw, 'response');
      yield* responseStatus(response, sdkChunk, t, reader);
      const usage = toResponseUsage(field(response, 'usage'));
      if (usage) yield { kind: 'usage', t, sdkChunk, usage };
      const reason = finishReason(response, reader.calls.size > 0);
      if (reason) yield { kind: 'finish', t, sdkChunk, reason };
      break;
    }
    case 'response.failed': {
      const response = field(raw, 'response');
      yield* responseStatus(response, sdkChunk, t, reader);
      const error = field(response, 'error');
      yield {
        kind: 'error',
        t,
        error: streamedError(field(error, 'code'), field(error, 'message'), reader.context),
      };
      break;
    }
    case 'error':
      yield {
        kind: 'error',
        t,
        error: streamedError(field(raw, 'code'), field(raw, 'message'), reader.context),
      };
      break;
  }
}
