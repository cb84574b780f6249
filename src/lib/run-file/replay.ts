/**
 * Replay: a run file as the simulator's script, so a saved or imported run plays back through the
 * same SDK path as any stream, with its own chunk texts and their original spacing.
 *
 * Invariants:
 * - One piece per chunk, in order, with the chunk's text unchanged.
 * - Each piece waits the time since the previous chunk (the first, its time since t0); never less
 *   than 0, so a file with chunks out of order still plays.
 * - Each piece counts at least one token, so max_tokens and usage stay meaningful.
 * - Reasoning and tool-call pieces replay on their own channels (reasoning_content, tool_calls), in
 *   the order of their recorded times with the answer's, so every view sees the run it saw before.
 *   A call's first recorded piece carries its id and name.
 * - A run replays in the wire format it was recorded in (`replayApi`): a Responses run as
 *   Responses events, any other as Chat Completions chunks.
 */
import type { Step } from '../engine/simulator/simulator';
import { countTokens } from '../engine/token-count';
import { loadTokenizer } from '../engine/tokenizer';
import type { Api, ChatRequest } from '../engine/types';
import type { ExportedRun } from './format';

/** A recorded piece of any channel, with its time since t0. */
type Timed = { t: number; text: string } & (
  | { channel: 'content' | 'reasoning' }
  | { channel: 'tool'; call: number; head?: { id: string; name: string } }
);

/** Every recorded piece of the run in time order; equal times keep answer, reasoning, tool. */
function recorded(run: ExportedRun): Timed[] {
  const named = new Map((run.toolCalls ?? []).map((c) => [c.index, c]));
  const headed = new Set<number>();
  const tool = (run.toolChunks ?? []).map((c): Timed => {
    const call = named.get(c.index);
    const first = !headed.has(c.index);
    headed.add(c.index);
    return {
      t: c.t,
      text: c.text,
      channel: 'tool',
      call: c.index,
      ...(first ? { head: { id: call?.id ?? `call_${c.index}`, name: call?.name ?? '' } } : {}),
    };
  });
  return merge([
    run.chunks.map((c): Timed => ({ t: c.t, text: c.text, channel: 'content' })),
    (run.reasoning?.chunks ?? []).map((c): Timed => ({ t: c.t, text: c.text, channel: 'reasoning' })),
    tool,
  ]);
}

/** The lists merged by time, each list's own order kept (a file's chunks may be out of order). */
function merge(lists: Timed[][]): Timed[] {
  const at = lists.map(() => 0);
  const out: Timed[] = [];
  for (;;) {
    let pick = -1;
    lists.forEach((list, i) => {
      const next = list[at[i]!];
      if (next && (pick === -1 || next.t < lists[pick]![at[pick]!]!.t)) pick = i;
    });
    if (pick === -1) return out;
    out.push(lists[pick]![at[pick]!++]!);
  }
}

/**
 * The script that replays a run, given each recorded piece's token count (in the order of
 * `replayTexts`).
 */
export function replayScript(run: ExportedRun, tokenCounts: readonly number[]): Step[] {
  const pieces = recorded(run);
  const steps: Step[] = [];
  pieces.forEach((p, i) => {
    const delayMs = Math.max(0, p.t - (pieces[i - 1]?.t ?? 0));
    const tokens = Math.max(1, tokenCounts[i] ?? 1);
    if (p.channel !== 'tool') {
      steps.push({ channel: p.channel, text: p.text, tokens, delayMs });
      return;
    }
    // A call's head goes out as its own piece (arguments ''), as a provider sends it.
    if (p.head) steps.push({ channel: 'tool', call: p.call, head: p.head, text: '', tokens: 0, delayMs });
    if (p.text || !p.head)
      steps.push({ channel: 'tool', call: p.call, text: p.text, tokens, delayMs: p.head ? 0 : delayMs });
  });
  return steps;
}

/** The texts `replayScript` wants counted, in its order. */
export const replayTexts = (run: ExportedRun): string[] => recorded(run).map((p) => p.text);

/** The simulator script that replays a run: its recorded pieces with their original spacing. */
export async function replayPieces(run: ExportedRun): Promise<Step[]> {
  // Counted in the worker (a long chunk is slow to tokenize); the simulator that plays the script
  // tokenizes the prompt on this thread, so its tokenizer is loaded now, before the run's t0.
  const [counts] = await Promise.all([countTokens(replayTexts(run)), loadTokenizer()]);
  return replayScript(run, counts);
}

/** The wire format a run was recorded in: Responses when its request says so, else Chat Completions. */
export const replayApi = (run: ExportedRun): Api => (run.request?.api === 'responses' ? 'responses' : 'chat');

/**
 * The request a replay sends the simulator: the run's model and messages (else `prompt` as the
 * user's message), with usage asked for so the replayed run reports its tokens.
 */
export function replayRequest(run: ExportedRun, prompt: string): ChatRequest {
  const original = run.request;
  return {
    model: original?.model ?? 'replay',
    messages: original?.messages.length ? original.messages : [{ role: 'user', content: prompt }],
    include_usage: true,
  };
}
