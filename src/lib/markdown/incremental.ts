/**
 * Incremental markdown rendering for a growing text: sealed blocks and a live tail.
 *
 * Invariants:
 * - A sealed block is parsed, sanitized and inserted once and never touched again. A block is
 *   sealed when a blank line follows it and another block has started after that, it is not
 *   inside an open code fence, and it is not a list (a list may go on after a blank line) —
 *   except that a list longer than LIST_SEAL_ITEMS items seals all but its last item, so a long
 *   list never makes every update re-lex all of it.
 * - Only the tail is re-lexed and re-rendered on update, healed so half-written markup displays
 *   sensibly. Both the tail render and the search for a seal point run under a watchdog: if
 *   either takes longer than WATCHDOG_MS (marked has quadratic cases), the tail shows as plain
 *   text until the next seal, and the seal search waits until the unsealed text has doubled.
 *   The seal search also only runs once a new line has arrived (no block can end without one),
 *   and only when a cheap scan finds something it could cut at (a blank line with a block after
 *   it, or enough top-level list items), so a long tail that cannot seal is never lexed for it.
 *   The tail update is also predicted: when the last one's cost (render and layout), scaled to
 *   the tail's new length, would pass TAIL_BUDGET_MS, the tail shows as plain text without
 *   trying.
 * - A tail shown as plain text is itself shown in sealed blocks (plain-blocks.ts): each update
 *   replaces only the text after the last of them, so a long paragraph that cannot seal (100,000
 *   tokens with no blank line) is not laid out whole again every frame.
 * - Nothing the renderer throws (marked overflowing on hostile nesting) escapes: the tail then
 *   shows as plain text, and everything before it stays.
 * - finish() leaves a DOM equal to a full render of the text. When the lexer found link
 *   reference definitions (the one construct by which later text changes earlier blocks), or a
 *   long list was sealed in parts, it renders the whole text once; otherwise it appends the
 *   tail's final blocks to the sealed ones. Either way the DOM is that of a one-shot render.
 * - The text must grow by appending; anything else starts over.
 */
import type { Tokens } from 'marked';
import { heal } from './heal';
import { GrowingCap } from './nesting';
import { EOL, NO_BLOCKS, sealBlocks, type Blocks } from './plain-blocks';
import { lexBlocks, plainBlock, renderMarkdown } from './sanitize';

const WATCHDOG_MS = 50;
/** A tail update (render and layout) predicted to take longer shows as text. */
const TAIL_BUDGET_MS = 8;
/** A tail update (render and layout) predicts the next only if it took this long, on this much text. */
const PREDICT_MIN_MS = 3;
const PREDICT_MIN_CHARS = 8_192;
/** A list with more items than this seals all but its last item. */
export const LIST_SEAL_ITEMS = 24;

interface Seal {
  /** Length of the prefix of the text made of blocks that can no longer change. */
  cut: number;
  /** The cut falls inside a list. */
  splitList: boolean;
  /** The lexer found link reference definitions. */
  links: boolean;
}

const BLANK_THEN_BLOCK = /(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)\s*\S/;
const TOP_LEVEL_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?=[ \t\r\n]|$)/gm;

/**
 * Whether sealPoint could find a cut in `text`: it needs a blank line with a block after it, or a
 * top-level list of more than LIST_SEAL_ITEMS items. Necessary, not sufficient; a regex scan.
 */
function maySeal(text: string): boolean {
  if (BLANK_THEN_BLOCK.test(text)) return true;
  let items = 0;
  for (const _ of text.matchAll(TOP_LEVEL_ITEM)) if (++items > LIST_SEAL_ITEMS) return true;
  return false;
}

/** Offset in `text` just after its `lines`-th line break (\r\n, \r or \n, as marked counts them). */
function offsetOfLine(text: string, lines: number): number {
  if (lines <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < text.length && seen < lines; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) {
      seen++;
      if (seen === lines) return i + 1;
    }
  }
  return seen === lines ? text.length : 0;
}

