/**
 * A plain text shown as sealed blocks and a live tail (StreamOutput's plain answer, and the
 * markdown view's tail while it shows as text). A block is sealed once at least
 * BLOCK_CHARS have arrived after the last seal and a line break follows them; it ends just after
 * that line break and is never re-rendered, so a new chunk lays out only the tail, not the whole
 * answer (one text node of a 100,000-token answer made every frame re-lay out all of it).
 * A block never ends with two line breaks, and its last line break is drawn by the block's own
 * end: the character itself sits in a `display: none` span. So the blocks look, read
 * (textContent) and copy (innerText, a selection) exactly like the text; a visible trailing line
 * break would add a line to every copy, and a block ending in a blank line would lose it.
 */
export const BLOCK_CHARS = 2048;
/** A sealed block's last line break, kept in the text but drawn by the block's end. */
export const EOL = '\n';

export interface Blocks {
  /** The sealed blocks, in order. */
  sealed: readonly string[];
  /** What they hold, joined: the text up to the tail. */
  prefix: string;
}

export const NO_BLOCKS: Blocks = { sealed: [], prefix: '' };

/**
 * `text` split into sealed blocks and a tail, going on from `before` when `text` extends what it
 * sealed (only the new part is scanned for a seal), else from scratch.
 */
export function sealBlocks(before: Blocks, text: string): Blocks {
  const from = text.startsWith(before.prefix) ? before : NO_BLOCKS;
  const added: string[] = [];
  let cut = from.prefix.length;
  for (let nl = text.indexOf('\n', cut + BLOCK_CHARS); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    // A line break after a line break starts the next block (as its leading empty line).
    if (text[nl - 1] === '\n') continue;
    added.push(text.slice(cut, nl + 1));
    cut = nl + 1;
    nl = cut + BLOCK_CHARS - 1;
  }
  if (!added.length) return from;
  return { sealed: [...from.sealed, ...added], prefix: text.slice(0, cut) };
}

/** sealBlocks with a memory: each call goes on from the blocks the last call returned. */
export function blockSealer(): (text: string) => Blocks {
  let last = NO_BLOCKS;
  return (text) => (last = sealBlocks(last, text));
}
