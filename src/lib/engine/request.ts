/**
 * What a request sends, decided in one place.
 *
 * A lab's form becomes a ChatRequest (`chatRequest`), and a ChatRequest becomes the exact params
 * object handed to the SDK: `requestParams` for Chat Completions, `responseParams` for the
 * Responses API. streamChat / streamResponse and their non-streamed twins send that object, the
 * show-code snippets print it, and a run file records it (`requestRecord`), so what the learner
 * sees can never drift from what went over the wire.
 *
 * Which fields fit the endpoint and model (the token limit's name, what to leave out) is the
 * Dialect's decision (engine/dialect.ts); `chatRequest` applies it, so the ChatRequest already
 * holds exactly what will be sent.
 *
 * Invariants: a field is in the params only when it was set (some providers reject unknown
 * ones); messages carry only role and content; nothing here can hold the key.
 */
import type OpenAI from 'openai';
import { publicURL } from './endpoint';
import type { Dialect, OmittableParam } from './dialect';
import { isReasoningModel } from './models';
import type { Api, ChatMessage, ChatRequest, ReasoningEffort } from './types';

/** The request fields every lab's form shows; null (or empty) leaves the choice to the API. */
export interface RequestParams {
  maxTokens: number | null;
  temperature: number | null;
  /** Sent only where the dialect says reasoning_effort applies (reasoning models). */
  reasoningEffort: ReasoningEffort | null;
}

/** A form left at the API's defaults. */
export const DEFAULT_PARAMS: RequestParams = { maxTokens: null, temperature: null, reasoningEffort: null };

type Params = OpenAI.Chat.ChatCompletionCreateParams;
type StreamingParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type NonStreamingParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/** The ChatRequest fields each omittable wire parameter comes from. */
const FIELDS_OF: Record<OmittableParam, (keyof ChatRequest)[]> = {
  temperature: ['temperature'],
  reasoning_effort: ['reasoning_effort'],
  stop: ['stop'],
  logprobs: ['logprobs', 'top_logprobs'],
  top_logprobs: ['top_logprobs'],
  stream_options: ['include_usage', 'include_obfuscation'],
};

/**
 * A lab's form fields as a request in the endpoint's dialect: the token limit under the name it
 * takes, reasoning_effort only where it applies, and nothing the dialect leaves out. The lab's
 * own fields in `extra` (stop, logprobs, ...) obey the dialect too.
 */
export function chatRequest(
  model: string,
  messages: ChatMessage[],
  params: RequestParams,
  dialect: Dialect,
  extra: Partial<ChatRequest> = {},
): ChatRequest {
  const { max_tokens, max_completion_tokens, ...rest } = extra;
  const limit = max_completion_tokens ?? max_tokens ?? params.maxTokens;
  const request: ChatRequest = {
    model,
    messages,
    ...(limit ? { [dialect.tokenLimit]: limit } : {}),
    ...(params.temperature !== null && params.temperature !== undefined
      ? { temperature: params.temperature }
      : {}),
    ...(params.reasoningEffort ? { reasoning_effort: params.reasoningEffort } : {}),
    ...rest,
  };
  if (!dialect.reasoningEffort) delete request.reasoning_effort;
  for (const param of dialect.omit) for (const field of FIELDS_OF[param]) delete request[field];
  return request;
}

const copyMessages = (messages: readonly ChatMessage[]): ChatMessage[] =>
  messages.map((m) => ({ role: m.role, content: m.content }));

