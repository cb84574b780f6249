/**
 * A decided answer in Chat Completions' encoding: one JSON completion (`stream: false`) or an SSE
 * body played on the pieces' timing (`stream: true`, through playback.ts), in the shapes OpenAI and
 * DeepSeek send.
 *
 * Stream order: the role chunk (merged into the first tool call's chunk when the answer starts
 * with a call, as OpenAI does), one chunk per step (a step may hold several tokens), the finish
 * chunk, the usage-only chunk (`choices: []`) when include_usage is set, then [DONE]. Reasoning
 * travels DeepSeek-style in `delta.reasoning_content` with `content: null`; tool calls in
 * `delta.tool_calls` as OpenAI's. A fault sends `data: {"error": …}` in place of the rest (as
 * OpenAI and OpenRouter do mid-stream) and closes the body; without a stream it is a 500. An abort
 * errors the body at once.
 */
import { stepRecords } from './logprobs';
import { sleep } from './pacing';
import {
  durationMs,
  joined,
  eventStream,
  json,
  play,
  serverError,
  type Answer,
  type Encoder,
} from './playback';
import { channelText, joinedCalls, type Step } from './steps';

const encoder = new TextEncoder();

/** How this request wants its chunks: with a usage-only chunk at the end, or not. */
export interface ChatShape {
  includeUsage: boolean;
}

/** The fields every completion object and chunk repeats. */
function envelopeOf(a: Answer) {
  return {
    id: `chatcmpl-sim${Math.random().toString(36).slice(2, 12)}`,
    created: a.created,
    model: a.model,
    system_fingerprint: 'fp_simulator',
  };
}

/** `stream: false`: the whole answer in one JSON body, after the time it would have taken. */
export async function completionResponse(a: Answer, signal: AbortSignal | null): Promise<Response> {
  await sleep(durationMs(a), signal);
  if (a.failAt !== null) return json(500, serverError());
  const calls = joinedCalls(a.steps);
  const content = a.steps.filter((s) => s.channel === 'content');
  return json(200, {
    ...envelopeOf(a),
    object: 'chat.completion',
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
        logprobs: a.top ? { content: stepRecords(content, 0, a.top), refusal: null } : null,
        finish_reason: a.finish,
      },
    ],
    usage: a.usage,
  });
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

/** The chunk frames of one answer. */
function chatEncoder(a: Answer, shape: ChatShape): Encoder {
  const envelope = envelopeOf(a);
  const data = (body: unknown) => encoder.encode(`data: ${JSON.stringify(body)}\n\n`);
  /** One chunk carrying `choices` (and `extra`, e.g. the usage). */
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    data({
      ...envelope,
      object: 'chat.completion.chunk',
      choices,
      ...(shape.includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const choice = (delta: object, logprobs: unknown = null, finish: string | null = null) => [
    { index: 0, delta, logprobs, finish_reason: finish },
  ];
  const role = { role: 'assistant', content: a.thinking ? null : '', refusal: null };
  const mergeRole = a.steps[0]?.channel === 'tool';
  let position = 0;
  return {
    opening: () => (mergeRole ? [] : [chunk(choice(role))]),
    step(step, i) {
      const delta = deltaOf(a, step);
      let logprobs = null;
      if (a.top && step.channel === 'content') {
        const content = stepRecords([step], position, a.top);
        position += content.length;
        logprobs = { content, refusal: null };
      }
      return [chunk(choice(i === 0 && mergeRole ? { ...role, content: null, ...delta } : delta, logprobs))];
    },
    closing: () => [
      chunk(choice({}, null, a.finish)),
      ...(shape.includeUsage ? [chunk([], { usage: a.usage })] : []),
      encoder.encode('data: [DONE]\n\n'),
    ],
    failure: () => [data(serverError())],
  };
}

/** `stream: true`: an SSE body played on the steps' timing; an abort errors the body. */
export function streamResponse(a: Answer, shape: ChatShape, signal: AbortSignal | null): Response {
  const chat = chatEncoder(a, shape);
  return eventStream(
    new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          await play(a, chat, signal, (frames) => controller.enqueue(joined(frames)));
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
    }),
  );
}
