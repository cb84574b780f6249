/**
 * The wire tap's stages, each alone: line decoding, SSE framing, timed reads, the stall watchdog,
 * and the timing log that puts them together. (How the framing matches the SDK is in
 * sse-conformance.test.ts; the tap through the SDK against a server is in stream-chat.test.ts.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readTimed, stampArrival, TimedResponse } from '../../src/lib/engine/arrival';
import { FrameDecoder, LineDecoder, SSEDecoder, typeFrame } from '../../src/lib/engine/sse-decoder';
import { createWatchdog } from '../../src/lib/engine/stall-watchdog';
import { tapFetch, WireLog } from '../../src/lib/engine/wire';

const bytes = (text: string) => new TextEncoder().encode(text);

function bodyOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

describe('LineDecoder', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r', () => {
    expect(new LineDecoder().decode('a\nb\r\nc\rd\n')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps an unfinished line for the next input', () => {
    const lines = new LineDecoder();
    expect(lines.decode('data: he')).toEqual([]);
    expect(lines.decode('llo\n')).toEqual(['data: hello']);
  });

  it('treats \\r\\n split across inputs as one line end', () => {
    const lines = new LineDecoder();
    expect(lines.decode('a\r')).toEqual(['a']);
    expect(lines.decode('\nb\n')).toEqual(['b']);
  });

  it('ends a line at a lone \\r at once, without waiting for the next byte', () => {
    const lines = new LineDecoder();
    expect(lines.decode('a\r\r')).toEqual(['a', '']);
    expect(lines.decode('')).toEqual([]);
    expect(lines.decode('b\n')).toEqual(['b']);
  });

  it('gives the unfinished last line on flush', () => {
    const lines = new LineDecoder();
    lines.decode('a\ntail');
    expect(lines.flush()).toEqual(['tail']);
    expect(lines.flush()).toEqual([]);
  });
});

describe('SSEDecoder and typeFrame', () => {
  function frames(text: string) {
    const sse = new SSEDecoder();
    const out = new LineDecoder().decode(text).flatMap((line) => sse.decode(line) ?? []);
    let done = false;
    return out.map((frame) => {
      const type = typeFrame(frame, done);
      done ||= type === 'done';
      return { type, data: frame.data, lines: frame.lines };
    });
  }

  it('joins multi-line data with \\n and strips one space after the colon', () => {
    expect(frames('data: a\ndata:  b\n\n')).toEqual([
      { type: 'data', data: 'a\n b', lines: ['data: a', 'data:  b'] },
    ]);
  });

  it('keeps comment frames for the inspector, typed as comments', () => {
    expect(frames(': keep-alive\n\nid: 3\n\n').map((f) => f.type)).toEqual(['comment', 'comment']);
  });

  it('types [DONE] once and everything after it as ignored', () => {
    expect(frames('data: [DONE]\n\ndata: {}\n\n: c\n\n').map((f) => f.type)).toEqual([
      'done',
      'ignored',
      'comment',
    ]);
  });

  it('types a named event without data as an event', () => {
    expect(frames('event: ping\n\n')).toEqual([{ type: 'event', data: '', lines: ['event: ping'] }]);
  });

  it('ignores blank lines between frames', () => {
    expect(frames('\n\ndata: 1\n\n\n\n').map((f) => f.data)).toEqual(['1']);
  });
});

describe('FrameDecoder', () => {
  it('shows a character split across reads in the later read', () => {
    const decoder = new FrameDecoder();
    const rocket = bytes('data: "🚀"\n\n');
    expect(decoder.push(rocket.subarray(0, 8)).text).toBe('data: "');
    const rest = decoder.push(rocket.subarray(8));
    expect(rest.text).toBe('🚀"\n\n');
    expect(rest.frames).toEqual([{ type: 'data', raw: 'data: "🚀"', data: '"🚀"' }]);
  });

  it("gives the same frames when a read's text is decoded in pieces cut anywhere", () => {
    const body =
      ': hi\r\n\r\ndata: {"a":"🚀"}\r\rdata: 1\ndata: 2\n\nevent: x\n\ndata: [DONE]\n\ndata: late\n\n';
    const whole = new FrameDecoder().push(bytes(body)).frames;
    for (let cut = 0; cut <= body.length; cut++)
      for (const step of [1, 3, 7]) {
        const decoder = new FrameDecoder();
        const text = decoder.text(bytes(body));
        const frames = decoder.frames(text.slice(0, cut));
        for (let at = cut; at < text.length; at += step)
          frames.push(...decoder.frames(text.slice(at, at + step)));
        expect(frames).toEqual(whole);
      }
  });
});

describe('readTimed', () => {
  it('gives a stamped chunk its stamp, however late it is read', async () => {
    const reader = bodyOf([stampArrival(bytes('a'), 12.5)]).getReader();
    await new Promise((r) => setTimeout(r, 20));
    expect(await readTimed(reader)).toEqual({ bytes: bytes('a'), at: 12.5 });
    expect(await readTimed(reader)).toBeNull();
  });

  it('times an unstamped chunk when it is read', async () => {
    const reader = bodyOf([bytes('a')]).getReader();
    const before = performance.now();
    const read = await readTimed(reader);
    expect(read!.at).toBeGreaterThanOrEqual(before);
    expect(read!.at).toBeLessThanOrEqual(performance.now());
  });
});

describe('createWatchdog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires after the given silence, and each arm starts the silence again', () => {
    vi.useFakeTimers();
    const onStall = vi.fn();
    const dog = createWatchdog(100, onStall);
    dog.arm();
    vi.advanceTimersByTime(90);
    dog.arm();
    vi.advanceTimersByTime(90);
    expect(onStall).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10);
    expect(onStall).toHaveBeenCalledOnce();
  });

  it('never fires once stopped, or when disabled with 0', () => {
    vi.useFakeTimers();
    const onStall = vi.fn();
    const stopped = createWatchdog(100, onStall);
    stopped.arm();
    stopped.stop();
    createWatchdog(0, onStall).arm();
    vi.advanceTimersByTime(1000);
    expect(onStall).not.toHaveBeenCalled();
  });
});

describe('WireLog', () => {
  it('times each frame by the read that completed it and lists only chunk frames', () => {
    const log = new WireLog();
    log.begin();
    log.record(10, bytes(': hi\n\ndata: {"a"'));
    log.record(20, bytes(':1}\n\ndata: [DONE]\n\n'));
    expect(log.frames.map((f) => [f.type, f.t, f.read])).toEqual([
      ['comment', 10, 0],
      ['data', 20, 1],
      ['done', 20, 1],
    ]);
    expect(log.chunkFrames).toEqual([1]);
    expect(log.chunkTime(0)).toBe(20);
    expect(log.chunkTime(1)).toBeUndefined();
  });

  it('closes a frame ended by \\r\\r in the read that carried it', () => {
    const log = new WireLog();
    log.begin();
    log.record(5, bytes('data: 1\r\r'));
    log.record(9, bytes('data: 2\r\r'));
    expect(log.frames.map((f) => f.t)).toEqual([5, 9]);
  });

  it('forgets an earlier attempt when a new one begins', () => {
    const log = new WireLog();
    log.begin();
    log.record(1, bytes('data: 1\n\ndata: 2'));
    log.begin();
    log.record(1, bytes('\n\ndata: 3\n\n'));
    expect(log.attempts).toBe(2);
    expect(log.frames.map((f) => f.data)).toEqual(['3']);
  });
});

describe('tapFetch', () => {
  it("takes t0, headers and read times from a TimedResponse's stamps, not from when it reads", async () => {
    const sent = performance.now() - 500;
    const pieces = [
      stampArrival(bytes('data: {"n":1}\n\n'), sent + 100),
      stampArrival(bytes('data: {"n":2}\n\n'), sent + 250),
    ];
    const inner = async () => new TimedResponse(bodyOf(pieces), { status: 200 }, sent, sent + 40);
    const log = new WireLog();
    const response = await tapFetch(inner, log, 0)('http://localhost/');
    expect(await response.text()).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
    expect(log.t0).toBe(sent);
    expect(log.headersAt).toBe(40);
    expect(log.reads.map((r) => r.t)).toEqual([100, 250]);
    expect([log.chunkTime(0), log.chunkTime(1)]).toEqual([100, 250]);
  });

  it('never reports a stall while it is still slicing one large read, however small the limit', async () => {
    const frames = Array.from({ length: 30_000 }, (_, n) => `data: {"n":${n}}\n\n`).join('');
    const log = new WireLog();
    const inner = async () => new Response(bodyOf([bytes(frames)]));
    // 1 ms: every yield between slices would outlast it.
    const response = await tapFetch(inner, log, 1)('http://localhost/');
    expect(await response.text()).toBe(frames);
    expect(log.reads).toHaveLength(1);
    expect(log.closedAt).not.toBeNull();
  });

  it('hands a large read on in pieces of several whole events, not one event a piece', async () => {
    const frames = Array.from({ length: 2_000 }, (_, n) => `data: {"n":${n}}\n\n`);
    const inner = async () => new Response(bodyOf([bytes(frames.join(''))]));
    const response = await tapFetch(inner, new WireLog(), 0)('http://localhost/');
    const reader = response.body!.getReader();
    const pieces: string[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read())
      pieces.push(new TextDecoder().decode(read.value));
    expect(pieces.join('')).toBe(frames.join(''));
    // Each piece but the last ends at an event boundary and holds about a kilobyte of events: the
    // SDK's per-piece costs (a stream read, a buffer) are shared, and its copying stays bounded.
    for (const piece of pieces.slice(0, -1)) {
      expect(piece.endsWith('\n\n')).toBe(true);
      expect(piece.length).toBeGreaterThanOrEqual(1024);
      expect(piece.length).toBeLessThan(1024 + 20);
    }
    expect(pieces.length).toBeLessThan(frames.length / 40);
  });

  it('gives the thread back between reads that are all there at once, each one short', async () => {
    // 20,000 reads of 5 frames: each decodes far under a slice, all of them far over one.
    const reads = Array.from({ length: 20_000 }, (_, r) =>
      bytes(Array.from({ length: 5 }, (_, n) => `data: {"n":${r * 5 + n}}\n\n`).join('')),
    );
    const log = new WireLog();
    const inner = async () => new Response(bodyOf(reads));
    const response = await tapFetch(inner, log, 0)('http://localhost/');
    // Tasks that get a turn while the tap drains the body (all of it arrives as microtasks).
    let turns = 0;
    let draining = true;
    const turn = () => {
      if (!draining) return;
      turns++;
      setTimeout(turn, 0);
    };
    setTimeout(turn, 0);
    const text = await response.text();
    draining = false;
    expect(log.reads).toHaveLength(20_000);
    expect(log.frames).toHaveLength(100_000);
    expect(text.length).toBe(reads.reduce((n, r) => n + r.length, 0));
    // A slicer per read (each far under its budget) gave other tasks 4 or 5 turns, only when a
    // collection happened to stretch a read; one slicer for the body gives them 130 and more.
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it('hands on what arrived before a read failed, then the failure, to a reader that is slow to take it', async () => {
    let reads = 0;
    const inner = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (reads++ === 0) controller.enqueue(bytes('data: {"n":1}\n\ndata: {"n":2}\n\n'));
            else controller.error(new TypeError('network error'));
          },
        }),
      );
    const log = new WireLog();
    const response = await tapFetch(inner, log, 0)('http://localhost/');
    // The tap reads on, and meets the failure, before the reader takes anything.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reader = response.body!.getReader();
    const taken: string[] = [];
    const failed = await (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        taken.push(new TextDecoder().decode(value));
      }
    })().catch((error: unknown) => error);
    expect(taken.join('')).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
    expect(failed).toBeInstanceOf(TypeError);
  });

  it('times a plain Response as the tap reads it', async () => {
    const log = new WireLog();
    const inner = async () => new Response(bodyOf([bytes('data: {}\n\n')]));
    const response = await tapFetch(inner, log, 0)('http://localhost/');
    await response.text();
    expect(log.headersAt).toBeGreaterThanOrEqual(0);
    expect(log.reads[0]!.t).toBeGreaterThanOrEqual(log.headersAt!);
    expect(log.closedAt).toBeGreaterThanOrEqual(log.reads[0]!.t);
  });
});