/** The params object the SDK is given, with only the fields that were set, in a stable order. */
export function requestParams(request: ChatRequest, stream: true): StreamingParams;
export function requestParams(request: ChatRequest, stream: false): NonStreamingParams;
export function requestParams(request: ChatRequest, stream: boolean): Params;
export function requestParams(request: ChatRequest, stream: boolean): Params {
  const options: OpenAI.Chat.ChatCompletionStreamOptions = {};
  if (request.include_usage) options.include_usage = true;
  if (request.include_obfuscation !== undefined) options.include_obfuscation = request.include_obfuscation;
  return {
    model: request.model,
    messages: copyMessages(request.messages),
    ...(request.max_tokens !== undefined ? { max_tokens: request.max_tokens } : {}),
    ...(request.max_completion_tokens !== undefined
      ? { max_completion_tokens: request.max_completion_tokens }
      : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.reasoning_effort ? { reasoning_effort: request.reasoning_effort } : {}),
    ...(request.tools?.length ? { tools: structuredClone(request.tools) } : {}),
    ...(request.response_format ? { response_format: structuredClone(request.response_format) } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(request.logprobs ? { logprobs: true } : {}),
    ...(request.logprobs && request.top_logprobs ? { top_logprobs: request.top_logprobs } : {}),
    stream,
    ...(stream && Object.keys(options).length ? { stream_options: options } : {}),
  };
}

type ResponseParams = OpenAI.Responses.ResponseCreateParams;
type ResponseStreamingParams = OpenAI.Responses.ResponseCreateParamsStreaming;
type ResponseNonStreamingParams = OpenAI.Responses.ResponseCreateParamsNonStreaming;

/**
 * The params object `client.responses.create` is given for a request, with only the fields that
 * were set, in a stable order:
 * - `input`: the messages as `[{ role, content }]`, the system message included as a system
 *   message (not `instructions`), so both APIs see the same conversation;
 * - `max_output_tokens`: max_completion_tokens ?? max_tokens;
 * - `reasoning`: `{ effort?, summary: 'auto' }` for reasoning models (models.ts isReasoningModel),
 *   so their reasoning summary streams; never for other models;
 * - `tools`: each function flattened to `{ type: 'function', name, description?, parameters,
 *   strict: false }` (Chat Completions' default strictness; Responses would default to strict);
 * - `text.format`: the json_schema response_format, flattened the same way;
 * - `temperature`; `include: ['message.output_text.logprobs']` and `top_logprobs` for logprobs;
 * - `background` when asked for; `stream`.
 * Not sent, because the Responses API has no place for them: `stop`, `seed`, and
 * `stream_options` (usage always comes with response.completed).
 */
export function responseParams(request: ChatRequest, stream: true): ResponseStreamingParams;
export function responseParams(request: ChatRequest, stream: false): ResponseNonStreamingParams;
export function responseParams(request: ChatRequest, stream: boolean): ResponseParams;
export function responseParams(request: ChatRequest, stream: boolean): ResponseParams {
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const format = request.response_format?.json_schema;
  return {
    model: request.model,
    input: copyMessages(request.messages),
    ...(limit !== undefined ? { max_output_tokens: limit } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(isReasoningModel(request.model)
      ? {
          reasoning: {
            ...(request.reasoning_effort ? { effort: request.reasoning_effort } : {}),
            summary: 'auto' as const,
          },
        }
      : {}),
    ...(request.tools?.length
      ? {
          tools: request.tools.map(({ function: f }) => ({
            type: 'function' as const,
            name: f.name,
            ...(f.description !== undefined ? { description: f.description } : {}),
            parameters: structuredClone(f.parameters),
            strict: false,
          })),
        }
      : {}),
    ...(format
      ? {
          text: {
            format: {
              type: 'json_schema' as const,
              name: format.name,
              schema: structuredClone(format.schema),
              ...(format.strict !== undefined ? { strict: format.strict } : {}),
            },
          },
        }
      : {}),
    ...(request.logprobs ? { include: ['message.output_text.logprobs' as const] } : {}),
    ...(request.logprobs && request.top_logprobs ? { top_logprobs: request.top_logprobs } : {}),
    ...(request.background ? { background: true } : {}),
    stream,
  };
}

/** A sent request as a run file records it: ChatRequest's fields plus where it went. */
export interface RequestRecord extends Pick<
  ChatRequest,
  | 'model'
  | 'messages'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'temperature'
  | 'seed'
  | 'reasoning_effort'
  | 'tools'
  | 'response_format'
  | 'stop'
  | 'logprobs'
  | 'background'
> {
  baseURL: string;
  stream: boolean;
  top_logprobs?: number;
  include_usage?: boolean;
  /** The wire format it went by, when not Chat Completions (absent means 'chat'). */
  api?: 'responses';
}

/**
 * What `requestParams` (or, for `api` 'responses', `responseParams`) sent, in ChatRequest's
 * names, less anything secret in the base URL, copied field by field. A Responses record leaves
 * out what the Responses API does not send (stop, seed, include_usage).
 */
export function requestRecord(
  request: ChatRequest,
  stream: boolean,
  baseURL: string,
  api: Api = 'chat',
): RequestRecord {
  if (api === 'responses') return responseRecord(request, stream, baseURL);
  const p = requestParams(request, stream);
  return {
    model: p.model,
    baseURL: publicURL(baseURL),
    stream,
    ...(typeof p.max_tokens === 'number' ? { max_tokens: p.max_tokens } : {}),
    ...(typeof p.max_completion_tokens === 'number'
      ? { max_completion_tokens: p.max_completion_tokens }
      : {}),
    ...(typeof p.temperature === 'number' ? { temperature: p.temperature } : {}),
    ...(typeof p.seed === 'number' ? { seed: p.seed } : {}),
    ...(request.reasoning_effort ? { reasoning_effort: request.reasoning_effort } : {}),
    ...(request.tools?.length ? { tools: structuredClone(request.tools) } : {}),
    ...(request.response_format ? { response_format: structuredClone(request.response_format) } : {}),
    ...(Array.isArray(p.stop) ? { stop: [...p.stop] } : {}),
    ...(p.logprobs ? { logprobs: true } : {}),
    ...(typeof p.top_logprobs === 'number' ? { top_logprobs: p.top_logprobs } : {}),
    ...(p.stream_options?.include_usage ? { include_usage: true } : {}),
    messages: copyMessages(request.messages),
  };
}

/** A Responses request as recorded: the token limit under the request's own name. */
function responseRecord(request: ChatRequest, stream: boolean, baseURL: string): RequestRecord {
  const p = responseParams(request, stream);
  const limitName = request.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  return {
    model: p.model ?? request.model,
    baseURL: publicURL(baseURL),
    stream,
    api: 'responses',
    ...(typeof p.max_output_tokens === 'number' ? { [limitName]: p.max_output_tokens } : {}),
    ...(typeof p.temperature === 'number' ? { temperature: p.temperature } : {}),
    ...(p.reasoning?.effort ? { reasoning_effort: request.reasoning_effort } : {}),
    ...(request.tools?.length ? { tools: structuredClone(request.tools) } : {}),
    ...(request.response_format ? { response_format: structuredClone(request.response_format) } : {}),
    ...(p.include?.length ? { logprobs: true } : {}),
    ...(typeof p.top_logprobs === 'number' ? { top_logprobs: p.top_logprobs } : {}),
    ...(p.background ? { background: true } : {}),
    messages: copyMessages(request.messages),
  };
}
