/**
 * Where a resumed Responses answer was joined: the text before the cut and after the resume, and
 * the gap between the two connections on the run's one time axis (RunState.resume shifts the
 * resumed connection's times onto the first connection's t0).
 *
 * Invariant: pure; `cut` is the number of content chunks the first connection delivered, so the
 * split follows the chunks as they arrived, never a guess from the text.
 */

export interface SeamChunk {
  t: number;
  text: string;
}

export interface Span {
  from: number;
  to: number;
}

export interface Seam {
  before: string;
  after: string;
  /** First to last text of the first connection (null: no text before the cut). */
  beforeSpan: Span | null;
  /** First to last text of the resumed connection (null: nothing came after it yet). */
  afterSpan: Span | null;
  /** Last text before the cut to first text after the resume, ms. */
  gapMs: number | null;
}

const span = (chunks: readonly SeamChunk[]): Span | null =>
  chunks.length ? { from: chunks[0]!.t, to: chunks.at(-1)!.t } : null;

export function seam(chunks: readonly SeamChunk[], cut: number): Seam {
  const first = chunks.slice(0, cut);
  const rest = chunks.slice(cut);
  const beforeSpan = span(first);
  const afterSpan = span(rest);
  return {
    before: first.map((c) => c.text).join(''),
    after: rest.map((c) => c.text).join(''),
    beforeSpan,
    afterSpan,
    gapMs: beforeSpan && afterSpan ? afterSpan.from - beforeSpan.to : null,
  };
}

/** Why a cut Responses stream could not be resumed, in words (`code` in backticks); null when it could be. */
export function unresumable(
  error: { status?: number; kind: string } | null,
  completed: boolean,
  cutAfter: number,
): string | null {
  if (completed)
    return `The answer ended within ${cutAfter} events, before the cut: raise Max tokens or lower "Cut after" to see a resume.`;
  if (!error) return null;
  if (error.status === 404 || error.status === 405 || error.kind === 'not_found')
    return 'This endpoint has no `/responses` route: it speaks Chat Completions only, so there is no Responses stream to cut or resume.';
  if (error.status === 400)
    return 'This endpoint refused `background: true` (400 Bad Request): it does not keep a response running after the connection drops, so a cut Responses stream cannot be resumed here.';
  if (error.kind === 'network')
    return 'The stream was cut before a response id and a sequence number arrived, so there is no point to resume from: raise "Cut after".';
  return 'The Responses request failed before the cut (see the alert), so there is nothing to resume.';
}
