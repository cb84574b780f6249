/**
 * Pure helpers for the generate lab: how many leading tokens of an answer only repeat the prompt,
 * and where a token's detail panel goes so that it stays inside the viewport.
 */

/**
 * How many leading tokens of `tokens` spell exactly the prompt (ignoring whitespace at the
 * prompt's end), or 0 when they do not. A boundary that falls inside a token counts as no
 * repeat, so nothing the model wrote beyond the prompt is ever hidden.
 */
export function echoedTokens(tokens: readonly string[], prompt: string): number {
  const target = prompt.trimEnd();
  if (!target) return 0;
  let text = '';
  for (let i = 0; i < tokens.length; i++) {
    text += tokens[i];
    if (text === target) return i + 1;
    if (!target.startsWith(text)) return 0;
  }
  return 0;
}

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

/**
 * Where a panel of `size` goes next to `anchor` (both in viewport pixels): below it when it fits,
 * above it when it fits there instead, and otherwise on the side with more room; then clamped so
 * it stays inside `viewport` with `margin` to spare wherever it is not larger than the viewport.
 */
export function placePanel(
  anchor: Box,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  gap = 6,
  margin = 8,
): { top: number; left: number } {
  const below = anchor.top + anchor.height + gap;
  const above = anchor.top - gap - size.height;
  const fitsBelow = below + size.height <= viewport.height - margin;
  const fitsAbove = above >= margin;
  const roomBelow = viewport.height - (anchor.top + anchor.height);
  let top = fitsBelow ? below : fitsAbove ? above : roomBelow >= anchor.top ? below : above;
  top = Math.max(margin, Math.min(top, viewport.height - margin - size.height));
  let left = anchor.left;
  left = Math.max(margin, Math.min(left, viewport.width - margin - size.width));
  return { top, left };
}
