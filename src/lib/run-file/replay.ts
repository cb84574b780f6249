/**
 * Replay: a run file as the simulator's script, so a saved or imported run plays back through the
 * same SDK path as any stream, with its own chunk texts and their original spacing.
 *
 * Invariants:
 * - One piece per chunk, in order, with the chunk's text unchanged.
 * - Each piece waits the time since the previous chunk (the first, its time since t0); never less
 *   than 0, so a file with chunks out of order still plays.
 * - Each piece counts at least one token, so max_tokens and usage stay meaningful.
 * - Only the answer's chunks are replayed: the simulator's script has no kind for reasoning or
 *   tool-call pieces yet. The answer keeps its original times, so the wait the reasoning caused
 *   still shows before the first answer token.
 */
import type { Piece } from '../engine/simulator/simulator';
import { countTokens } from '../engine/token-count';
import { loadTokenizer } from '../engine/tokenizer';
import type { ExportedRun } from './format';

/** The script that replays a run, given each chunk's token count (in chunk order). */
export function replayScript(run: ExportedRun, tokenCounts: readonly number[]): Piece[] {
  return run.chunks.map((c, i) => ({
    text: c.text,
    tokens: Math.max(1, tokenCounts[i] ?? 1),
    delayMs: Math.max(0, c.t - (run.chunks[i - 1]?.t ?? 0)),
  }));
}

/** The simulator script that replays a run: its chunk texts with their original spacing. */
export async function replayPieces(run: ExportedRun): Promise<Piece[]> {
  // Counted in the worker (a long chunk is slow to tokenize); the simulator that plays the script
  // tokenizes the prompt on this thread, so its tokenizer is loaded now, before the run's t0.
  const [counts] = await Promise.all([countTokens(run.chunks.map((c) => c.text)), loadTokenizer()]);
  return replayScript(run, counts);
}
