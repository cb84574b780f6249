/**
 * Engine vocabulary: what a lab asks for (ChatRequest), where it goes (Connection) and what comes
 * back (StreamEvent). Every event time `t` is in milliseconds since t0, the moment just before the
 * request was handed to fetch (DESIGN.md, metric definitions).
 */
import type { LabError } from './errors';

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
  /** Server-side stop sequences. */
  stop?: string[];
  logprobs?: boolean;
  top_logprobs?: number;
  /** Sent as stream_options.include_usage on streamed requests. */
  include_usage?: boolean;
  /** Sent as stream_options.include_obfuscation where the provider takes it. */
  include_obfuscation?: boolean;
}

export interface Connection {
  baseURL: string;
  apiKey: string;
  /** The fetch handed to the SDK: the browser's, or the offline simulator. */
  fetch: typeof fetch;
  maxRetries: number;
  /** No response bytes for this long while streaming is a stall. */
  stallMs: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface TopLogprob {
  token: string;
  logprob: number;
}

export interface TokenLogprob extends TopLogprob {
  top: TopLogprob[];
}

export type Outcome = 'complete' | 'aborted' | 'error';

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
  | { kind: 'finish'; t: number; sdkChunk: number; reason: string }
  | { kind: 'usage'; t: number; sdkChunk: number; usage: Usage }
  | { kind: 'error'; t: number; error: LabError }
  | { kind: 'end'; t: number; outcome: Outcome };

export interface Completion {
  /** Time from t0 to the whole body being read. */
  t: number;
  text: string;
  usage: Usage | null;
  finishReason: string | null;
  logprobs: TokenLogprob[];
}
