/**
 * What one streamed answer cost on the wire, from its wire log and its content chunks: frames,
 * bytes, time to first text, time to last byte, bytes per character of answer text, and the
 * share of frames that carried answer text.
 *
 * Invariants:
 * - Every figure is counted from what was recorded, never estimated: bytes are the network reads'
 *   byte counts, frames every SSE frame the tap decoded ([DONE] and comments included, as they
 *   cost bytes too), text frames the distinct frames the run's content chunks came from.
 * - A figure that cannot be known yet is null (no text: no first text, no bytes per character).
 */
import type { WireLog } from '../../lib/engine/wire';

export interface WireCost {
  frames: number;
  bytes: number;
  /** Frames that carried answer text. */
  textFrames: number;
  /** Characters of answer text. */
  chars: number;
  /** First answer text − t0, ms. */
  firstTextMs: number | null;
  /** The last network read − t0, ms. */
  lastByteMs: number | null;
  bytesPerChar: number | null;
  /** textFrames / frames, 0..1. */
  textShare: number | null;
}

/** The part of a wire log the cost reads. */
export type CostLog = Pick<WireLog, 'reads' | 'frames'>;

/** The part of a content chunk the cost reads: which SDK chunk (chunkFrames index) carried it. */
export interface CostChunk {
  t: number;
  text: string;
  sdkChunk: number;
}

export function wireCost(log: CostLog, chunks: readonly CostChunk[]): WireCost {
  const bytes = log.reads.reduce((n, r) => n + r.bytes, 0);
  const textFrames = new Set(chunks.filter((c) => c.text !== '').map((c) => c.sdkChunk)).size;
  const chars = chunks.reduce((n, c) => n + c.text.length, 0);
  const frames = log.frames.length;
  return {
    frames,
    bytes,
    textFrames,
    chars,
    firstTextMs: chunks.find((c) => c.text !== '')?.t ?? null,
    lastByteMs: log.reads.at(-1)?.t ?? null,
    bytesPerChar: chars > 0 ? bytes / chars : null,
    textShare: frames > 0 ? textFrames / frames : null,
  };
}
