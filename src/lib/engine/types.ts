/**
 * Engine vocabulary: what a lab asks for (ChatRequest), where it goes (Connection) and what comes
 * back (StreamEvent). Every event time `t` is in milliseconds since t0, the moment just before the
 * request was handed to fetch (DESIGN.md, metric definitions).
 */
import type { LabError } from './errors';

export type Role = 'system' | 'user' | 'assistant';

/**
 * The two wire formats a request can go by: Chat Completions (`POST /chat/completions`, one chunk
 * object per frame) or Responses (`POST /responses`, typed events with a `sequence_number`). Both
 * are read into the same StreamEvents, so views, metrics and exports do not care which ran.
 */
export type Api = 'chat' | 'responses';

/**
 * Where a dropped Responses stream can be picked up again: the response's id and the last
 * `sequence_number` received (resume sends `starting_after = after`). Only a background response
 * (`background: true`) can be resumed.
 */
export interface ResumePoint {
  id: string;
  after: number;
}

export interface ChatMessage {
  role: Role;
  content: string;
}

/** A tool the model may call: a function with a JSON Schema for its arguments. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** Structured output: the answer must be JSON matching `schema`. */
export interface JsonSchemaFormat {
  type: 'json_schema';
  json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean };
}

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** The output-token limit under its classic name (Custom providers, by default). */
  max_tokens?: number;
  /** The same limit under the name every current OpenAI model accepts (reasoning models only it). */
  max_completion_tokens?: number;
  /** Reasoning models: how much to think before answering. */
  reasoning_effort?: ReasoningEffort;
  tools?: ToolDefinition[];
  response_format?: JsonSchemaFormat;
  temperature?: number;
  /** Asks for repeatable sampling: the same seed and request should give the same tokens. */
  seed?: number;
  /** Server-side stop sequences. */
  stop?: string[];
  logprobs?: boolean;
  top_logprobs?: number;
  /** Sent as stream_options.include_usage on streamed requests. */
  include_usage?: boolean;
  /** Sent as stream_options.include_obfuscation where the provider takes it. */
  include_obfuscation?: boolean;
  /**
   * Responses API only: run the response in the background, so a dropped stream can be resumed
   * (`ResumePoint`). Chat Completions has no such field and never sends it.
   */
  background?: boolean;
}

export interface Connection {
  baseURL: string;
  apiKey: string;
  /** The fetch handed to the SDK: the browser's, or the offline simulator. */
  fetch: typeof fetch;
  maxRetries: number;
  /** No response bytes for this long while streaming is a stall. */
  stallMs: number;
  /** The wire format requests over this connection use; missing means 'chat'. */
  api?: Api;
}

export interface Usage {
  prompt_tokens: number;
  /** Every generated token: reasoning and answer. */
  completion_tokens: number;
  total_tokens: number;
  /** Present when the provider reports it: how many of completion_tokens were reasoning. */
  completion_tokens_details?: { reasoning_tokens: number };
  /** Present when the provider reports it: how many prompt tokens came from its cache. */
  prompt_tokens_details?: { cached_tokens: number };
}

export interface TopLogprob {
  token: string;
  logprob: number;
}

export interface TokenLogprob extends TopLogprob {
  top: TopLogprob[];
}

export type Outcome = 'complete' | 'aborted' | 'error';

/** Where a run is, as the page shows it: not started, streaming, or ended by one of the outcomes. */
export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/**
 * Events read from one SDK chunk carry `sdkChunk`: the 0-based index of that chunk among all the
 * stream's chunks (role-only, finish and usage chunks included), which is its place in
 * `WireLog.chunkFrames`. Content events also carry `contentChunk`: the 1-based number of the
 * content event, what the learner calls "chunk n" (DESIGN.md: a content event is a chunk with
 * non-empty `delta.content`).
 */
export type StreamEvent =
  | { kind: 'open'; t: number; status: number; attempts: number }
  | { kind: 'content'; t: number; sdkChunk: number; contentChunk: number; text: string }
  | { kind: 'logprobs'; t: number; sdkChunk: number; tokens: TokenLogprob[] }
  | { kind: 'refusal'; t: number; sdkChunk: number; text: string }
  /**
   * Reasoning text, whichever field the provider put it in (`field`: reasoning_content as
   * DeepSeek, reasoning as OpenRouter/vLLM/Ollama, reasoning_details[].text). Never a content event.
   */
  | { kind: 'reasoning'; t: number; sdkChunk: number; text: string; field: string }
  /**
   * One piece of a streamed tool call. `index` says which call (parallel calls may interleave); `id`,
   * `name` and `type` come with the call's first piece, `args` is the next piece of its argument
   * text (possibly empty). `type` is 'custom' for the custom tool shape (free-form `input`).
   */
  | {
      kind: 'tool_call';
      t: number;
      sdkChunk: number;
      index: number;
      id?: string;
      name?: string;
      type: 'function' | 'custom';
      args: string;
    }
  /** A chunk carried a choice other than choice 0 (n > 1): said once per choice index. */
  | { kind: 'other_choice'; t: number; sdkChunk: number; index: number }
  | { kind: 'finish'; t: number; sdkChunk: number; reason: string }
  | { kind: 'usage'; t: number; sdkChunk: number; usage: Usage }
  /** Responses API: the response's id and status, from `response.created` (and later status events). */
  | { kind: 'response'; t: number; sdkChunk: number; id: string; status: string }
  /**
   * Responses API: an event's `sequence_number` was not the one after the last seen: a gap
   * (`got` > `expected`: events were lost) or reordering / a repeat (`got` < `expected`).
   */
  | { kind: 'sequence'; t: number; sdkChunk: number; expected: number; got: number }
  | { kind: 'error'; t: number; error: LabError }
  /**
   * The last event. `resume` is set when a background Responses stream ended early (a dropped
   * connection) after its id and at least one sequence number were seen: it can be picked up there.
   */
  | { kind: 'end'; t: number; outcome: Outcome; resume?: ResumePoint };

export interface Completion {
  /** Time from t0 to the whole body being read. */
  t: number;
  text: string;
  usage: Usage | null;
  finishReason: string | null;
  logprobs: TokenLogprob[];
}
