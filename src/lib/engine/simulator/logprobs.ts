/**
 * Simulated logprobs: plausible and clearly made up. Deterministic for the same token at the same
 * position, so a rerun shows the same probabilities; the top alternatives never sum past 1.
 */
import type { TokenLogprob } from '../types';
import type { Step } from './steps';

const encoder = new TextEncoder();

/** A small deterministic hash → [0, 1). */
export function unit(seed: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 100000) / 100000;
}

const ALTERNATIVES = [' the', ' a', ' and', ',', '.', ' to', ' of', ' is', ' it', ' that', '\n', ' in'];

/** The chosen token is the most likely (at least 50%), its alternatives less so. */
export function simulatedLogprobs(token: string, position: number, top: number): TokenLogprob {
  const confidence = 1 - unit(token, position) ** 5 * 0.5;
  const logprob = Math.log(confidence);
  let remaining = 1 - confidence;
  const pool = ALTERNATIVES.filter((a) => a !== token);
  const alternatives: { token: string; logprob: number }[] = [];
  for (let i = 0; i < Math.min(top - 1, pool.length); i++) {
    const pick = pool[Math.floor(unit(token, position * 31 + i) * pool.length)] ?? ' the';
    if (alternatives.some((a) => a.token === pick)) continue;
    const share = remaining * (0.45 + unit(pick, i) * 0.3);
    remaining -= share;
    alternatives.push({ token: pick, logprob: Math.log(Math.max(share, 1e-9)) });
  }
  return { token, logprob, top: [{ token, logprob }, ...alternatives].slice(0, top) };
}

/** A TokenLogprob as the API sends it, with UTF-8 bytes. */
export function toWire(t: TokenLogprob) {
  const bytes = (s: string) => [...encoder.encode(s)];
  return {
    token: t.token,
    logprob: t.logprob,
    bytes: bytes(t.token),
    top_logprobs: t.top.map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytes(a.token) })),
  };
}

/**
 * The logprob records of content steps as sent, `top` alternatives each: each step's own records,
 * else made from its text (the first at `position` among the answer's tokens).
 */
export function stepRecords(steps: Step[], position: number, top: number) {
  return steps.flatMap((s, i) => {
    const records = (s.channel === 'content' && s.logprobs) || [simulatedLogprobs(s.text, position + i, top)];
    return records.map((r) => toWire({ ...r, top: r.top.slice(0, top) }));
  });
}
