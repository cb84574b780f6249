/**
 * What one SSE frame on the wire carries, in words for the wire inspector: short tags (reasoning,
 * content, tool call, comment, ...) and a line of detail. A Responses API event (a JSON `type`
 * of `response.…` or `error`) is tagged with its event type in plain words instead ("text delta",
 * "reasoning summary", "tool arguments", "item added: message", "completed", "unknown event
 * response.future_thing", ...), its detail prefixed with its sequence number; `eventType` gives
 * a frame's event type as sent, for views that draw the event lifecycle.
 *
 * Invariants:
 * - A data frame is read with the engine's own rules (read-chunk.ts, read-event.ts), so the
 *   inspector's "reasoning" is exactly what the engine yields as reasoning, never a guess of its own.
 * - Cost is paid only for the frames a view renders: nothing here runs while frames are recorded,
 *   and `labelOf` parses each frame at most once (frames never change once recorded), so a view
 *   that re-derives its rows as the log grows does not re-parse the rows it already showed.
 * - Never throws, whatever the frame holds.
 */
import { choicesOf, field, readChunk } from './read-chunk';
import { eventReader, readEvent } from './read-event';
import type { FrameType } from './sse-decoder';
import type { StreamEvent } from './types';

export type FrameTag =
  | 'role'
  | 'reasoning'
  | 'content'
  | 'tool call'
  | 'logprobs'
  | 'refusal'
  | 'finish'
  | 'other choice'
  | 'usage'
  | 'error'
  | 'comment'
  | '[DONE]'
  | 'ignored'
  | 'event'
  | 'empty'
  | 'not JSON'
  | ResponseTag;

/** A Responses API event type in plain words. */
export type ResponseTag =
  | (typeof EVENT_WORDS)[keyof typeof EVENT_WORDS]
  | `item added: ${string}`
  | `item done: ${string}`
  | `unknown event ${string}`;

/** The plain words for each Responses event type whose words do not depend on its item. */
const EVENT_WORDS = {
  'response.created': 'created',
  'response.queued': 'queued',
  'response.in_progress': 'in progress',
  'response.content_part.added': 'part added',
  'response.content_part.done': 'part done',
  'response.output_text.delta': 'text delta',
  'response.output_text.done': 'text done',
  'response.output_text.annotation.added': 'annotation',
  'response.refusal.delta': 'refusal delta',
  'response.refusal.done': 'refusal done',
  'response.reasoning_summary_part.added': 'summary part added',
  'response.reasoning_summary_part.done': 'summary part done',
  'response.reasoning_summary_text.delta': 'reasoning summary',
  'response.reasoning_summary_text.done': 'reasoning summary done',
  'response.reasoning_text.delta': 'reasoning text',
  'response.reasoning_text.done': 'reasoning text done',
  'response.function_call_arguments.delta': 'tool arguments',
  'response.function_call_arguments.done': 'tool arguments done',
  'response.custom_tool_call_input.delta': 'tool input',
  'response.custom_tool_call_input.done': 'tool input done',
  'response.completed': 'completed',
  'response.incomplete': 'incomplete',
  'response.failed': 'failed',
  error: 'error',
} as const;

export interface FrameLabel {
  /** What the frame carries, in the order the engine reads it. */
  tags: FrameTag[];
  /** What the parsed chunk added, in words a learner can read. */
  detail: string;
  /** Length of the `obfuscation` padding field, when the chunk has one. */
  obfuscation: number | null;
  /** The Responses API event type the frame carries (its JSON `type`), or null for any other frame. */
  event: string | null;
}

/** The part of a wire frame a label needs; `raw` (the lines as sent) names an event without data. */
export interface LabelledFrame {
  type: FrameType;
  data: string;
  raw?: string;
}

const quote = (text: string) => JSON.stringify(text);

/** Labels one frame. Parses a data frame's JSON; every other frame is labelled by its type. */
export function frameLabel(frame: LabelledFrame): FrameLabel {
  const plain = (tag: FrameTag, detail: string): FrameLabel => ({
    tags: [tag],
    detail,
    obfuscation: null,
    event: null,
  });
  if (frame.type === 'done') return plain('[DONE]', 'end of stream');
  if (frame.type === 'comment') return plain('comment', 'comment (ignored by the SDK)');
  if (frame.type === 'ignored') return plain('ignored', 'after [DONE] (ignored)');
  let chunk: unknown;
  try {
    chunk = JSON.parse(frame.data);
  } catch {
    return frame.type === 'event' && frame.data === ''
      ? plain('event', 'event without data')
      : plain('not JSON', 'not JSON');
  }
  const padding = field(chunk, 'obfuscation');
  const obfuscation = typeof padding === 'string' ? padding.length : null;
  const event = responseEventType(chunk);
  if (event !== null) return { ...responseLabel(chunk, event), obfuscation, event };
  const error = field(chunk, 'error');
  if (error !== undefined && error !== null) {
    const message = field(error, 'message');
    return {
      tags: ['error'],
      detail: `error: ${typeof message === 'string' ? message : ''}`,
      obfuscation,
      event: null,
    };
  }

  const tags: FrameTag[] = [];
  const parts: string[] = [];
  const tag = (t: FrameTag) => {
    if (!tags.includes(t)) tags.push(t);
  };
  const choices = field(chunk, 'choices');
  const role = field(field(choicesOf(choices).choice, 'delta'), 'role');
  if (typeof role === 'string' && role) {
    tag('role');
    parts.push(`role ${role}`);
  }
  for (const event of readChunk(chunk, 0, 0, 0, new Set())) {
    switch (event.kind) {
      case 'reasoning':
        tag('reasoning');
        parts.push(`${event.field} + ${quote(event.text)}`);
        break;
      case 'content':
        tag('content');
        parts.push(`+ ${quote(event.text)}`);
        break;
      case 'tool_call': {
        tag('tool call');
        const head = [`call ${event.index}`, event.name, event.type === 'custom' ? '(custom)' : '']
          .filter(Boolean)
          .join(' ');
        parts.push(`${head} + ${quote(event.args)}`);
        break;
      }
      case 'logprobs':
        tag('logprobs');
        parts.push(`${event.tokens.length} logprobs`);
        break;
      case 'refusal':
        tag('refusal');
        parts.push(`refusal + ${quote(event.text)}`);
        break;
      case 'finish':
        tag('finish');
        parts.push(`finish ${event.reason}`);
        break;
      case 'other_choice':
        tag('other choice');
        parts.push(`choice ${event.index} (not shown)`);
        break;
      case 'usage': {
        tag('usage');
        const { prompt_tokens, completion_tokens, completion_tokens_details } = event.usage;
        const reasoning = completion_tokens_details
          ? ` (${completion_tokens_details.reasoning_tokens} reasoning)`
          : '';
        parts.push(`usage ${prompt_tokens} + ${completion_tokens} tokens${reasoning}`);
        break;
      }
    }
  }
  if (Array.isArray(choices) && choices.length === 0) parts.push('empty choices');
  if (!tags.length) tags.push('empty');
  return { tags, detail: parts.join(', ') || 'no content', obfuscation, event: null };
}

