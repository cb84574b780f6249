/**
 * Incremental markdown rendering for a growing text: sealed blocks and a live tail.
 *
 * Invariants:
 * - A sealed block is parsed, sanitized and inserted once and never touched again. A block is
 *   sealed when a blank line follows it and another block has started after that, it is not
 *   inside an open code fence, and it is not a list (a list may go on after a blank line).
 * - Only the tail is re-lexed and re-rendered on update, healed so half-written markup displays
 *   sensibly. If rendering the tail takes longer than WATCHDOG_MS (marked has quadratic
 *   emphasis cases), that block is shown as plain text until it is sealed.
 * - finish() leaves a DOM equal to a full render of the text. When the text has link reference
 *   definitions (the one construct by which later text changes earlier blocks) it renders the
 *   whole text once; otherwise it appends the tail's final blocks to the sealed ones. Either
 *   way the DOM is that of a one-shot render, without re-parsing or moving the answer.
 * - The text must grow by appending; anything else starts over.
 */
import { heal } from './heal';
import { lexBlocks, renderMarkdown } from './sanitize';

const WATCHDOG_MS = 50;

/** `[label]: destination` (and footnote-style `[^1]:`) at the start of a line. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/** Length of the prefix of `text` made of blocks that can no longer change. */
function sealPoint(text: string): number {
  const tokens = lexBlocks(text);
  let offset = 0;
  let cut = 0;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i]!;
    offset += token.raw.length;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (token.type === 'space' && prev && prev.type !== 'list' && next && next.type !== 'space') cut = offset;
  }
  // marked normalises some input (e.g. \r\n); only trust offsets that match the text exactly.
  const raw = tokens.map((t) => t.raw).join('');
  return text.startsWith(raw.slice(0, cut)) ? cut : 0;
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
  /** After finish() the wrappers are gone: the next update starts over. */
  #finished = false;
  /** How many blocks were sealed; exposed for tests and the benchmark. */
  sealedBlocks = 0;

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
    this.#finished = false;
    this.sealedBlocks = 0;
  }

  /** Shows `text` while it is still streaming, with a cursor at the end. */
  update(text: string): void {
    if (this.#finished || !text.startsWith(this.#text)) this.#reset();
    this.#text = text;
    const rest = text.slice(this.#sealedUpTo);
    const cut = sealPoint(rest);
    if (cut > 0) {
      this.#sealed.append(renderMarkdown(rest.slice(0, cut)));
      this.#sealedUpTo += cut;
      this.sealedBlocks++;
      this.#plainTail = false;
    }
    this.#renderTail(text.slice(this.#sealedUpTo));
  }

  #renderTail(tail: string): void {
    if (this.#plainTail) {
      const pre = document.createElement('pre');
      pre.className = 'md-plain';
      pre.textContent = tail;
      this.#tail.replaceChildren(pre);
    } else {
      const started = performance.now();
      this.#tail.replaceChildren(renderMarkdown(heal(tail)));
      if (performance.now() - started > WATCHDOG_MS) this.#plainTail = true;
    }
    this.#placeCursor();
  }

  #placeCursor(): void {
    let el: Element = this.#tail;
    while (
      el.lastElementChild &&
      !['BR', 'HR', 'INPUT', 'TABLE', 'BUTTON'].includes(el.lastElementChild.tagName)
    ) {
      el = el.lastElementChild;
    }
    el.append(this.#cursor);
  }

  /**
   * The stream ended: the final render, with no cursor. Its DOM is exactly what a one-shot
   * render of `text` gives (a fresh view's finish): every block in the sealed container.
   */
  finish(text: string): void {
    if (this.#finished && text === this.#text) return;
    if (this.#finished || !text.startsWith(this.#text) || REFERENCE_DEFINITION.test(text)) {
      this.#reset();
      this.#sealed.append(renderMarkdown(text));
    } else {
      // Sealed blocks stay where they are; the tail's final blocks join them. Nothing moves.
      this.#sealed.append(renderMarkdown(text.slice(this.#sealedUpTo)));
    }
    this.#tail.replaceChildren();
    this.#text = text;
    this.#sealedUpTo = text.length;
    this.#finished = true;
  }
}