/** Where `text` can be cut into blocks that are final and a tail that may still change. */
function sealPoint(text: string): Seal {
  const tokens = lexBlocks(text);
  const links = Object.keys(tokens.links).length > 0;
  // Offsets are counted in the lexed text (nesting capped, line breaks normalised); the cut is a
  // line start, mapped back to the original through its line number.
  let sealed = '';
  let splitList = false;
  let offset = '';
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i]!;
    offset += token.raw;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (token.type === 'space' && prev && prev.type !== 'list' && next && next.type !== 'space')
      sealed = offset;
  }
  // A long list, last in the text (only space after it), seals all its items but the last.
  let last = tokens.length - 1;
  while (last > 0 && tokens[last]!.type === 'space') last--;
  const list = tokens[last];
  if (list?.type === 'list' && list.items.length > LIST_SEAL_ITEMS) {
    const before = tokens
      .slice(0, last)
      .map((t) => t.raw)
      .join('');
    const items = list.items
      .slice(0, -1)
      .map((item: Tokens.ListItem) => item.raw)
      .join('');
    if (before.length >= sealed.length && list.raw.startsWith(items) && items.endsWith('\n')) {
      sealed = before + items;
      splitList = true;
    }
  }
  if (!sealed.endsWith('\n')) return { cut: 0, splitList: false, links };
  const cut = offsetOfLine(text, sealed.split('\n').length - 1);
  return { cut, splitList: splitList && cut > 0, links };
}
/** Whether marked finds link reference definitions in `text` (in quotes and lists too). */
function hasDefinitions(text: string): boolean {
  // Every definition starts with `[`; most answers have none, and are not lexed twice.
  if (!text.includes('[')) return false;
  try {
    return Object.keys(lexBlocks(text).links).length > 0;
  } catch {
    return false;
  }
}

/** Elements the cursor goes after, never into. */
const NO_CURSOR_INSIDE = new Set(['BR', 'HR', 'IMG', 'INPUT', 'TABLE', 'BUTTON']);

/**
 * The last child of `el` that shows something: line breaks the renderer puts between blocks
 * (whitespace with a newline) are skipped; any other text, even a space, counts.
 */
function lastMeaningfulNode(el: Element): ChildNode | null {
  let node = el.lastChild;
  while (node && node.nodeType !== Node.ELEMENT_NODE) {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent ?? '';
      if (!(text.includes('\n') && !text.trim())) return node;
    }
    node = node.previousSibling;
  }
  return node;
}