/** A parsed frame's Responses event type: a JSON `type` of `error` or `response.…`; else null. */
function responseEventType(chunk: unknown): string | null {
  const type = field(chunk, 'type');
  return typeof type === 'string' && (type === 'error' || type.startsWith('response.')) ? type : null;
}

const words = (event: string): ResponseTag =>
  event in EVENT_WORDS ? EVENT_WORDS[event as keyof typeof EVENT_WORDS] : `unknown event ${event}`;

/** What the engine reads from one event, in words (read-event.ts, with a reader of its own). */
function eventDetail(event: StreamEvent): string | null {
  switch (event.kind) {
    case 'content':
      return `+ ${quote(event.text)}`;
    case 'reasoning':
      return `${event.field} + ${quote(event.text)}`;
    case 'refusal':
      return `refusal + ${quote(event.text)}`;
    case 'logprobs':
      return `${event.tokens.length} logprobs`;
    case 'tool_call':
      return [event.name, event.id, event.type === 'custom' ? '(custom)' : ''].filter(Boolean).join(' ');
    case 'response':
      return `${event.id} ${event.status}`;
    case 'usage': {
      const { prompt_tokens, completion_tokens, completion_tokens_details } = event.usage;
      const reasoning = completion_tokens_details
        ? ` (${completion_tokens_details.reasoning_tokens} reasoning)`
        : '';
      return `usage ${prompt_tokens} + ${completion_tokens} tokens${reasoning}`;
    }
    case 'finish':
      return `finish ${event.reason}`;
    case 'error':
      return `error: ${event.error.detail}`;
    default:
      return null;
  }
}

/** A Responses event's tag and detail: its sequence number, then what the engine reads from it. */
function responseLabel(chunk: unknown, event: string): Pick<FrameLabel, 'tags' | 'detail'> {
  const item = field(chunk, 'item');
  const itemType = field(item, 'type');
  const tag: ResponseTag =
    typeof itemType === 'string' && event === 'response.output_item.added'
      ? `item added: ${itemType}`
      : typeof itemType === 'string' && event === 'response.output_item.done'
        ? `item done: ${itemType}`
        : words(event);
  const parts: string[] = [];
  const seq = field(chunk, 'sequence_number');
  if (typeof seq === 'number') parts.push(`#${seq}`);
  const reader = eventReader({ baseURL: '', model: '', apiKey: '', streaming: true });
  for (const read of readEvent(chunk, 0, 0, reader)) {
    const detail = read.kind === 'sequence' ? null : eventDetail(read);
    if (detail) parts.push(detail);
  }
  // Argument pieces belong to an item the reader has not seen here: name the item instead.
  const delta = field(chunk, 'delta');
  if (/_(arguments|input)\.delta$/.test(event) && typeof delta === 'string') {
    parts.push(`${String(field(chunk, 'item_id') ?? '')} + ${quote(delta)}`);
  }
  // Lifecycle events (item and part added / done) carry nothing more to read: name their item.
  const itemId = field(chunk, 'item_id') ?? field(item, 'id');
  if (parts.length <= 1 && typeof itemId === 'string') parts.push(itemId);
  return { tags: [tag], detail: parts.join(', ') };
}

/**
 * The Responses API event type a wire frame carries (e.g. 'response.output_text.delta'), or null
 * for any other frame (chat chunks, comments, [DONE]). Read from the frame's JSON `type` — what
 * the engine reads — or, for a frame with no JSON data, its `event:` line. Parsed once per frame.
 */
export function eventType(frame: LabelledFrame): string | null {
  if (frame.type !== 'data' && frame.type !== 'event') return null;
  const label = labelOf(frame);
  if (label.event !== null) return label.event;
  const noJSON = label.tags[0] === 'event' || label.tags[0] === 'not JSON';
  return (noJSON && frame.raw && /^event: ?(.+)$/m.exec(frame.raw)?.[1]) || null;
}

const labels = new WeakMap<object, FrameLabel>();

/** `frameLabel`, worked out once per frame object. */
export function labelOf(frame: LabelledFrame): FrameLabel {
  let label = labels.get(frame);
  if (!label) labels.set(frame, (label = frameLabel(frame)));
  return label;
}
