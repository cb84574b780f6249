/**
 * Caps how deeply markdown can nest before it reaches marked, whose lexer recurses once per
 * level: ~2 KB of `>` or 1,200 `- ` on one line overflow its stack, and 1,000 ever deeper list
 * lines take seconds to lex. Real answers never nest this deep.
 *
 * Invariants:
 * - Line by line: no line is added or removed, so a line of the capped text is the same line of
 *   the original (the incremental renderer maps its seal points through line numbers).
 * - Outside code fences, at most MAX_MARKERS container markers (`>` or a list marker) open a
 *   line; the next one is escaped and shows as text. Leading indentation is capped at
 *   MAX_INDENT columns, so indentation alone cannot nest lists deeper either.
 * - Lines inside a fence are left exactly as they are.
 */

export const MAX_MARKERS = 16;
export const MAX_INDENT = 24;

const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

/** Returns `markdown` with container nesting capped (the same text when nothing is too deep). */
export function capNesting(markdown: string): string {
  let out = '';
  let changed = false;
  let fence: string | null = null;
  let start = 0;
  while (start <= markdown.length) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    const line = markdown.slice(start, end);
    const capped = capLine(line, fence);
    fence = capped.fence;
    if (capped.line !== line) changed = true;
    out += capped.line + (end < markdown.length ? '\n' : '');
    start = end + 1;
  }
  return changed ? out : markdown;
}

function capLine(line: string, fence: string | null): { line: string; fence: string | null } {
  // Indentation at the start of the line.
  let i = 0;
  let column = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) {
    column = line[i] === '\t' ? column + 4 - (column % 4) : column + 1;
    i++;
  }
  const indent = i;
  // Container markers and the whitespace after each.
  let markers = 0;
  let escapeAt = -1;
  for (;;) {
    const rest = line.slice(i, i + 12);
    const m = line[i] === '>' ? '>' : LIST_MARKER.exec(rest)?.[0];
    if (!m) break;
    if (markers === MAX_MARKERS) {
      // `\>` and `\-` are text; an ordered marker is escaped at its `.` or `)`.
      escapeAt = i + m.length - 1;
      break;
    }
    markers++;
    i += m.length;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  }
  const content = line.slice(i);
  const fenceMark = /^(`{3,}|~{3,})/.exec(content)?.[1];
  if (fence !== null) {
    if (
      fenceMark &&
      fenceMark[0] === fence[0] &&
      fenceMark.length >= fence.length &&
      content.trim() === fenceMark
    )
      return { line, fence: null };
    return { line, fence };
  }
  let capped = line;
  if (escapeAt !== -1) capped = `${line.slice(0, escapeAt)}\\${line.slice(escapeAt)}`;
  if (column > MAX_INDENT) capped = ' '.repeat(MAX_INDENT) + capped.slice(indent);
  return { line: capped, fence: fenceMark && escapeAt === -1 ? fenceMark : null };
}
