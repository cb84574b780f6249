/**
 * A decided answer in the Responses API's encoding: typed events, each framed as
 * `event: <type>` + `data: {"type": <type>, …, "sequence_number": n}` with n counting from 0 and no
 * [DONE], and the Response object those events build (what `GET /responses/{id}` returns).
 *
 * Event order: response.created (status "queued" for a background response, then response.queued)
 * → response.in_progress → per output item: output_item.added, its part (content_part.added for a
 * message, reasoning_summary_part.added for a shown summary), its deltas, its .done events and
 * output_item.done → response.completed, or response.incomplete {incomplete_details.reason
 * "max_output_tokens"} when the limit cut it (the cut item says status "incomplete"). A fault sends
 * an `error` event and response.failed instead of the rest. Items: reasoning (`rs_`), a message
 * (`msg_`) or function calls (`fc_`, each with its `call_…` call_id), in the order generated.
 *
 * Reasoning is shown only when the request set `reasoning.summary`: then each reasoning piece is a
 * response.reasoning_summary_text.delta. Without it the reasoning item is added and done with an
 * empty summary, the reasoning still takes its time and counts in usage, and none of its text is
 * sent, as OpenAI does. Usage comes in response.completed / response.incomplete, in Responses'
 * names (input_tokens, output_tokens, output_tokens_details.reasoning_tokens).
 */
import { stepRecords } from './logprobs';
import { FAULT_MESSAGE, type Answer, type Encoder } from './playback';
import type { Step } from './steps';
import type { Usage } from '../types';

const encoder = new TextEncoder();

type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled';

/** What a response is besides its answer: its id, how it runs, and the request fields it echoes. */
interface ResponseShape {
  id: string;
  background: boolean;
  /** Stream the reasoning as a summary (the request set `reasoning.summary`). */
  summary: boolean;
  /** Request fields the Response object repeats: instructions, tools, reasoning, text, … */
  echo: Record<string, unknown>;
}

type WireLogprob = ReturnType<typeof stepRecords>[number];
type OutputText = { type: 'output_text'; text: string; annotations: never[]; logprobs?: WireLogprob[] };
type Item =
  | { id: string; type: 'reasoning'; summary: { type: 'summary_text'; text: string }[] }
  | {
      id: string;
      type: 'message';
      status: 'in_progress' | 'completed' | 'incomplete';
      role: 'assistant';
      content: OutputText[];
    }
  | {
      id: string;
      type: 'function_call';
      status: 'in_progress' | 'completed' | 'incomplete';
      call_id: string;
      name: string;
      arguments: string;
    };

export interface ResponsesEncoder extends Encoder {
  /** The Response object as it stands. */
  snapshot(): Record<string, unknown>;
  /** Marks an unfinished response cancelled (a background cancel; a dropped plain stream). */
  cancel(): void;
}

