/**
 * Server-sent events decoded in stages, with the framing rules of the openai SDK
 * (core/streaming.ts, internal/decoders/line.ts), so the wire tap sees exactly the events the SDK
 * yields from the same bytes:
 *
 *   bytes ─UTF-8─▶ text ─LineDecoder─▶ lines ─SSEDecoder─▶ frames ─typeFrame─▶ typed frames
 *
 * Each stage is pure: it holds only what an input cut mid-way needs, reads no clock, and gives
 * the same output however its input is cut. FrameDecoder chains them for one response body.
 *
 * Invariants (pinned against the installed SDK by tests/unit/sse-conformance.test.ts):
 * - A line ends at \n, \r\n or a lone \r; a \r\n split across inputs is one line end.
 * - Each line loses one leading U+FEFF, as the SDK's per-line UTF-8 decode drops a BOM.
 * - A blank line ends a frame. A frame with a `data` line or a non-empty `event` field is a
 *   message; any other frame (comments, `id:`, `retry:`) is a comment and yields nothing.
 * - The first message whose data starts with `[DONE]` ends the answer; later messages are ignored.
 * - So the k-th value the SDK yields is the data of the k-th chunk frame (`isChunk`), and a frame
 *   the SDK throws on (an error object, data that is not JSON) is the next chunk frame.
 * - A last frame with no blank line after it is never a message, for the SDK neither.
 */

export type FrameType = 'data' | 'done' | 'comment' | 'event' | 'ignored';

export interface SSEFrame {
  type: FrameType;
  /** The frame's lines as sent, without the blank line that ended it. */
  raw: string;
  /** The joined `data:` payload ('' when the frame has no data line). */
  data: string;
}

/** Frames the SDK yields as a chunk (or throws on): messages before `[DONE]`. */
export function isChunk(type: FrameType): boolean {
  return type === 'data' || type === 'event';
}

/** Text → lines. Keeps the unfinished line, and a trailing \r's claim on a following \n. */
export class LineDecoder {
  #partial = '';
  #afterCR = false;

  decode(text: string): string[] {
    const lines: string[] = [];
    if (text === '') return lines;
    let start = this.#afterCR && text.charCodeAt(0) === 10 ? 1 : 0;
    this.#afterCR = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      lines.push(withoutBOM(this.#partial + text.slice(start, i)));
      this.#partial = '';
      if (c === 13) {
        if (i === text.length - 1) this.#afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#partial += text.slice(start);
    return lines;
  }

  /** The unfinished last line, at the end of the body. */
  flush(): string[] {
    const rest = this.#partial;
    this.#partial = '';
    this.#afterCR = false;
    return rest === '' ? [] : [withoutBOM(rest)];
  }
}

function withoutBOM(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/** One frame as the SSE rules read it, before the SDK's `[DONE]` rule is applied. */
export interface RawFrame {
  lines: string[];
  /** The last `event` field's value, or null. */
  event: string | null;
  /** How many `data` lines the frame had. */
  dataLines: number;
  data: string;
}

/** Lines → frames: every run of lines closed by a blank line, comments included. */
export class SSEDecoder {
  #lines: string[] = [];
  #event: string | null = null;
  #data: string[] = [];

  /** Takes one line; returns the frame it closed, if it was a blank line after some lines. */
  decode(line: string): RawFrame | null {
    if (line === '') {
      if (this.#lines.length === 0) return null;
      const frame = {
        lines: this.#lines,
        event: this.#event,
        dataLines: this.#data.length,
        data: this.#data.join('\n'),
      };
      this.#lines = [];
      this.#event = null;
      this.#data = [];
      return frame;
    }
    this.#lines.push(line);
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    return null;
  }
}

/** A frame's type, given whether `[DONE]` has already been seen. */
export function typeFrame(frame: RawFrame, afterDone: boolean): FrameType {
  if (frame.dataLines === 0 && !frame.event) return 'comment';
  if (afterDone) return 'ignored';
  if (frame.data.startsWith('[DONE]')) return 'done';
  return frame.dataLines > 0 ? 'data' : 'event';
}

/**
 * One response body, bytes → typed frames, through the stages above. A read may be decoded in one
 * go (`push`), or as its text (`text`) and then that text's frames in pieces cut anywhere
 * (`frames`): the frames are the same either way.
 */
export class FrameDecoder {
  #text = new TextDecoder('utf-8', { ignoreBOM: true });
  #lines = new LineDecoder();
  #sse = new SSEDecoder();
  #done = false;

  /**
   * Decodes one read. `text` is the read as UTF-8 (a character split across reads shows in the
   * later one); `frames` are the frames this read completed, in order.
   */
  push(bytes: Uint8Array): { text: string; frames: SSEFrame[] } {
    const text = this.text(bytes);
    return { text, frames: this.frames(text) };
  }

  /** One read as UTF-8 text; its frames are then `frames` of that text, in one piece or several. */
  text(bytes: Uint8Array): string {
    return this.#text.decode(bytes, { stream: true });
  }

  /** The frames that `text`, the body's text from where the last call stopped, completes. */
  frames(text: string): SSEFrame[] {
    const frames: SSEFrame[] = [];
    for (const line of this.#lines.decode(text)) {
      const frame = this.#sse.decode(line);
      if (!frame) continue;
      const type = typeFrame(frame, this.#done);
      if (type === 'done') this.#done = true;
      frames.push({ type, raw: frame.lines.join('\n'), data: frame.data });
    }
    return frames;
  }
}
