/**
 * Temperature sampling over the simulator's own alternatives, and the seeded randomness behind it.
 *
 * Each answer token is drawn from the alternatives the simulator reports as `top_logprobs` at that
 * position, with probabilities softmax(logprob / T). The planned token is always the most likely,
 * so T = 0 keeps the built-in answer; a drawn alternative replaces the planned token and the
 * answer goes on from the next one. The record of every token (its logprob and alternatives) is
 * kept on its step, so the logprobs sent describe the token sent. With a seed, the same request
 * draws the same tokens.
 */
import type { TokenLogprob } from '../types';
import { simulatedLogprobs } from './logprobs';
import type { Step } from './steps';

/** Alternatives kept per token: the most `top_logprobs` may ask for. */
export const MAX_TOP = 20;

/** mulberry32: a small, fast PRNG giving [0, 1) from a 32-bit state. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit FNV-1a hash, to turn a seed and a request into a PRNG state. */
export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Draws from `candidates` with probabilities softmax(logprob / temperature); T ≤ 0 takes the first. */
export function draw(candidates: { logprob: number }[], temperature: number, random: () => number): number {
  if (temperature <= 0 || candidates.length < 2) return 0;
  const scaled = candidates.map((c) => c.logprob / temperature);
  const max = Math.max(...scaled);
  const weights = scaled.map((s) => Math.exp(s - max));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, w] of weights.entries()) {
    r -= w;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** Every content step's logprob record (position = its index among content steps), kept on the step. */
export function withLogprobs(steps: Step[]): Step[] {
  let position = 0;
  return steps.map((s) => {
    if (s.channel !== 'content') return s;
    const at = position++;
    return s.logprobs ? s : { ...s, logprobs: [simulatedLogprobs(s.text, at, MAX_TOP)] };
  });
}

/**
 * The answer's content steps resampled at `temperature` from their first `listed` alternatives;
 * other steps pass through. Each content step carries the record of the token drawn.
 */
export function sampleSteps(
  steps: Step[],
  temperature: number,
  listed: number,
  random: () => number,
): Step[] {
  let position = 0;
  return steps.map((s) => {
    if (s.channel !== 'content') return s;
    const planned = simulatedLogprobs(s.text, position++, MAX_TOP);
    const candidates = planned.top.slice(0, Math.max(1, listed));
    const chosen = candidates[draw(candidates, temperature, random)]!;
    if (chosen.token === s.text) return { ...s, logprobs: [planned] };
    const record: TokenLogprob = { token: chosen.token, logprob: chosen.logprob, top: planned.top };
    return { ...s, text: chosen.token, tokens: 1, logprobs: [record] };
  });
}