/** A new id with OpenAI's prefix: resp, msg, rs, fc. */
export function newId(prefix: string): string {
  const hex = Array.from({ length: 24 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${prefix}_sim${hex}`;
}

/** Usage in the Responses API's names; details always present, as OpenAI sends them. */
function responsesUsage(u: Usage) {
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.total_tokens,
  };
}

export function responsesEncoder(a: Answer, shape: ResponseShape): ResponsesEncoder {
  let sequence = 0;
  let status: ResponseStatus = shape.background ? 'queued' : 'in_progress';
  let usage: ReturnType<typeof responsesUsage> | null = null;
  let error: { code: string; message: string } | null = null;
  let incomplete: { reason: string } | null = null;
  const output: Item[] = [];
  /** The output index of the item still being generated, null when none is. */
  let open: number | null = null;
  /** Logprob position: the answer tokens sent so far. */
  let position = 0;

  const frame = (type: string, fields: Record<string, unknown>) =>
    encoder.encode(
      `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`,
    );
  const snapshot = () => ({
    id: shape.id,
    object: 'response',
    created_at: a.created,
    status,
    background: shape.background,
    error,
    incomplete_details: incomplete,
    model: a.model,
    output: structuredClone(output),
    ...shape.echo,
    usage,
  });
  const withResponse = (type: string) => frame(type, { response: snapshot() });

  function add(item: Item): Uint8Array[] {
    open = output.push(item) - 1;
    const frames = [frame('response.output_item.added', { output_index: open, item: structuredClone(item) })];
    const at = { item_id: item.id, output_index: open };
    if (item.type === 'message') {
      const part = { type: 'output_text', text: '', annotations: [], ...(a.top ? { logprobs: [] } : {}) };
      item.content.push(structuredClone(part) as OutputText);
      frames.push(frame('response.content_part.added', { ...at, content_index: 0, part }));
    }
    if (item.type === 'reasoning' && shape.summary) {
      item.summary.push({ type: 'summary_text', text: '' });
      const part = { type: 'summary_text', text: '' };
      frames.push(frame('response.reasoning_summary_part.added', { ...at, summary_index: 0, part }));
    }
    return frames;
  }

  /** The open item's .done events; `cut` when the token limit ended it. */
  function finish(cut: boolean): Uint8Array[] {
    if (open === null) return [];
    const item = output[open]!;
    const at = { item_id: item.id, output_index: open };
    const frames: Uint8Array[] = [];
    if (item.type === 'reasoning' && item.summary[0]) {
      const part = item.summary[0];
      frames.push(
        frame('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: part.text }),
        frame('response.reasoning_summary_part.done', { ...at, summary_index: 0, part }),
      );
    }
    if (item.type === 'message') {
      item.status = cut ? 'incomplete' : 'completed';
      const part = item.content[0]!;
      frames.push(
        frame('response.output_text.done', {
          ...at,
          content_index: 0,
          text: part.text,
          logprobs: part.logprobs ?? [],
        }),
        frame('response.content_part.done', { ...at, content_index: 0, part }),
      );
    }
    if (item.type === 'function_call') {
      item.status = cut ? 'incomplete' : 'completed';
      frames.push(frame('response.function_call_arguments.done', { ...at, arguments: item.arguments }));
    }
    frames.push(frame('response.output_item.done', { output_index: open, item: structuredClone(item) }));
    open = null;
    return frames;
  }

  /** The open item, or a new one of `type` (the open one finished first) when it is not that. */
  function itemFor(type: 'reasoning' | 'message', frames: Uint8Array[]): Item {
    const current = open === null ? undefined : output[open];
    if (current?.type === type) return current;
    const item: Item =
      type === 'reasoning'
        ? { id: newId('rs'), type, summary: [] }
        : { id: newId('msg'), type, status: 'in_progress', role: 'assistant', content: [] };
    frames.push(...finish(false), ...add(item));
    return item;
  }

  function step(s: Step): Uint8Array[] {
    const frames: Uint8Array[] = [];
    if (s.channel === 'reasoning') {
      const item = itemFor('reasoning', frames);
      if (item.type !== 'reasoning' || !item.summary[0]) return frames;
      item.summary[0].text += s.text;
      frames.push(
        frame('response.reasoning_summary_text.delta', {
          item_id: item.id,
          output_index: open,
          summary_index: 0,
          delta: s.text,
        }),
      );
    } else if (s.channel === 'content') {
      const item = itemFor('message', frames);
      if (item.type !== 'message') return frames;
      const part = item.content[0]!;
      part.text += s.text;
      const logprobs = a.top ? stepRecords([s], position, a.top) : [];
      position += logprobs.length;
      part.logprobs?.push(...logprobs);
      frames.push(
        frame('response.output_text.delta', {
          item_id: item.id,
          output_index: open,
          content_index: 0,
          delta: s.text,
          logprobs,
        }),
      );
    } else if (s.channel === 'tool' && s.head) {
      frames.push(
        ...finish(false),
        ...add({
          id: newId('fc'),
          type: 'function_call',
          status: 'in_progress',
          call_id: s.head.id,
          name: s.head.name,
          arguments: '',
        }),
      );
    } else if (s.channel === 'tool') {
      const item = open === null ? undefined : output[open];
      if (item?.type !== 'function_call') return frames;
      item.arguments += s.text;
      frames.push(
        frame('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: open,
          delta: s.text,
        }),
      );
    }
    return frames;
  }

  return {
    opening() {
      const frames = [withResponse('response.created')];
      if (shape.background) frames.push(withResponse('response.queued'));
      status = 'in_progress';
      frames.push(withResponse('response.in_progress'));
      return frames;
    },
    step,
    closing() {
      const cut = a.finish === 'length';
      const frames = finish(cut);
      status = cut ? 'incomplete' : 'completed';
      incomplete = cut ? { reason: 'max_output_tokens' } : null;
      usage = responsesUsage(a.usage);
      frames.push(withResponse(cut ? 'response.incomplete' : 'response.completed'));
      return frames;
    },
    failure() {
      status = 'failed';
      error = { code: 'server_error', message: FAULT_MESSAGE };
      return [
        frame('error', { code: 'server_error', message: FAULT_MESSAGE, param: null }),
        withResponse('response.failed'),
      ];
    },
    snapshot,
    cancel() {
      if (status === 'queued' || status === 'in_progress') status = 'cancelled';
    },
  };
}
