/**
 * The run file: the exported run format of DESIGN.md (version 1), and building one from a run.
 * Built from plain data; it has no field that could hold the key, and the request is copied field
 * by field so nothing else slips in. Reading a file back is parse.ts; its CSV is csv.ts.
 */
import type { LabError } from '../engine/errors';
import { requestRecord, type RequestRecord } from '../engine/request';
import type { ChatRequest, Usage } from '../engine/types';
import type { Arrival, StreamMetrics } from '../metrics/metrics';

export interface ExportedRun {
  version: 1;
  lab: string;
  /** Epoch ms of t0. */
  startedAt: number;
  /** The request as sent, less anything secret: ChatRequest's fields plus where it went. */
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
  };
  usage: Usage | null;
  finishReason: string | null;
  error: { kind: string; title: string; detail: string } | null;
  text: string;
  /** Streaming vs non-streaming adds the whole (non-streamed) answer it was compared with. */
  nonStreaming?: { totalMs: number; chars: number; usage: Usage | null; text: string } | null;
  /** Chat adds the conversation the reply belongs to. */
  conversation?: {
    system: string;
    turns: { role: 'user' | 'assistant'; content: string; status?: 'done' | 'interrupted' | 'failed' }[];
  };
}

export interface ExportInput {
  lab: string;
  startedAt: number;
  request: ChatRequest | null;
  baseURL: string;
  stream: boolean;
  chunks: readonly Arrival[];
  metrics: StreamMetrics;
  usage: Usage | null;
  finishReason: string | null;
  error: LabError | null;
  text: string;
}

export function exportRun(input: ExportInput): ExportedRun {
  const { request: r, metrics: m } = input;
  const request = r ? requestRecord(r, input.stream, input.baseURL) : null;
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
    },
    usage: input.usage,
    finishReason: input.finishReason,
    error: input.error
      ? { kind: input.error.kind, title: input.error.title, detail: input.error.detail }
      : null,
    text: input.text,
  };
}
