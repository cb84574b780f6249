/**
 * The wire tap: a fetch wrapper that records the response exactly as it came off the network,
 * built from small stages — timed reads (arrival.ts), SSE decoding (sse-decoder.ts), the stall
 * watchdog (stall-watchdog.ts), the per-event split for the SDK (split-events.ts) — and the
 * timing log, WireLog, that views read.
 *
 * Invariants:
 * - The body is read eagerly by the tap, so each read is timed when it arrives, not when a slower
 *   consumer gets round to it. Reads carry their own arrival time when the network worker took
 *   it; the SDK then reads from the tap's own stream.
 * - The tap frames the bytes with the SDK's rules (pinned by tests/unit/sse-conformance.test.ts),
 *   so the k-th chunk the SDK yields is `chunkFrames[k]`, and its time is the time of the read
 *   that completed that frame.
 * - All times are ms since t0: just before the last attempt was handed to the network (by the
 *   network worker when it is used, else by this tap).
 * - No bytes for `stallMs` fails the body with a StallError and cancels the connection.
 */
import { readTimed, TimedResponse } from './arrival';
import { FrameDecoder, isChunk, type FrameType } from './sse-decoder';
import { splitEvents } from './split-events';
import { createWatchdog } from './stall-watchdog';

export interface WireRead {
  t: number;
  bytes: number;
  /** The read's bytes as UTF-8 text (a character split across reads shows in the later one). */
  text: string;
}

export interface WireFrame {
  t: number;
  /** Index into `reads` of the read that completed this frame. */
  read: number;
  type: FrameType;
  /** The frame's lines as sent, without the blank line that ended it. */
  raw: string;
  /** The joined `data:` payload, for data frames. */
  data: string;
}

export class StallError extends Error {
  override name = 'StallError';
  constructor(readonly afterMs: number) {
    super(`No data arrived for ${Math.round(afterMs / 1000)} s; the stream stalled.`);
  }
}

/** Everything one request put on the wire, readable while it is still arriving. */
export class WireLog {
  t0 = 0;
  attempts = 0;
  status = 0;
  /** Response headers arrived (ms since t0). */
  headersAt: number | null = null;
  /** The body ended cleanly (ms since t0). */
  closedAt: number | null = null;
  reads: WireRead[] = [];
  frames: WireFrame[] = [];
  /** frames index of each chunk the SDK yields, in order. */
  chunkFrames: number[] = [];
  /** Called after each read is recorded; keep it cheap. */
  onRead: (() => void) | null = null;

  #decoder = new FrameDecoder();

  /** Starts a new attempt; an earlier attempt's bytes are not part of this answer. */
  begin(): void {
    this.t0 = performance.now();
    this.attempts += 1;
    this.status = 0;
    this.headersAt = this.closedAt = null;
    this.reads = [];
    this.frames = [];
    this.chunkFrames = [];
    this.#decoder = new FrameDecoder();
  }

  /** Arrival time of the chunk the SDK yielded as number `index`, if the tap saw its frame. */
  chunkTime(index: number): number | undefined {
    const frame = this.frames[this.chunkFrames[index] ?? -1];
    return frame?.t;
  }

  /** Records one read that arrived `t` ms after t0, and the frames it completed. */
  record(t: number, bytes: Uint8Array): void {
    const { text, frames } = this.#decoder.push(bytes);
    const read = this.reads.push({ t, bytes: bytes.byteLength, text }) - 1;
    for (const { type, raw, data } of frames) {
      const index = this.frames.push({ t, read, type, raw, data }) - 1;
      if (isChunk(type)) this.chunkFrames.push(index);
    }
    this.onRead?.();
  }
}

/**
 * Wraps `inner` so every response body is read through `log`. When `inner` is the network worker's
 * fetch, its TimedResponse and stamped chunks give the worker's send and arrival times (they
 * cannot be delayed by rendering); otherwise times are taken here as each read resolves.
 * `stallMs` <= 0 disables the stall watchdog.
 */
export function tapFetch(inner: typeof fetch, log: WireLog, stallMs: number): typeof fetch {
  return async (input, init) => {
    log.begin();
    const response = await inner(input, init);
    const timed = response instanceof TimedResponse ? response : null;
    if (timed) log.t0 = timed.sentAt;
    log.headersAt = (timed?.headersAt ?? performance.now()) - log.t0;
    log.status = response.status;
    if (!response.body) return response;
    return new Response(tapBody(response.body, log, stallMs), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function tapBody(
  body: ReadableStream<Uint8Array>,
  log: WireLog,
  stallMs: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let out!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  const fail = (error: unknown) => {
    if (finished) return;
    finished = true;
    watchdog.stop();
    out.error(error);
  };
  const watchdog = createWatchdog(stallMs, () => {
    const stall = new StallError(stallMs);
    fail(stall);
    reader.cancel(stall).catch(() => {});
  });

  const pump = async () => {
    try {
      for (let read = await readTimed(reader); read; read = await readTimed(reader)) {
        if (finished) return;
        log.record(read.at - log.t0, read.bytes);
        watchdog.arm();
        for (const piece of splitEvents(read.bytes)) out.enqueue(piece);
      }
      if (finished) return;
      finished = true;
      watchdog.stop();
      log.closedAt = performance.now() - log.t0;
      out.close();
    } catch (error) {
      fail(error);
    }
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      watchdog.arm();
      void pump();
    },
    cancel(reason) {
      finished = true;
      watchdog.stop();
      return reader.cancel(reason);
    },
  });
}
