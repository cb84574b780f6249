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
 * - Raw HTML nests at most MAX_HTML_DEPTH elements deep: a start tag below that depth is written
 *   `&lt;…` and shows as text (a backslash would not do: inside an HTML block markdown escapes
 *   are not read). 4,096 nested `<div>`s otherwise cost the sanitizer ~130 ms in one task.
 *   Depth is counted outside code spans and fences and starts again after a blank line, where
 *   every HTML block and paragraph ends.
 * - Lines inside a fence are left exactly as they are.
 */

export const MAX_MARKERS = 16;
export const MAX_INDENT = 24;
export const MAX_HTML_DEPTH = 32;

const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

/** Returns `markdown` with container nesting capped (the same text when nothing is too deep). */
export function capNesting(markdown: string): string {
  return new GrowingCap().cap(markdown);
}

/** What capping carries from one line to the next. */
interface LineState {
  fence: string | null;
  htmlDepth: number;
}

/** One line capped, given the state the lines before it left; `state` is moved past it. */
function capNext(line: string, state: LineState): string {
  const capped = capLine(line, state.fence);
  state.fence = capped.fence;
  if (line.trim() === '') {
    state.htmlDepth = 0;
    return capped.line;
  }
  if (capped.fence !== null || !line.includes('<')) return capped.line;
  const html = { depth: state.htmlDepth };
  const next = capHtml(capped.line, html);
  state.htmlDepth = html.depth;
  return next;
}

/**
 * capNesting for a text that grows at its end (a streaming tail): each call caps only the lines
 * completed since the last call, and the line still being written. A line caps the same however
 * much follows it (capping reads only the lines before it), so the complete lines' result is kept.
 * `cap(text)` always equals `capNesting(text)`; a text that does not extend the last one starts
 * over.
 */
export class GrowingCap {
  /** The complete lines capped so far, as given and as capped. */
  #source = '';
  #capped = '';
  #changed = false;
  #state: LineState = { fence: null, htmlDepth: 0 };

  cap(text: string): string {
    if (!text.startsWith(this.#source)) {
      this.#source = '';
      this.#capped = '';
      this.#changed = false;
      this.#state = { fence: null, htmlDepth: 0 };
    }
    let start = this.#source.length;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      const next = capNext(line, this.#state);
      if (next !== line) this.#changed = true;
      this.#capped += `${next}\n`;
      start = end + 1;
    }
    if (start > this.#source.length) this.#source = text.slice(0, start);
    // The line still being written is capped on a copy of the state: more of it may follow.
    const last = text.slice(start);
    const next = capNext(last, { ...this.#state });
    return !this.#changed && next === last ? text : this.#capped + next;
  }
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

const TAG = /<(\/?)([A-Za-z][\w-]*)(?:\s[^<>]*?)?(\/?)>|`+/g;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'source', 'track', 'wbr']);

/** `line` with start tags deeper than MAX_HTML_DEPTH written as text; `state` carries the depth. */
function capHtml(line: string, state: { depth: number }): string {
  let out = '';
  let last = 0;
  let code: string | null = null;
  for (const m of line.matchAll(TAG)) {
    const [whole, slash, name, selfClosing] = m;
    if (whole.startsWith('`')) {
      // A code span opens and closes with backtick runs of the same length.
      code = code === null ? whole : code === whole ? null : code;
      continue;
    }
    if (code !== null || !name || VOID.has(name.toLowerCase()) || selfClosing) continue;
    if (slash) state.depth = Math.max(0, state.depth - 1);
    else if (state.depth < MAX_HTML_DEPTH) state.depth++;
    else {
      out += `${line.slice(last, m.index)}&lt;`;
      last = m.index + 1;
    }
  }
  return last === 0 ? line : out + line.slice(last);
}
