/**
 * The offline provider: a `fetch` implementation that answers like an OpenAI-compatible server, so
 * the SDK parses simulated runs exactly as it parses real ones.
 *
 * Routes: POST …/chat/completions and POST …/responses (stream true or false, one decided answer in
 * two encodings: respond.ts and respond-responses.ts, played by playback.ts on one timing model),
 * GET …/responses/{id} (the stored Response object; with stream=true&starting_after=N, a background
 * response's events after N and then the live ones, background.ts), POST …/responses/{id}/cancel
 * and GET …/models. A Responses body is read as the chat body it amounts to (request-body.ts).
 * Answers are text (the
 * reply to the whole conversation, chat.ts; sampled token by token when `temperature` is set,
 * seeded by `seed`, sampling.ts), or a JSON object for `response_format: json_schema`, or streamed
 * tool calls when `tools` are given (unless tool_choice is 'none'). The timing, read per request,
 * spaces the tokens, packs some chunks with several tokens and lets the network batch frames into
 * one read. `sim-thinking` reasons first (reasoning_content, as long as
 * reasoning_effort asks) and, like OpenAI's reasoning models, rejects `max_tokens` and any
 * temperature but 1 with a 400. Honours max_completion_tokens / max_tokens over everything
 * generated (finish_reason "length"), stop sequences in the answer text (finish_reason "stop", the
 * sequence itself not sent) and the AbortSignal (production stops at once and the body errors;
 * a background response goes on). `fault` makes an answer fail half-way, on either API.
 */
import { loadTokenizer, type Tokenizer } from '../tokenizer';
import type { ChatMessage, ToolDefinition } from '../types';
import { keep, StoredResponse, storedResponse } from './background';
import { replyTo } from './chat';
import { SIMULATOR_MODELS, THINKING_MODEL, type SimTiming, type SimulatorOptions } from './options';
import { abortError, jittered, pack } from './pacing';
import { eventStream, json, serverError, type Answer } from './playback';
import { factsOf } from './prompt-facts';
import { reasoningText, thoughtsFor } from './reasoning';
import { chatBodyOf, echoOf, type Body, type ResponsesBody } from './request-body';
import { completionResponse, streamResponse } from './respond';
import { newId, responsesEncoder } from './respond-responses';
import { hash, sampleSteps, seededRandom, withLogprobs } from './sampling';
import { callSteps, limit, textSteps, type Piece, type Step } from './steps';
import { schemaThoughts, structuredAnswer } from './structured';
import { planCalls, toolThoughts } from './tools';

export type { Piece, Step } from './steps';

export {
  DEFAULT_TIMING,
  SIMULATOR_MODELS,
  THINKING_MODEL,
  type SimTiming,
  type SimulatorOptions,
} from './options';

type Route = { kind: 'chat' } | { kind: 'responses' } | { kind: 'stored'; id: string; cancel: boolean };

/** Which route a request takes; the model list and the 404 for anything else are answered here. */
function routeOf(method: string, url: URL): Route | Response {
  const path = url.pathname;
  if (method === 'GET' && path.endsWith('/models')) {
    return json(200, {
      object: 'list',
      data: SIMULATOR_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'simulator' })),
    });
  }
  if (method === 'POST' && path.endsWith('/chat/completions')) return { kind: 'chat' };
  if (method === 'POST' && path.endsWith('/responses')) return { kind: 'responses' };
  const resource = /\/responses\/([^/]+)(\/cancel)?$/.exec(path);
  if (resource && method === (resource[2] ? 'POST' : 'GET')) {
    return { kind: 'stored', id: decodeURIComponent(resource[1]!), cancel: Boolean(resource[2]) };
  }
  return invalid(404, `The simulator has no ${method} ${path}.`, null, null);
}

function invalid(status: number, message: string, param: string | null, code: string | null): Response {
  return json(status, { error: { message, type: 'invalid_request_error', param, code } });
}

