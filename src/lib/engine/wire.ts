/**
 * The wire tap: a fetch wrapper that records the response exactly as it came off the network,
 * built from small stages — timed reads (arrival.ts), SSE decoding (sse-decoder.ts), the stall
 * watchdog (stall-watchdog.ts), the event-aligned split for the SDK (split-events.ts) — and the
 * timing log, WireLog, that views read.
 *
 * Invariants:
 * - The body is read eagerly by the tap, so each read is timed when it arrives, not when a slower
 *   consumer gets round to it. Reads carry their own arrival time when the network worker took
 *   it; the SDK then reads from the tap's own stream.
 * - A read is recorded whole (its text, masked) the moment it is taken; its frames are decoded,
 *   and its pieces handed to the SDK, in slices (yield.ts) that give the thread back between
 *   them, so one large read (a burst) is never one long task. Every frame of a read is recorded
 *   before any of its bytes reach the SDK.
 * - The tap frames the bytes with the SDK's rules (pinned by tests/unit/sse-conformance.test.ts),
 *   so the k-th chunk the SDK yields is `chunkFrames[k]`, and its time is the time of the read
 *   that completed that frame.
 * - All times are ms since t0: just before the last attempt was handed to the network (by the
 *   network worker when it is used, else by this tap).
 * - No bytes for `stallMs` fails the body with a StallError and cancels the connection. The
 *   silence is timed from the body's start and from the end of each read's slices, never while
 *   the tap is still decoding a read (its yields may give the thread away for long).
 * - No read or frame text kept here holds the key the request was sent with, in any letter case,
 *   even when a provider echoes it back and it straddles network reads (ReadMasker).
 */
import { readTimed, TimedResponse } from './arrival';
import { applyMasks, secretFinder, type SecretSpan } from './errors';
import { FrameDecoder, isChunk, type FrameType, type SSEFrame } from './sse-decoder';
import { splitEvents } from './split-events';
import { createWatchdog, StallError } from './stall-watchdog';
import { createSlicer } from './yield';

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
  #find = secretFinder('');
  #masker = new ReadMasker('');

  /**
   * Starts a new attempt; an earlier attempt's bytes are not part of this answer. `secret` is the
   * key the request carries: it is masked wherever the response shows it.
   */
  begin(secret = ''): void {
    this.#find = secretFinder(secret);
    this.#masker = new ReadMasker(secret);
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
    const frames = this.receive(t, bytes);
    while (frames.step());
  }

  /**
   * Records one read that arrived `t` ms after t0 (its text, masked) and returns the decoding of
   * the frames it completed: each `step()` records those of the next FRAME_STEP_CHARS of its text
   * and says whether any text is left. Step it to the end before the next read is received.
   */
  receive(t: number, bytes: Uint8Array): { step(): boolean } {
    const text = this.#decoder.text(bytes);
    const read = this.reads.push({ t, bytes: bytes.byteLength, text }) - 1;
    this.#masker.push(this.reads, read);
    this.onRead?.();
    let at = 0;
    return {
      step: () => {
        if (at >= text.length) return false;
        const piece = text.slice(at, (at += FRAME_STEP_CHARS));
        for (const frame of this.#decoder.frames(piece)) this.#frame(t, read, frame);
        this.onRead?.();
        return at < text.length;
      },
    };
  }

  #frame(t: number, read: number, { type, raw, data }: SSEFrame): void {
    // data is made of raw's lines, so a secret in data is in raw: one search of raw per frame.
    const spans = this.#find(raw);
    const index =
      this.frames.push({
        t,
        read,
        type,
        raw: spans.length ? applyMasks(raw, spans) : raw,
        data: spans.length ? applyMasks(data, this.#find(data)) : data,
      }) - 1;
    if (isChunk(type)) this.chunkFrames.push(index);
  }
}

/** Text decoded into frames per step of a read: a few hundred typical chunks. */
const FRAME_STEP_CHARS = 32_768;

/** How far back, in characters, a key split across reads is looked for (at least its length). */
const MASK_WINDOW = 256;

/**
 * Masks a secret in the texts of network reads. A secret may straddle reads, so the latest reads'
 * raw text is searched together and every read it touches is rewritten: the mask shows in the
 * read where the secret began, and the rest of it is left out of the reads it spilled into.
 */
class ReadMasker {
  readonly #window: number;
  readonly #find: ReturnType<typeof secretFinder>;
  /** The latest reads' unmasked text, enough of it to find a key split across reads. */
  #recent: { index: number; start: number; text: string }[] = [];
  /** Secrets found in the recent reads, at offsets into the whole body's text. */
  #spans: SecretSpan[] = [];
  #offset = 0;

