/**
 * How the simulator waits and groups: abortable sleeps, jittered delays, and multi-token chunks.
 * An abort rejects at once with the DOMException a real fetch body errors with, so the SDK treats
 * it exactly like a closed connection.
 */
import type { Step } from './steps';

export function abortError(): DOMException {
  return new DOMException('The request was aborted.', 'AbortError');
}

export function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `mean` varied by up to ±jitter (0..1) of itself, never below 0. */
export function jittered(mean: number, jitter: number): number {
  return Math.max(0, mean * (1 + (Math.random() * 2 - 1) * jitter));
}

/**
 * Packs runs of text steps into multi-token chunks, as providers do: each chunk, with probability
 * `packing` (0..1), takes 2–4 consecutive pieces of the same channel (reasoning or answer text;
 * tool calls stay one piece a chunk). A packed chunk waits for all its tokens (delays add up) and
 * carries every token's logprob record.
 */
export function pack(steps: Step[], packing: number, random: () => number): Step[] {
  const out: Step[] = [];
  let i = 0;
  while (i < steps.length) {
    const first = steps[i]!;
    let size = packing > 0 && random() < packing ? 2 + Math.floor(random() * 3) : 1;
    if (first.channel === 'tool') size = 1;
    const group = [first];
    while (group.length < size && steps[i + group.length]?.channel === first.channel) {
      group.push(steps[i + group.length]!);
    }
    i += group.length;
    if (group.length === 1 || first.channel === 'tool') {
      out.push(first);
      continue;
    }
    const records = group.flatMap((s) => (s.channel !== 'tool' && s.logprobs) || []);
    out.push({
      channel: first.channel,
      text: group.map((s) => s.text).join(''),
      tokens: group.reduce((n, s) => n + s.tokens, 0),
      delayMs: group.reduce((ms, s) => ms + s.delayMs, 0),
      ...(first.channel === 'content' && records.length === group.length ? { logprobs: records } : {}),
    });
  }
  return out;
}
