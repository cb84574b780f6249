/**
 * The naive live render, kept to be measured against: the notebook's clear-and-redraw loop
 * (`clear_output(wait=True); display(Markdown(full))` on every chunk). Every update parses,
 * sanitizes and inserts the whole text again.
 *
 * Invariants:
 * - It goes through the same sanitizer as everything else (renderMarkdown): hostile output is
 *   exactly as harmless here as in the real view.
 * - It stops re-rendering (`paused`) once the text passes NAIVE_CAP_CHARS or one render of a
 *   text of some length takes longer than NAIVE_BUDGET_MS, so it cannot slow the page to a crawl on a long answer; the
 *   view then keeps its last render until finish().
 * - finish() always renders the whole final text once, with no cursor: the same DOM a one-shot
 *   render gives, so the final text equals the incremental view's.
 * - `parsedChars` counts every character handed to the parser.
 */
import { renderMarkdown } from './sanitize';

/** Past this many characters the naive view stops re-rendering until the stream ends. */
export const NAIVE_CAP_CHARS = 20_000;
/** A single naive render slower than this pauses it too (a frame is ~16 ms)… */
export const NAIVE_BUDGET_MS = 50;
/** …once the text is this long: a short render's time is mostly warm-up (first parse, first sanitize). */
const SLOW_MIN_CHARS = 4_000;

/** What one update of a live markdown view cost (MarkdownView reports it through `oncost`). */
export interface RenderCost {
  /** Time spent parsing, sanitizing and inserting, in ms. */
  ms: number;
  /** Characters handed to the markdown parser. */
  chars: number;
  /** The stream had ended: this was the final render. */
  final: boolean;
  /** The naive view stopped re-rendering (too long, or one render too slow). */
  paused: 'size' | 'slow' | null;
}

export class NaiveMarkdown {
  readonly #root: HTMLElement;
  #cursor: HTMLElement;
  /** Characters handed to the markdown parser so far. */
  parsedChars = 0;
  /** Why it stopped re-rendering during the current (or last) stream, or null if it never did. */
  paused: 'size' | 'slow' | null = null;
  #finished: string | null = null;

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#cursor = document.createElement('span');
    this.#cursor.className = 'cursor';
    this.#cursor.setAttribute('aria-hidden', 'true');
    this.#cursor.textContent = '▌';
  }

  /** Clears the view and draws all of `text` again, with a cursor at the end. */
  update(text: string): void {
    if (this.#finished !== null) {
      this.#finished = null;
      this.paused = null;
    }
    if (this.paused) return;
    if (text.length > NAIVE_CAP_CHARS) {
      this.paused = 'size';
      return;
    }
    const started = performance.now();
    this.#draw(text);
    let el: Element = this.#root;
    while (el.lastElementChild && !['BR', 'HR', 'INPUT', 'TABLE'].includes(el.lastElementChild.tagName))
      el = el.lastElementChild;
    el.append(this.#cursor);
    if (performance.now() - started > NAIVE_BUDGET_MS && text.length >= SLOW_MIN_CHARS) this.paused = 'slow';
  }

  /** The final render: all of `text`, no cursor. `paused` still tells how the stream went. */
  finish(text: string): void {
    if (this.#finished === text) return;
    this.#draw(text);
    this.#finished = text;
  }

  #draw(text: string): void {
    this.parsedChars += text.length;
    this.#root.replaceChildren(renderMarkdown(text));
  }
}
