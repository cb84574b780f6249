/**
 * What one SSE frame on the wire carries, in words for the wire inspector: short tags (reasoning,
 * content, tool call, comment, ...) and a line of detail.
 *
 * Invariants:
 * - A data frame is read with the engine's own rules (read-chunk.ts), so the inspector's
 *   "reasoning" is exactly what streamChat yields as reasoning, never a guess of its own.
 * - Cost is paid only for the frames a view renders: nothing here runs while frames are recorded,
 *   and `labelOf` parses each frame at most once (frames never change once recorded), so a view
 *   that re-derives its rows as the log grows does not re-parse the rows it already showed.
 * - Never throws, whatever the frame holds.
 */
import { choicesOf, field, readChunk } from './read-chunk';
import type { FrameType } from './sse-decoder';

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
  | 'not JSON';

export interface FrameLabel {
  /** What the frame carries, in the order the engine reads it. */
  tags: FrameTag[];
  /** What the parsed chunk added, in words a learner can read. */
  detail: string;
  /** Length of the `obfuscation` padding field, when the chunk has one. */
  obfuscation: number | null;
}

/** The part of a wire frame a label needs. */
export interface LabelledFrame {
  type: FrameType;
  data: string;
}

const quote = (text: string) => JSON.stringify(text);

/** Labels one frame. Parses a data frame's JSON; every other frame is labelled by its type. */
export function frameLabel(frame: LabelledFrame): FrameLabel {
  const plain = (tag: FrameTag, detail: string): FrameLabel => ({ tags: [tag], detail, obfuscation: null });
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
  const error = field(chunk, 'error');
  if (error !== undefined && error !== null) {
    const message = field(error, 'message');
    return {
      tags: ['error'],
      detail: `error: ${typeof message === 'string' ? message : ''}`,
      obfuscation,
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
  return { tags, detail: parts.join(', ') || 'no content', obfuscation };
}

const labels = new WeakMap<object, FrameLabel>();

/** `frameLabel`, worked out once per frame object. */
export function labelOf(frame: LabelledFrame): FrameLabel {
  let label = labels.get(frame);
  if (!label) labels.set(frame, (label = frameLabel(frame)));
  return label;
}
