/**
 * An answer as the ordered pieces the simulator sends, each tagged with its channel: reasoning
 * text, answer text, or a piece of a tool call. Every piece counts its tokens, so one limit
 * (max_completion_tokens / max_tokens) covers reasoning, answer and arguments alike, as it does on
 * real reasoning models.
 *
 * Invariants: parallel calls come one after another, as OpenAI sends them (call 0's head and every
 * piece of its arguments, then call 1's); each piece still names its call by `index`, which is all
 * a reader may rely on (other servers interleave calls; the test server has such a scenario). A
 * call's first piece (its head: id and name, arguments '') comes before any of its arguments.
 * Stop sequences apply to answer text only.
 */
import type { Tokenizer } from '../tokenizer';
import type { TokenLogprob } from '../types';
import type { PlannedCall } from './tools';

/** One streamed piece: its text, how many tokens it holds, and the delay before it is sent. */
export interface Piece {
  text: string;
  tokens: number;
  delayMs: number;
}

export type Step =
  | (Piece & {
      channel: 'reasoning' | 'content';
      /** Content only: the record of each token the piece holds, as logprobs report it. */
      logprobs?: TokenLogprob[];
    })
  | (Piece & { channel: 'tool'; call: number; head?: { id: string; name: string } });

export type Finish = 'stop' | 'length' | 'tool_calls';

/** Untimed pieces of `text` on a channel (delays are set by `timed`). */
export function textSteps(tokenizer: Tokenizer, text: string, channel: 'reasoning' | 'content'): Step[] {
  return tokenizer.pieces(text).map((p) => ({ ...p, delayMs: 0, channel }));
}

/** The calls' pieces, one call after another: each call's head, then its arguments. */
export function callSteps(tokenizer: Tokenizer, calls: PlannedCall[]): Step[] {
  return calls.flatMap((c, call): Step[] => [
    // The name is generated text too: it counts, though it arrives whole.
    {
      channel: 'tool',
      call,
      head: { id: c.id, name: c.name },
      text: '',
      tokens: tokenizer.count(c.name),
      delayMs: 0,
    },
    ...tokenizer.pieces(c.arguments).map((p) => ({ ...p, delayMs: 0, channel: 'tool' as const, call })),
  ]);
}

/** Cuts steps at the token limit and answer text before the first stop sequence. */
export function limit(
  steps: Step[],
  maxTokens: number | undefined,
  stops: string[],
): { steps: Step[]; finish: Finish } {
  const out: Step[] = [];
  let tokens = 0;
  let text = '';
  for (const step of steps) {
    if (maxTokens !== undefined && tokens + step.tokens > maxTokens) return { steps: out, finish: 'length' };
    if (step.channel === 'content') {
      const next = text + step.text;
      const hit = stops
        .map((s) => next.indexOf(s, Math.max(0, text.length - s.length + 1)))
        .filter((i) => i !== -1);
      if (hit.length) {
        const cut = Math.min(...hit) - text.length;
        // A cut piece is no longer the token its record describes: logprobs are made afresh.
        if (cut > 0) out.push({ ...step, text: step.text.slice(0, cut), logprobs: undefined });
        return { steps: out, finish: 'stop' };
      }
      text = next;
    }
    out.push(step);
    tokens += step.tokens;
  }
  return { steps: out, finish: out.some((s) => s.channel === 'tool') ? 'tool_calls' : 'stop' };
}

/** The text of one channel. */
export const channelText = (steps: Step[], channel: 'reasoning' | 'content') =>
  steps
    .filter((s) => s.channel === channel)
    .map((s) => s.text)
    .join('');

/** The calls as a non-streamed message lists them: only those whose head was produced. */
export function joinedCalls(steps: Step[]) {
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const s of steps) {
    if (s.channel !== 'tool') continue;
    if (s.head)
      calls[s.call] = { id: s.head.id, type: 'function', function: { name: s.head.name, arguments: '' } };
    else if (calls[s.call]) calls[s.call]!.function.arguments += s.text;
  }
  return calls.filter(Boolean);
}
