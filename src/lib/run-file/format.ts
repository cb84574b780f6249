/**
 * The run file: the exported run format of DESIGN.md (version 1), and building one from a run.
 * Built from plain data; it has no field that could hold the key, and the request is copied field
 * by field so nothing else slips in. Reading a file back is parse.ts; its CSV is csv.ts.
 */
import type { LabError } from '../engine/errors';
import { requestRecord, type RequestRecord } from '../engine/request';
import type { Api, ChatRequest, Usage } from '../engine/types';
import type { Arrival, StreamMetrics } from '../metrics/metrics';
import type { RaceRecord } from './race';

export interface ExportedRun {
  version: 1;
  lab: string;
  /** Epoch ms of t0. */
  startedAt: number;
  /**
   * The request as sent, less anything secret: ChatRequest's fields plus where it went, and
   * `api: 'responses'` when it went by the Responses API (absent: Chat Completions).
   */
  request: RequestRecord | null;
  chunks: { t: number; text: string }[];
  metrics: {
    ttftMs: number | null;
    e2eMs: number | null;
    tpotMs: number | null;
    chunks: number;
    chars: number;
    promptTokens: number | null;
    completionTokens: number | null;
    tokensEstimated: boolean;
    gaps: { mean: number; p50: number; p90: number; p95: number; p99: number; max: number } | null;
  } & Partial<Record<TimingKey | CountKey, number | null>>;
  /** The stream's usage as reported, with completion_tokens_details / prompt_tokens_details. */
  usage: Usage | null;
  finishReason: string | null;
  error: { kind: string; title: string; detail: string } | null;
  text: string;
  /** Reasoning text and its events, kept apart from the answer; only when the model reasoned. */
  reasoning?: { text: string; chunks: { t: number; text: string }[] };
  /** Tool calls, in the order their first piece arrived; only when the model called a tool. */
  toolCalls?: ExportedToolCall[];
  /** Every piece of tool-call arguments as it arrived (`index`: which call). */
  toolChunks?: { t: number; index: number; text: string }[];
  /** Streaming vs non-streaming adds the whole (non-streamed) answer it was compared with. */
  nonStreaming?: { totalMs: number; chars: number; usage: Usage | null; text: string } | null;
  /** Chat adds the conversation the reply belongs to. */
  conversation?: {
    system: string;
    turns: { role: 'user' | 'assistant'; content: string; status?: 'done' | 'interrupted' | 'failed' }[];
  };
  /** Model race adds every lane and, for a benchmark, its samples (race.ts; built by raceFile). */
  race?: RaceRecord;
}

export interface ExportedToolCall {
  index: number;
  id: string;
  name: string;
  type: 'function' | 'custom';
  arguments: string;
}

/**
 * Metrics added for reasoning models and tool calls (additive on version 1: older files lack
 * them; docs/METRICS.md defines each). Times are ms since t0.
 */
export const TIMING_KEYS = [
  'headersMs',
  'firstReasoningMs',
  'firstVisibleMs',
  'reasoningMs',
  'firstGeneratedMs',
  'lastGeneratedMs',
] as const;
export const COUNT_KEYS = [
  'reasoningChunks',
  'toolChunks',
  'reasoningTokens',
  'answerTokens',
  'cachedTokens',
] as const;
type TimingKey = (typeof TIMING_KEYS)[number];
type CountKey = (typeof COUNT_KEYS)[number];

export interface ExportInput {
  lab: string;
  startedAt: number;
  request: ChatRequest | null;
  baseURL: string;
  stream: boolean;
  /** The wire format the run went by (Chat Completions when absent). */
  api?: Api;
  chunks: readonly Arrival[];
  metrics: StreamMetrics;
  usage: Usage | null;
  finishReason: string | null;
  error: LabError | null;
  text: string;
  reasoning?: { text: string; chunks: readonly Arrival[] };
  toolCalls?: readonly {
    index: number;
    id: string;
    name: string;
    type: 'function' | 'custom';
    args: string;
  }[];
  toolChunks?: readonly (Arrival & { index: number })[];
}

export function exportRun(input: ExportInput): ExportedRun {
  const { request: r, metrics: m } = input;
  const request = r ? requestRecord(r, input.stream, input.baseURL, input.api) : null;
  return {
    version: 1,
    lab: input.lab,
    startedAt: input.startedAt,
    request,
    chunks: input.chunks.map((c) => ({ t: c.t, text: c.text })),
    metrics: {
      ttftMs: m.ttftMs,
      e2eMs: m.e2eMs,
      tpotMs: m.tpotMs,
      chunks: m.chunks,
      chars: m.chars,
      promptTokens: m.promptTokens,
      completionTokens: m.completionTokens ?? m.tokens,
      tokensEstimated: m.tokensEstimated,
      gaps: m.gaps
        ? {
            mean: m.gaps.mean,
            p50: m.gaps.p50,
            p90: m.gaps.p90,
            p95: m.gaps.p95,
            p99: m.gaps.p99,
            max: m.gaps.max,
          }
        : null,
      ...Object.fromEntries([...TIMING_KEYS, ...COUNT_KEYS].map((key) => [key, m[key]])),
    },
    usage: input.usage,
    finishReason: input.finishReason,
    error: input.error
      ? { kind: input.error.kind, title: input.error.title, detail: input.error.detail }
      : null,
    text: input.text,
    ...(input.reasoning?.chunks.length
      ? {
          reasoning: {
            text: input.reasoning.text,
            chunks: input.reasoning.chunks.map((c) => ({ t: c.t, text: c.text })),
          },
        }
      : {}),
    ...(input.toolCalls?.length
      ? {
          toolCalls: input.toolCalls.map((c) => ({
            index: c.index,
            id: c.id,
            name: c.name,
            type: c.type,
            arguments: c.args,
          })),
          toolChunks: (input.toolChunks ?? []).map((c) => ({ t: c.t, index: c.index, text: c.text })),
        }
      : {}),
  };
}