export class IncrementalMarkdown {
  readonly #root: HTMLElement;
  /** Finished blocks, appended once and never touched; a box of its own, so tail updates never lay it out again. */
  #sealed: HTMLElement;
  /** The live tail, re-rendered on every update. */
  #tail: HTMLElement;
  #cursor: HTMLElement;
  #text = '';
  #sealedUpTo = 0;
  #plainTail = false;
  /** Length of the unsealed text when a seal point was last looked for. */
  #sealTriedAt = 0;
  /** After a slow seal search: look again only once the unsealed text is this long. */
  #sealBackoff = 0;
  /** What the last markdown update of the tail cost (render and layout), per character. */
  #tailMsPerChar = 0;
  /** The lexer saw link definitions, or a list was sealed in parts: finish() renders it all. */
  #renderWhole = false;
  /** While the tail shows as text: its sealed blocks, the element holding them and its live text. */
  #plain: Blocks = NO_BLOCKS;
  #plainRoot: HTMLElement | null = null;
  #plainLive: Text | null = null;
  /** Caps a plain tail's nesting, only its new lines on each update (it starts over on its own). */
  #cap = new GrowingCap();
  /** After finish() the wrappers are gone: the next update starts over. */
  #finished = false;
  /** How many blocks were sealed; exposed for tests and the benchmark. */
  sealedBlocks = 0;
  /** Characters handed to the markdown parser so far (lexed or rendered); Live markdown shows it. */
  parsedChars = 0;
  /**
   * Layout the last update did itself, in ms (a long tail's, timed for the prediction; else 0):
   * the frame's work, moved, which a measure of the update's own cost leaves out.
   */
  layoutMs = 0;

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#sealed = document.createElement('div');
    this.#tail = document.createElement('div');
    this.#cursor = document.createElement('span');
    this.#cursor.className = 'cursor';
    this.#cursor.setAttribute('aria-hidden', 'true');
    this.#cursor.textContent = '▌';
    this.#reset();
  }

  #reset(): void {
    this.#sealed = document.createElement('div');
    this.#sealed.className = 'md-sealed';
    this.#tail = document.createElement('div');
    this.#tail.className = 'md-tail';
    this.#root.replaceChildren(this.#sealed, this.#tail);
    this.#text = '';
    this.#sealedUpTo = 0;
    this.#plainTail = false;
    this.#sealTriedAt = 0;
    this.#sealBackoff = 0;
    this.#tailMsPerChar = 0;
    this.#renderWhole = false;
    this.#finished = false;
    this.#plain = NO_BLOCKS;
    this.#plainRoot = null;
    this.#plainLive = null;
    this.#cap = new GrowingCap();
    this.sealedBlocks = 0;
  }

  /** Shows `text` while it is still streaming, with a cursor at the end. */
  update(text: string): void {
    this.layoutMs = 0;
    if (this.#finished || !text.startsWith(this.#text)) this.#reset();
    this.#text = text;
    try {
      this.#seal(text.slice(this.#sealedUpTo));
      this.#renderTail(text.slice(this.#sealedUpTo));
    } catch {
      // Only reachable if marked throws outside a block (renderMarkdown catches per block).
      this.#plainTail = true;
      this.#renderTail(text.slice(this.#sealedUpTo));
    }
  }

  #seal(rest: string): void {
    // No block ends without a line break: search again only when one arrived since the last
    // search (a break just before it may be what now ends a block), and not while backing off.
    const newLine = rest.indexOf('\n', Math.max(0, this.#sealTriedAt - 2)) !== -1;
    if (!newLine || rest.length < this.#sealBackoff) return;
    this.#sealTriedAt = rest.length;
    if (!maySeal(rest)) return;
    const started = performance.now();
    this.parsedChars += rest.length;
    const { cut, splitList, links } = sealPoint(rest);
    if (performance.now() - started > WATCHDOG_MS) {
      this.#plainTail = true;
      this.#sealBackoff = rest.length * 2;
    }
    if (links) this.#renderWhole = true;
    if (cut > 0) {
      this.parsedChars += cut;
      this.#sealed.append(renderMarkdown(rest.slice(0, cut)));
      this.#sealedUpTo += cut;
      // The tail now starts elsewhere: a plain tail's blocks start over.
      this.#plain = NO_BLOCKS;
      this.#plainRoot = null;
      this.#sealTriedAt = rest.length - cut;
      this.#sealBackoff = 0;
      this.sealedBlocks++;
      this.#plainTail = false;
      this.#tailMsPerChar = 0;
      if (splitList) this.#renderWhole = true;
    }
  }

  #renderTail(tail: string): void {
    if (!this.#plainTail && this.#tailMsPerChar * tail.length > TAIL_BUDGET_MS) this.#plainTail = true;
    if (this.#plainTail) {
      this.#renderPlainTail(tail);
      this.#placeCursor();
      return;
    }
    // Only a long, costly update predicts well: a short one is mostly fixed overhead. The frame
    // lays a long tail out whole as well, and for plain prose that costs more than rendering it
    // (100 KB of one paragraph: about 8 ms to render, 25 to lay out, every frame). So a long
    // tail's layout is done here, where it is timed, instead of later in the same frame: first
    // whatever else was waiting for layout (not the tail's cost), then the new tail with its
    // cursor, as the frame would have laid it out.
    const measured = tail.length >= PREDICT_MIN_CHARS;
    if (measured) void this.#tail.offsetHeight;
    const started = performance.now();
    this.parsedChars += tail.length;
    this.#tail.replaceChildren(renderMarkdown(heal(tail)));
    const rendered = performance.now();
    if (rendered - started > WATCHDOG_MS) this.#plainTail = true;
    this.#placeCursor();
    if (!measured) return;
    void this.#tail.offsetHeight;
    const laidOut = performance.now();
    this.layoutMs = laidOut - rendered;
    if (laidOut - started >= PREDICT_MIN_MS) this.#tailMsPerChar = (laidOut - started) / tail.length;
  }

  /**
   * The tail as text, with indentation capped as the markdown render would (hostile indentation
   * can be most of a long tail), in sealed blocks and a live text: only what arrived since the
   * last block is replaced. The tail is capped as one text, so a code fence open across blocks
   * is known in each; a complete line caps the same however much follows it, so sealed blocks
   * stay true to the capped text as it grows, and only the lines new since the last update are
   * capped (GrowingCap); what stays O(tail) per update is a comparison of the text already seen.
   */
  #renderPlainTail(tail: string): void {
    const capped = this.#cap.cap(tail);
    const before = this.#plain;
    const blocks = sealBlocks(before, capped);
    let root = this.#plainRoot;
    let shown = before.sealed.length;
    if (!root || root.parentNode !== this.#tail || !capped.startsWith(before.prefix)) {
      root = plainBlock('');
      this.#plainLive = document.createTextNode('');
      root.append(this.#plainLive);
      this.#tail.replaceChildren(root);
      this.#plainRoot = root;
      shown = 0;
    }
    const live = this.#plainLive!;
    for (const text of blocks.sealed.slice(shown)) {
      const block = document.createElement('span');
      block.className = 'md-plain-block';
      const eol = document.createElement('span');
      eol.className = 'md-eol';
      eol.textContent = EOL;
      block.append(text.slice(0, -1), eol);
      root.insertBefore(block, live);
    }
    live.data = capped.slice(blocks.prefix.length);
    this.#plain = blocks;
  }

  /**
   * Puts the cursor after the last character of the tail: it descends into the last node only
   * while that node is an element (a list item, a paragraph, a bold or code span that ends the
   * text), so text after the last inline element is never left behind the cursor.
   */
  #placeCursor(): void {
    // A plain tail's text ends in its live text, after its blocks (whose last line break is
    // hidden): the cursor goes at the end, never into a block.
    if (this.#plainTail && this.#plainRoot?.parentNode === this.#tail) {
      this.#plainRoot.append(this.#cursor);
      return;
    }
    this.#cursor.remove();
    let el: Element = this.#tail;
    for (;;) {
      const last = lastMeaningfulNode(el);
      if (!(last instanceof Element) || NO_CURSOR_INSIDE.has(last.tagName)) break;
      el = last;
    }
    el.append(this.#cursor);
  }

  /**
   * The stream ended: the final render, with no cursor. Its DOM is exactly what a one-shot
   * render of `text` gives (a fresh view's finish): every block in the sealed container.
   */
  finish(text: string): void {
    this.layoutMs = 0;
    if (this.#finished && text === this.#text) return;
    const fresh = this.#finished || !text.startsWith(this.#text);
    const tail = fresh ? text : text.slice(this.#sealedUpTo);
    if (fresh || this.#renderWhole || hasDefinitions(tail)) {
      const parsed = this.parsedChars;
      this.#reset();
      this.parsedChars = parsed + text.length;
      this.#sealed.append(renderMarkdown(text));
    } else {
      // Sealed blocks stay where they are; the tail's final blocks join them. Nothing moves.
      this.parsedChars += tail.length;
      this.#sealed.append(renderMarkdown(tail));
    }
    this.#tail.replaceChildren();
    this.#text = text;
    this.#sealedUpTo = text.length;
    this.#finished = true;
  }
}
