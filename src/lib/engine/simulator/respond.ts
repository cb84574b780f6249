/**
 * A decided answer as an HTTP response: one JSON completion (`stream: false`) or an SSE body played
 * on the pieces' timing (`stream: true`), in the shapes OpenAI and DeepSeek send.
 *
 * Stream order: the role chunk (merged into the first tool call's chunk when the answer starts
 * with a call, as OpenAI does), one chunk per step, the finish chunk, the usage-only chunk
 * (`choices: []`) when include_usage is set, then [DONE]. Reasoning travels DeepSeek-style in
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
}

const encoder = new TextEncoder();

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
        logprobs: a.top
          ? { content: content.map((p, i) => toWire(simulatedLogprobs(p.text, i, a.top))), refusal: null }
          : null,
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

async function play(a: Answer, signal: AbortSignal | null, send: (bytes: Uint8Array) => void) {
  const choice = (delta: object, logprobs: unknown = null, finish: string | null = null) => [
    { index: 0, delta, logprobs, finish_reason: finish },
  ];
  const role = { role: 'assistant', content: a.thinking ? null : '', refusal: null };
  const mergeRole = a.steps[0]?.channel === 'tool';
  if (!mergeRole) send(chunkFrame(a, choice(role)));
  let position = 0;
  for (const [i, step] of a.steps.entries()) {
    await sleep(step.delayMs, signal);
    const delta = deltaOf(a, step);
    const logprobs =
      a.top && step.channel === 'content'
        ? { content: [toWire(simulatedLogprobs(step.text, position++, a.top))], refusal: null }
        : null;
    send(
      chunkFrame(a, choice(i === 0 && mergeRole ? { ...role, content: null, ...delta } : delta, logprobs)),
    );
  }
  send(chunkFrame(a, choice({}, null, a.finish)));
  if (a.includeUsage) send(chunkFrame(a, [], { usage: a.usage }));
  send(encoder.encode('data: [DONE]\n\n'));
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
