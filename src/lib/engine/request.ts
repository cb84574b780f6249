/**
 * What a request sends, decided in one place.
 *
 * A lab's form becomes a ChatRequest (`chatRequest`), and a ChatRequest becomes the exact params
 * object handed to the SDK (`requestParams`). streamChat and completeChat send that object, the
 * show-code snippets print it, and a run file records it (`requestRecord`), so what the learner
 * sees can never drift from what went over the wire.
 *
 * Invariants: a field is in the params only when it was set (some providers reject unknown
 * ones); messages carry only role and content; nothing here can hold the key.
 */
import type OpenAI from 'openai';
import { publicURL } from './endpoint';
import type { ChatMessage, ChatRequest } from './types';

/** The request fields every lab's form shows; null (or empty) leaves the choice to the API. */
export interface RequestParams {
  maxTokens: number | null;
  temperature: number | null;
}

type Params = OpenAI.Chat.ChatCompletionCreateParams;
type StreamingParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type NonStreamingParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/** A lab's form fields as a request; `extra` adds the lab's own fields (stop, logprobs, ...). */
export function chatRequest(
  model: string,
  messages: ChatMessage[],
  params: RequestParams,
  extra: Partial<ChatRequest> = {},
): ChatRequest {
  return {
    model,
    messages,
    ...(params.maxTokens ? { max_tokens: params.maxTokens } : {}),
    ...(params.temperature !== null && params.temperature !== undefined
      ? { temperature: params.temperature }
      : {}),
    ...extra,
  };
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

/** A sent request as a run file records it: ChatRequest's fields plus where it went. */
export interface RequestRecord extends Pick<
  ChatRequest,
  | 'model'
  | 'messages'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'temperature'
  | 'reasoning_effort'
  | 'tools'
  | 'response_format'
  | 'stop'
  | 'logprobs'
> {
  baseURL: string;
  stream: boolean;
  top_logprobs?: number;
  include_usage?: boolean;
}

/** What `requestParams` sent, less anything secret in the base URL, copied field by field. */
export function requestRecord(request: ChatRequest, stream: boolean, baseURL: string): RequestRecord {
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
