/**
 * Healing the live tail of a streaming markdown answer, in one linear pass: unterminated
 * constructs are closed for display only, so half-written markup never flickers as raw syntax.
 *
 * - An open code fence is closed at the end (the tail shows as code up to the end).
 * - Open **bold**, *emphasis*, __bold__, _emphasis_, `code` and ~~strike~~ on the last
 *   paragraph are closed.
 * - A half-written link `[text](http://exa` shows as its text; a half-written image
 *   `![alt](http://…` shows as nothing, so no request is made for a partial URL.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Returns the tail with unterminated constructs closed. */
export function heal(tail: string): string {
  // 1. Code fences: if one is still open, close it and do nothing else (it is all code).
  let open: string | null = null;
  let lineStart = 0;
  for (let i = 0; i <= tail.length; i++) {
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
  para = para.replace(/!\[[^\]\n]*\]\([^)\s]*$/, '').replace(/!\[[^\]\n]*$/, '');
  para = para.replace(/\[([^\]\n]*)\]\([^)\s]*$/, '$1');

  const closers: string[] = [];
  let inCode = false;
  const stack: string[] = [];
  for (let i = 0; i < para.length; i++) {
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
  if (closers.length) para = para.replace(/[ \t]+$/, '');
  return head + para + closers.join('');
}

function toggle(stack: string[], marker: string): void {
  if (stack[stack.length - 1] === marker) stack.pop();
  else stack.push(marker);
}
