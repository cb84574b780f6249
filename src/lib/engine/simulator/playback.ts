/**
 * One decided answer played on its timing, whatever the wire format. The Answer holds everything
 * decided before the first byte (the steps with their delays, how it ends, the usage, the network's
 * batching, where a fault strikes); an Encoder turns each moment of it into SSE frames (Chat
 * Completions chunks in respond.ts, Responses events in respond-responses.ts). `play` is the only
 * place that waits and groups frames into body reads, so both formats share one timing model.
 *
 * Invariants: frames are released in the order the encoder made them; with batching 0 each frame
 * is its own read; frames produced together (an item's done events and the next item's added
 * events, the closing frames) share a read whenever the network batches at all; the last frame
 * is never held. An abort of `signal` rejects at once and releases nothing more.
 */
import { sleep } from './pacing';
import type { Finish, Step } from './steps';
import type { Usage } from '../types';

/** Everything one simulated answer needs, decided before the first byte is sent. */
export interface Answer {
  steps: Step[];
  finish: Finish;
  /** In Chat Completions' names; the Responses encoder renames the fields. */
  usage: Usage;
  model: string;
  /** Unix seconds. */
  created: number;
  /** Alternatives per token in logprobs; 0 when logprobs were not asked for. */
  top: number;
  /** A reasoning model (or a replay that reasoned). */
  thinking: boolean;
  /**
   * 0..1: how often the network holds a frame back and delivers it in one read with the next
   * (a proxy's or TCP's buffering). With any batching, frames produced together share a read too.
   * 0: one frame a read.
   */
  batching: number;
  random: () => number;
  /**
   * The step at which the stream fails (SimulatorOptions.fault): it is not sent; after its delay
   * the encoder's failure frames are, and the stream ends. null: the answer runs to its end.
   */
  failAt: number | null;
}

/** A wire format: the frames it sends at each moment of an answer. Stateful, one per answer. */
export interface Encoder {
  /** Sent at once, before the first step's delay. */
  opening(): Uint8Array[];
  /** Sent after the step's delay; may be none (reasoning that is not shown). */
  step(step: Step, index: number): Uint8Array[];
  /** Sent after the last step, ending the stream. */
  closing(): Uint8Array[];
  /** Sent instead of step `failAt`, ending the stream. */
  failure(): Uint8Array[];
}

/** The message OpenAI sends with a server error; a fault uses it on both wire formats. */
export const FAULT_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

/** OpenAI's body for a server error: a faulted request's whole reply, or a chat stream's last frame. */
export const serverError = () => ({
  error: { message: FAULT_MESSAGE, type: 'server_error', param: null, code: 'server_error' },
});

/** The delay from the first byte to the moment the answer ends (or fails). */
export function durationMs(a: Answer): number {
  const steps = a.failAt === null ? a.steps : a.steps.slice(0, a.failAt + 1);
  return steps.reduce((ms, s) => ms + s.delayMs, 0);
}

export function joined(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Plays `a` through `encoder`, handing each body read's frames to `release`. Resolves when the last
 * frame is released; rejects with an AbortError when `signal` aborts.
 */
export async function play(
  a: Answer,
  encoder: Encoder,
  signal: AbortSignal | null,
  release: (frames: Uint8Array[]) => void,
): Promise<void> {
  // Frames the network holds back; they go out in one read with the next frame released.
  let held: Uint8Array[] = [];
  // Frames made together wait for the last of them, which the network may hold like any other;
  // a final group's last frame ends the stream and takes everything held with it.
  const send = (frames: Uint8Array[], final = false) => {
    for (const [i, frame] of frames.entries()) {
      held.push(frame);
      const last = i === frames.length - 1;
      if (a.batching > 0 && (!last || (!final && a.random() < a.batching))) continue;
      release(held);
      held = [];
    }
  };
  send(encoder.opening());
  for (const [i, step] of a.steps.entries()) {
    await sleep(step.delayMs, signal);
    if (i === a.failAt) return send(encoder.failure(), true);
    send(encoder.step(step, i));
  }
  send(a.failAt === null ? encoder.closing() : encoder.failure(), true);
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** An SSE response around `body`, marked as simulated. */
export function eventStream(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-simulated': 'true' },
  });
}
