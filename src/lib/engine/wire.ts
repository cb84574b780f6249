/**
 * The wire tap: a fetch wrapper that records the response exactly as it came off the network.
 *
 * Invariants:
 * - The body is read eagerly by the tap, so each read is timestamped when it arrives, not when a
 *   slower consumer gets round to it. The SDK then reads from the tap's own stream.
 * - SSE frames are cut with the same rules as the SDK (a blank line ends a frame; comment-only
 *   frames yield nothing; nothing after `[DONE]` is yielded), so the k-th chunk the SDK yields is
 *   `chunkFrames[k]`, and its time is the time of the read that completed that frame.
 * - All times are ms since t0: just before the last attempt was handed to the network (by the
 *   network worker when it is used, else by this tap).
 * - No bytes for `stallMs` fails the body with a StallError and cancels the connection.
 * - No read or frame text kept here holds the key the request was sent with, in any letter case,
 *   even when a provider echoes it back and it straddles network reads (maskSecrets, errors.ts).
 */
import { applyMasks, secretFinder, type SecretSpan } from './errors';
import { arrivalOf, sentAtOf } from './worker-fetch';

/** How far back, in characters, a key split across reads is looked for (at least its length). */
const MASK_WINDOW = 256;

export interface WireRead {
  t: number;
  bytes: number;
  /** The read's bytes as UTF-8 text (a character split across reads shows in the later one). */
  text: string;
}