  constructor(secret: string) {
    this.#window = Math.max(MASK_WINDOW, secret.length);
    this.#find = secretFinder(secret);
  }

  /** Takes `reads[index]` (just recorded, unmasked) and masks it and its recent neighbours. */
  push(reads: WireRead[], index: number): void {
    const text = reads[index]!.text;
    this.#recent.push({ index, start: this.#offset, text });
    this.#offset += text.length;
    while (this.#recent.length > 1 && this.#offset - this.#recent[1]!.start - text.length >= this.#window) {
      this.#recent.shift();
    }
    const from = this.#recent[0]!.start;
    const joined = this.#recent.map((r) => r.text).join('');
    for (const found of this.#find(joined)) {
      const span = { ...found, start: found.start + from, end: found.end + from };
      const overlap = this.#spans.find((s) => s.start < span.end && span.start < s.end);
      if (!overlap) this.#spans.push(span);
      else if (span.start <= overlap.start)
        Object.assign(overlap, span, { end: Math.max(span.end, overlap.end) });
      else overlap.end = Math.max(span.end, overlap.end);
    }
    this.#spans = this.#spans.filter((s) => s.end > from).sort((a, b) => a.start - b.start);
    if (!this.#spans.length) return;
    for (const r of this.#recent) {
      const end = r.start + r.text.length;
      let out = '';
      let at = r.start;
      for (const s of this.#spans) {
        if (s.end <= r.start || s.start >= end) continue;
        if (s.start >= r.start) out += r.text.slice(at - r.start, s.start - r.start) + s.mask;
        at = Math.min(s.end, end);
      }
      reads[r.index]!.text = out + r.text.slice(at - r.start);
    }
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
    log.begin(sentKey(input, init));
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

/** The key a request carries (Authorization: Bearer, or an api-key header), or ''. */
function sentKey(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
  return (bearer?.[1] ?? headers.get('api-key') ?? headers.get('x-api-key') ?? '').trim();
}

/**
 * The SDK is handed a read in pieces of whole events, each at least this long (the last may be
 * shorter): see split-events.ts; bench/sdk-reader.run.ts times the sizes.
 */
export const SDK_PIECE_BYTES = 1024;

function tapBody(
  body: ReadableStream<Uint8Array>,
  log: WireLog,
  stallMs: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let out!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  /** A failure that came while pieces were still queued: raised once the reader has taken them. */
  let failure: { error: unknown } | null = null;
  const fail = (error: unknown) => {
    if (finished) return;
    finished = true;
    watchdog.stop();
    // error() drops what is queued and not yet read, which is the end of the partial answer: a
    // reader that was still busy (its loop yielding) when the connection dropped lost it.
    if ((out.desiredSize ?? 0) > 0) out.error(error);
    else failure = { error };
  };
  const watchdog = createWatchdog(stallMs, () => {
    const stall = new StallError(stallMs);
    fail(stall);
    reader.cancel(stall).catch(() => {});
  });

  const pump = async () => {
    // One slicer for the whole body: reads that are already there when the last one is done
    // (a burst) come as microtasks, and a slicer per read let each of them run under its budget
    // without ever yielding (traced: 19 ms of reads in one task, 52-82 ms with the loops they
    // feed and a collection). `begin()` starts the budget afresh only after a read that waited
    // for the network, in a later task.
    const slicer = createSlicer();
    try {
      for (let read = await readTimed(reader); read; read = await readTimed(reader)) {
        if (finished) return;
        slicer.begin();
        // Bytes are here: no stall while the tap decodes and hands them on, however long its
        // yields give the thread away (a busy page); the silence is timed again once it is done.
        watchdog.stop();
        const frames = log.receive(read.at - log.t0, read.bytes);
        for (let more = frames.step(); more; more = frames.step()) {
          if (!slicer.due()) continue;
          await slicer.yield();
          if (finished) return;
        }
        for (const piece of splitEvents(read.bytes, SDK_PIECE_BYTES)) {
          out.enqueue(piece);
          if (!slicer.due()) continue;
          await slicer.yield();
          if (finished) return;
        }
        watchdog.arm();
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
    // Called when the reader has taken what was queued (and on other occasions, when it does nothing).
    pull(controller) {
      if (failure) controller.error(failure.error);
    },
    cancel(reason) {
      finished = true;
      watchdog.stop();
      return reader.cancel(reason);
    },
  });
}
