/**
 * A decided answer as an HTTP response: one JSON completion (`stream: false`) or an SSE body played
 * on the pieces' timing (`stream: true`), in the shapes OpenAI and DeepSeek send.
 *
 * Stream order: the role chunk (merged into the first tool call's chunk when the answer starts
 * with a call, as OpenAI does), one chunk per step (a step may hold several tokens), the finish
 * chunk, the usage-only chunk (`choices: []`) when include_usage is set, then [DONE]. Frames are
 * enqueued one per body read unless the answer's batching holds some back to share a read. Reasoning travels DeepSeek-style in
 * `delta.reasoning_content` with `content: null`; tool calls in `delta.tool_calls` as OpenAI's.
 * An abort errors the body at once.
 */
import { simulatedLogprobs, toWire } from './logprobs';
import { sleep } from './pacing';
import { channelText, joinedCalls, type Finish, type Step } from './steps';
import type { Usage } from '../types';

/** Everything one simulated answer needs, decided before the first byte is sent. */
export interface Answer {
  steps: Step[];
  finish: Finish;
  usage: Usage;
  /** The fields every completion object and chunk repeats. */
  envelope: { id: string; created: number; model: string; system_fingerprint: string };
  /** Alternatives per token in `logprobs`; 0 when logprobs were not asked for. */
  top: number;
  includeUsage: boolean;
  /** A reasoning model: its answer chunks say `reasoning_content: null`, its message carries it. */
  thinking: boolean;
  /**
   * 0..1: how often the network holds a frame back and delivers it in one read with the next
   * (a proxy's or TCP's buffering). With any batching, frames produced together (the finish,
   * usage and [DONE] frames) share a read too. 0: one frame a read.
   */
  batching: number;
  random: () => number;
}

const encoder = new TextEncoder();

/** The logprob records of content steps as sent: each step's own, else made from its text. */
function tokenRecords(a: Answer, steps: Step[], position: number) {
  return steps.flatMap((s, i) => {
    const records = (s.channel === 'content' && s.logprobs) || [
      simulatedLogprobs(s.text, position + i, a.top),
    ];
    return records.map((r) => toWire({ ...r, top: r.top.slice(0, a.top) }));
  });
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** `stream: false`: the whole answer in one JSON body, after the time it would have taken. */
export async function completionResponse(a: Answer, signal: AbortSignal | null): Promise<Response> {
  await sleep(
    a.steps.reduce((ms, p) => ms + p.delayMs, 0),
    signal,
  );
  const { id, created, model, system_fingerprint } = a.envelope;
  const calls = joinedCalls(a.steps);
  const content = a.steps.filter((s) => s.channel === 'content');
  return json(200, {
    id,
    object: 'chat.completion',
    created,
    model,
    system_fingerprint,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: calls.length ? null : channelText(a.steps, 'content'),
          ...(a.thinking ? { reasoning_content: channelText(a.steps, 'reasoning') } : {}),
          ...(calls.length ? { tool_calls: calls } : {}),
          refusal: null,
        },
        logprobs: a.top ? { content: tokenRecords(a, content, 0), refusal: null } : null,
        finish_reason: a.finish,
      },
    ],
    usage: a.usage,
  });
}

/** One SSE `data:` frame of a chunk carrying `choices` (and `extra`, e.g. the usage). */
function chunkFrame(a: Answer, choices: unknown[], extra: Record<string, unknown> = {}): Uint8Array {
  const { id, created, model, system_fingerprint } = a.envelope;
  return encoder.encode(
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint,
      choices,
      ...(a.includeUsage ? { usage: null } : {}),
      ...extra,
    })}\n\n`,
  );
}

function deltaOf(a: Answer, step: Step): Record<string, unknown> {
  switch (step.channel) {
    case 'reasoning':
      return { content: null, reasoning_content: step.text };
    case 'content':
      return a.thinking ? { content: step.text, reasoning_content: null } : { content: step.text };
    case 'tool':
      return {
        tool_calls: [
          step.head
            ? {
                index: step.call,
                id: step.head.id,
                type: 'function',
                function: { name: step.head.name, arguments: '' },
              }
            : { index: step.call, function: { arguments: step.text } },
        ],
      };
  }
}

function joined(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function play(a: Answer, signal: AbortSignal | null, send: (bytes: Uint8Array) => void) {
  // Frames the network holds back; they go out in one read with the next frame released.
  let held: Uint8Array[] = [];
  const queue = (bytes: Uint8Array, hold: boolean) => {
    held.push(bytes);
    if (hold) return;
    send(joined(held));
    held = [];
  };
  const holds = () => a.batching > 0 && a.random() < a.batching;
  const choice = (delta: object, logprobs: unknown = null, finish: string | null = null) => [
    { index: 0, delta, logprobs, finish_reason: finish },
  ];
  const role = { role: 'assistant', content: a.thinking ? null : '', refusal: null };
  const mergeRole = a.steps[0]?.channel === 'tool';
  if (!mergeRole) queue(chunkFrame(a, choice(role)), holds());
  let position = 0;
  for (const [i, step] of a.steps.entries()) {
    await sleep(step.delayMs, signal);
    const delta = deltaOf(a, step);
    let logprobs = null;
    if (a.top && step.channel === 'content') {
      const content = tokenRecords(a, [step], position);
      position += content.length;
      logprobs = { content, refusal: null };
    }
    queue(
      chunkFrame(a, choice(i === 0 && mergeRole ? { ...role, content: null, ...delta } : delta, logprobs)),
      holds(),
    );
  }
  queue(chunkFrame(a, choice({}, null, a.finish)), a.batching > 0);
  if (a.includeUsage) queue(chunkFrame(a, [], { usage: a.usage }), a.batching > 0);
  queue(encoder.encode('data: [DONE]\n\n'), false);
}

/** `stream: true`: an SSE body played on the steps' timing; an abort errors the body. */
export function streamResponse(a: Answer, signal: AbortSignal | null): Response {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        await play(a, signal, (bytes) => controller.enqueue(bytes));
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-simulated': 'true' },
  });
}
