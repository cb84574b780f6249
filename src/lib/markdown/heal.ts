/**
 * Healing the live tail of a streaming markdown answer, in one linear pass: unterminated
 * constructs are closed for display only, so half-written markup never flickers as raw syntax.
 *
 * - An open code fence is closed at the end (the tail shows as code up to the end).
 * - Open **bold**, *emphasis*, __bold__, _emphasis_, `code` and ~~strike~~ on the last
 *   paragraph are closed.
 * - A half-written link `[text](http://exa` shows as its text; a half-written image
 *   `![alt](http://…` shows as nothing, so no request is made for a partial URL.
 *
 * Every step is linear in the tail's length (a stream of `![` or `[` must not turn each update
 * quadratic); `meter`, when given, counts the characters examined, for tests.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Returns the tail with unterminated constructs closed. */
export function heal(tail: string, meter?: { steps: number }): string {
  const work = meter ?? { steps: 0 };
  // 1. Code fences: if one is still open, close it and do nothing else (it is all code).
  let open: string | null = null;
  let lineStart = 0;
  for (let i = 0; i <= tail.length; i++) {
    work.steps++;
    if (i !== tail.length && tail.charCodeAt(i) !== 10) continue;
    const line = tail.slice(lineStart, i);
    const m = FENCE.exec(line);
    if (m) {
      const marker = m[1] as string;
      if (open === null) open = marker;
      else if (marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = null;
    }
    lineStart = i + 1;
  }
  if (open !== null) return `${tail}${tail.endsWith('\n') ? '' : '\n'}${open}`;

  // 2. The last paragraph's inline markup.
  const lastBreak = tail.lastIndexOf('\n\n');
  const head = tail.slice(0, lastBreak + 1);
  let para = tail.slice(lastBreak + 1);

  // Half-written image or link at the very end.
  const image = halfLink(para, '![', work);
  if (image) para = para.slice(0, image.start);
  const alt = halfImageAlt(para, work);
  if (alt !== -1) para = para.slice(0, alt);
  const link = halfLink(para, '[', work);
  if (link) para = para.slice(0, link.start) + para.slice(link.start + 1, link.close);

  const closers: string[] = [];
  let inCode = false;
  const stack: string[] = [];
  for (let i = 0; i < para.length; i++) {
    work.steps++;
    const c = para[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      inCode = !inCode;
      continue;
    }
    if (inCode) continue;
    if (c === '~' && para[i + 1] === '~') {
      toggle(stack, '~~');
      i++;
    } else if ((c === '*' || c === '_') && para[i + 1] === c) {
      toggle(stack, c + c);
      i++;
    } else if (c === '*' || c === '_') {
      // A lone * or _ at a line start is a list marker, inside a word it is not emphasis.
      const prev = para[i - 1];
      const next = para[i + 1];
      const listMarker = c === '*' && (prev === undefined || prev === '\n' || prev === ' ') && next === ' ';
      const intraword = c === '_' && /\w/.test(prev ?? '') && /\w/.test(next ?? '');
      if (!listMarker && !intraword) toggle(stack, c);
    }
  }
  if (inCode) closers.push('`');
  for (let i = stack.length - 1; i >= 0; i--) closers.push(stack[i] as string);
  // Closing right after whitespace would not close: trim trailing spaces before closers.
  if (closers.length) {
    let end = para.length;
    while (end > 0 && (para[end - 1] === ' ' || para[end - 1] === '\t')) end--;
    para = para.slice(0, end);
  }
  return head + para + closers.join('');
}

const isSpace = (c: string) => /\s/.test(c);

/**
 * Finds what `/<opener>[^\]\n]*\]\([^)\s]*$/` would match (an image or link whose URL is still
 * being written), in one pass: `start` is the opener, `close` its `]`.
 */
function halfLink(
  para: string,
  opener: '![' | '[',
  m: { steps: number },
): { start: number; close: number } | null {
  // The URL part runs from after `(` to the end and holds no `)` and no whitespace.
  let k = para.length;
  while (k > 0 && para[k - 1] !== ')' && !isSpace(para[k - 1] as string)) {
    m.steps++;
    k--;
  }
  // Candidates `](` whose `(` is at k - 1 or later, left to right; the text before each `]` back
  // to the previous `]` or newline is scanned once, so the ranges never overlap.
  for (let q = Math.max(k - 1, 1); q < para.length; q++) {
    m.steps++;
    if (para[q] !== '(' || para[q - 1] !== ']') continue;
    const close = q - 1;
    let r = close - 1;
    while (r >= 0 && para[r] !== ']' && para[r] !== '\n') {
      m.steps++;
      r--;
    }
    for (let s = r + 1; s + opener.length <= close; s++) {
      m.steps++;
      if (para.startsWith(opener, s)) return { start: s, close };
    }
  }
  return null;
}

/** Where `/!\[[^\]\n]*$/` would match (an image whose alt text is still being written), or -1. */
function halfImageAlt(para: string, m: { steps: number }): number {
  let r = para.length - 1;
  while (r >= 0 && para[r] !== ']' && para[r] !== '\n') {
    m.steps++;
    r--;
  }
  for (let s = r + 1; s + 1 < para.length; s++) {
    m.steps++;
    if (para[s] === '!' && para[s + 1] === '[') return s;
  }
  return -1;
}

function toggle(stack: string[], marker: string): void {
  if (stack[stack.length - 1] === marker) stack.pop();
  else stack.push(marker);
}