export type FrameType = 'data' | 'done' | 'comment' | 'event' | 'ignored';

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

  #decoder = new TextDecoder();
  /** The key this attempt was sent with (from its request headers), masked in all text kept. */
  #secret = '';
  #find = secretFinder('');
  /** The latest reads' unmasked text, enough of it to find a key split across reads. */
  #recent: { index: number; start: number; text: string }[] = [];
  /** Secrets found in the recent reads, at offsets into the whole body's text. */
  #spans: SecretSpan[] = [];
  #offset = 0;
  #pending = '';
  #lines: string[] = [];
  #hasData = false;
  #hasEvent = false;
  #data: string[] = [];
  #done = false;

  /**
   * Starts a new attempt; an earlier attempt's bytes are not part of this answer. `secret` is the
   * key the request carries: it is masked wherever the response shows it.
   */
  begin(secret = ''): void {
    this.#secret = secret;
    this.#find = secretFinder(secret);
    this.#recent = [];
    this.#spans = [];
    this.#offset = 0;
    this.t0 = performance.now();
    this.attempts += 1;
    this.status = 0;
    this.headersAt = this.closedAt = null;
    this.reads = [];
    this.frames = [];
    this.chunkFrames = [];
    this.#decoder = new TextDecoder();
    this.#pending = '';
    this.#resetFrame();
    this.#done = false;
  }

  /** Arrival time of the chunk the SDK yielded as number `index`, if the tap saw its frame. */
  chunkTime(index: number): number | undefined {
    const frame = this.frames[this.chunkFrames[index] ?? -1];
    return frame?.t;
  }

  record(t: number, bytes: Uint8Array): void {
    const text = this.#decoder.decode(bytes, { stream: true });
    this.reads.push({ t, bytes: bytes.byteLength, text });
    this.#split(text, t, this.reads.length - 1);
    this.#maskReads(this.reads.length - 1, text);
    this.onRead?.();
  }

  /**
   * Masks secrets in the read texts. A secret may straddle reads, so the latest reads' raw text
   * is searched together and every read it touches is rewritten: the mask shows in the read where
   * the secret began, and the rest of it is left out of the reads it spilled into.
   */
  #maskReads(index: number, text: string): void {
    const window = Math.max(MASK_WINDOW, this.#secret.length);
    this.#recent.push({ index, start: this.#offset, text });
    this.#offset += text.length;
    while (this.#recent.length > 1 && this.#offset - this.#recent[1]!.start - text.length >= window) {
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
      (this.reads[r.index] as WireRead).text = out + r.text.slice(at - r.start);
    }
  }

  #split(text: string, t: number, read: number): void {
    let buffer = this.#pending + text;
    // A trailing \r may be the first half of \r\n: keep it until the next read.
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === buffer.length - 1) break;
      this.#line(buffer.slice(start, i), t, read);
      if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
    this.#pending = buffer;
  }

  #line(line: string, t: number, read: number): void {
    if (line === '') {
      if (this.#lines.length > 0) this.#endFrame(t, read);
      return;
    }
    this.#lines.push(line);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.#hasData = true;
      this.#data.push(value);
    } else if (field === 'event') {
      this.#hasEvent = true;
    }
  }

  #endFrame(t: number, read: number): void {
    const data = this.#data.join('\n');
    let type: FrameType;
    if (!this.#hasData && !this.#hasEvent) type = 'comment';
    else if (this.#done) type = 'ignored';
    else if (data.startsWith('[DONE]')) type = 'done';
    else type = this.#hasData ? 'data' : 'event';
    const raw = this.#lines.join('\n');
    // data is made of raw's lines, so a secret in data is in raw: one search serves both.
    const secret = this.#find(raw).length > 0;
    this.frames.push({
      t,
      read,
      type,
      raw: secret ? applyMasks(raw, this.#find(raw)) : raw,
      data: secret ? applyMasks(data, this.#find(data)) : data,
    });
    if (type === 'data' || type === 'event') this.chunkFrames.push(this.frames.length - 1);
    if (type === 'done') this.#done = true;
    this.#resetFrame();
  }

  #resetFrame(): void {
    this.#lines = [];
    this.#data = [];
    this.#hasData = this.#hasEvent = false;
  }
}

/**
 * Wraps `inner` so every response body is read through `log`. When `inner` is the network worker's
 * fetch, the worker's send and arrival times are used (they cannot be delayed by rendering);
 * otherwise times are taken here as each read resolves. `stallMs` <= 0 disables the
 * stall watchdog.
 */
export function tapFetch(inner: typeof fetch, log: WireLog, stallMs: number): typeof fetch {
  return async (input, init) => {
    log.begin(sentKey(input, init));
    const response = await inner(input, init);
    const timed = sentAtOf(response);
    if (timed) log.t0 = timed.sent;
    log.headersAt = (timed?.head ?? performance.now()) - log.t0;
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
 * Cuts a read into views that each end at an SSE event boundary (a blank line). The SDK copies
 * the rest of its buffer after every event it finds, which is quadratic when one read carries
 * hundreds of events; one event per piece keeps it linear. Views share the read's memory.
 */
export function splitEvents(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i];
    // \n\n, or \r\r, or the second \n of \r\n\r\n.
    if ((b === 10 && bytes[i - 1] === 10) || (b === 13 && bytes[i - 1] === 13 && bytes[i + 1] !== 10)) {
      pieces.push(bytes.subarray(start, i + 1));
      start = i + 1;
    } else if (b === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) {
      pieces.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) pieces.push(bytes.subarray(start));
  return pieces;
}

function tapBody(
  body: ReadableStream<Uint8Array>,
  log: WireLog,
  stallMs: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: unknown) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        controller.error(error);
      };
      const arm = () => {
        clearTimeout(timer);
        if (stallMs > 0) {
          timer = setTimeout(() => {
            const stall = new StallError(stallMs);
            fail(stall);
            reader.cancel(stall).catch(() => {});
          }, stallMs);
        }
      };
      arm();
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (finished) return;
            log.record((arrivalOf(value) ?? performance.now()) - log.t0, value);
            arm();
            for (const piece of splitEvents(value)) controller.enqueue(piece);
          }
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          log.closedAt = performance.now() - log.t0;
          controller.close();
        } catch (error) {
          fail(error);
        }
      })();
    },
    cancel(reason) {
      finished = true;
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}