/** OpenAI's 400s for parameters a reasoning model does not take; null when the body is fine. */
function rejected(body: Body): Response | null {
  if (body.model !== THINKING_MODEL) return null;
  if (body.max_tokens !== undefined && body.max_tokens !== null) {
    return invalid(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    );
  }
  if (body.temperature !== undefined && body.temperature !== null && body.temperature !== 1) {
    return invalid(
      400,
      `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
      'temperature',
      'unsupported_value',
    );
  }
  return null;
}

function promptTokens(tokenizer: Tokenizer, messages: ChatMessage[]): number {
  // Chat formatting adds about three tokens a message and three to prime the reply.
  return messages.reduce((n, m) => n + tokenizer.count(m.content) + 3, 3);
}

/**
 * The request's randomness: seeded by `seed` (with the request itself), so the same seed and
 * request give the same stream; without a seed, different every time, as a provider's is.
 */
function randomFor(body: Body, stream: string): () => number {
  if (typeof body.seed !== 'number') return Math.random;
  return seededRandom(
    hash(`${stream}|${body.seed}|${body.temperature}|${JSON.stringify(body.messages ?? [])}`),
  );
}

/**
 * The generated steps, untimed: reasoning (thinking model only), then calls, an object or text.
 * A text answer is sampled token by token when the request sets a temperature.
 */
function generate(tokenizer: Tokenizer, body: Body, thinking: boolean): Step[] {
  const messages = body.messages ?? [];
  const prompt = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const facts = factsOf(prompt);
  const tools: ToolDefinition[] = body.tools ?? [];
  const calls = tools.length
    ? planCalls(tools, facts, body.tool_choice, body.parallel_tool_calls !== false)
    : [];
  const format = body.response_format?.type === 'json_schema' ? body.response_format.json_schema : null;
  let thoughts: string[];
  let answer: Step[];
  if (calls.length) {
    thoughts = toolThoughts(tools, facts, calls);
    answer = callSteps(tokenizer, calls);
  } else if (format?.schema) {
    thoughts = schemaThoughts(format.schema, format.name, facts);
    answer = textSteps(tokenizer, structuredAnswer(format.schema, facts), 'content');
  } else {
    thoughts = thoughtsFor(prompt);
    answer = textSteps(tokenizer, replyTo(messages), 'content');
    if (typeof body.temperature === 'number') {
      const listed = Math.max(5, body.logprobs ? (body.top_logprobs ?? 0) : 0);
      answer = sampleSteps(answer, body.temperature, listed, randomFor(body, 'sample'));
    }
  }
  if (!thinking) return answer;
  return [...textSteps(tokenizer, reasoningText(thoughts, body.reasoning_effort), 'reasoning'), ...answer];
}

/**
 * Each token's delay (the time to first token before the first, the token rate after), then
 * chunks: some pack several tokens, as the timing's `packing` asks.
 */
function timed(steps: Step[], timing: SimTiming, random: () => number): Step[] {
  const spaced = steps.map((s, i) => ({
    ...s,
    delayMs: i === 0 ? jittered(timing.ttftMs, timing.jitter * 0.5) : jittered(timing.tokenMs, timing.jitter),
  }));
  return pack(spaced, timing.packing ?? 0, random);
}

/** Decides the whole answer to a request body: its steps, how it ends, its usage. */
async function answer(
  body: Body,
  script: (Piece | Step)[] | null,
  options: SimulatorOptions,
): Promise<Answer> {
  const messages = body.messages ?? [];
  const tokenizer = await loadTokenizer();
  const timing = options.timing();
  const source: Step[] = script
    ? script.map((p): Step => ('channel' in p ? p : { ...p, channel: 'content' }))
    : generate(tokenizer, body, body.model === THINKING_MODEL);
  // A replayed run reasons on the wire the way it was recorded: if it had reasoning.
  const thinking = script ? source.some((s) => s.channel === 'reasoning') : body.model === THINKING_MODEL;
  const stops = body.stop === undefined ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
  const limited = limit(source, body.max_completion_tokens ?? body.max_tokens, stops);
  const finish = limited.finish;
  // A replay keeps its recorded chunks and timing; a generated answer is timed and packed per token.
  const steps = script ? limited.steps : timed(withLogprobs(limited.steps), timing, randomFor(body, 'pace'));
  const prompt = promptTokens(tokenizer, messages);
  const completion = steps.reduce((n, p) => n + p.tokens, 0);
  const reasoning = steps.reduce((n, p) => n + (p.channel === 'reasoning' ? p.tokens : 0), 0);
  return {
    steps,
    finish,
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      ...(thinking
        ? {
            completion_tokens_details: { reasoning_tokens: reasoning },
            prompt_tokens_details: { cached_tokens: 0 },
          }
        : {}),
    },
    model: body.model ?? 'gpt-4o-mini',
    created: Math.floor(Date.now() / 1000),
    top: body.logprobs ? Math.max(1, Math.min(20, body.top_logprobs ?? 1)) : 0,
    thinking,
    // A replay's chunks keep the reads they were recorded with: none held back to share one.
    batching: script ? 0 : (timing.batching ?? 0),
    random: randomFor(body, 'network'),
    failAt: options.fault?.() === 'error' ? Math.floor(steps.length / 2) : null,
  };
}

/** `POST …/responses`: the same answer in the Responses encoding, stored by id. */
async function respond(
  body: ResponsesBody,
  script: (Piece | Step)[] | null,
  options: SimulatorOptions,
  signal: AbortSignal | null,
): Promise<Response> {
  const chat = chatBodyOf(body);
  const refusal = script ? null : rejected(chat);
  if (refusal) return refusal;
  const a = await answer(chat, script, options);
  const id = newId('resp');
  const background = body.background === true;
  const encoder = responsesEncoder(a, {
    id,
    background,
    summary: Boolean(body.reasoning?.summary) && a.thinking,
    echo: echoOf(body),
  });
  // What a background request without a stream answers: the response as created, queued.
  const created = encoder.snapshot();
  const response = new StoredResponse(id, a, encoder, background, signal);
  keep(response);
  if (body.stream) return eventStream(response.body(-1, signal));
  if (background) return json(200, created);
  await response.done;
  if (signal?.aborted) throw abortError();
  if (a.failAt !== null) return json(500, serverError());
  return json(200, response.snapshot());
}

/** `GET …/responses/{id}` (with `stream=true`: its events after `starting_after`) and `POST …/cancel`. */
function storedRoute(url: URL, id: string, cancel: boolean, signal: AbortSignal | null): Response {
  const response = storedResponse(id);
  if (!response) return invalid(404, `Response with id '${id}' not found.`, null, null);
  if (cancel) {
    if (!response.background)
      return invalid(400, 'Only responses created with background=true can be cancelled.', null, null);
    response.cancel();
    return json(200, response.snapshot());
  }
  if (url.searchParams.get('stream') !== 'true') return json(200, response.snapshot());
  if (!response.background) {
    return invalid(
      400,
      'This response cannot be streamed because it was not created with background=true.',
      'stream',
      null,
    );
  }
  const after = Number(url.searchParams.get('starting_after') ?? -1);
  return eventStream(response.body(Number.isInteger(after) ? after : -1, signal));
}

/** Creates the simulator's fetch. */
export function createSimulator(options: SimulatorOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const signal = init?.signal ?? null;
    if (signal?.aborted) throw abortError();
    const route = routeOf(method, url);
    if (route instanceof Response) return route;
    if (route.kind === 'stored') return storedRoute(url, route.id, route.cancel, signal);
    const body = JSON.parse(String(init?.body ?? '{}')) as Body & ResponsesBody;
    // A replay reproduces recorded chunks: it plays whatever was recorded, under any parameters.
    const script = options.script?.() ?? null;
    if (route.kind === 'responses') return respond(body, script, options, signal);
    const refusal = script ? null : rejected(body);
    if (refusal) return refusal;
    const a = await answer(body, script, options);
    const shape = { includeUsage: body.stream_options?.include_usage === true };
    return body.stream ? streamResponse(a, shape, signal) : completionResponse(a, signal);
  };
}
