/** The generate lab's pure pieces: a repeated prompt, and a detail panel kept in the viewport. */
import { describe, expect, it } from 'vitest';
import { echoedTokens, placePanel } from '../../src/labs/generate/sequence';

describe('echoedTokens', () => {
  it('counts the leading tokens that spell the prompt exactly', () => {
    const tokens = ['The', ' capital', ' of', ' France', ' is', ' Paris', '.'];
    expect(echoedTokens(tokens, 'The capital of France is')).toBe(5);
  });

  it('ignores whitespace the learner left at the end of the prompt', () => {
    expect(echoedTokens(['Hi', ' there', '!'], 'Hi there  ')).toBe(2);
  });

  it('is 0 when the answer does not start with the prompt', () => {
    expect(echoedTokens([' Paris', '.'], 'The capital of France is')).toBe(0);
  });

  it('is 0 when the prompt ends inside a token, so no generated text is hidden', () => {
    expect(echoedTokens(['The', ' capital', ' of', ' Franc', 'eland'], 'The capital of France')).toBe(0);
  });

  it('is 0 for an empty prompt or an answer shorter than the prompt', () => {
    expect(echoedTokens(['a'], '')).toBe(0);
    expect(echoedTokens(['The', ' cap'], 'The capital')).toBe(0);
  });
});

describe('placePanel', () => {
  const viewport = { width: 400, height: 800 };
  const size = { width: 300, height: 200 };

  it('goes below the anchor when it fits', () => {
    expect(placePanel({ top: 100, left: 20, width: 40, height: 20 }, size, viewport)).toEqual({
      top: 126,
      left: 20,
    });
  });

  it('flips above an anchor near the bottom of the viewport', () => {
    const { top } = placePanel({ top: 700, left: 20, width: 40, height: 20 }, size, viewport);
    expect(top).toBe(700 - 6 - 200);
  });

  it('is pulled back inside when the anchor is near the right edge', () => {
    const { left } = placePanel({ top: 100, left: 380, width: 15, height: 20 }, size, viewport);
    expect(left).toBe(400 - 8 - 300);
  });

  it('stays inside a viewport too short for either side', () => {
    const small = { width: 400, height: 300 };
    const { top } = placePanel(
      { top: 140, left: 0, width: 40, height: 20 },
      { width: 100, height: 250 },
      small,
    );
    expect(top).toBeGreaterThanOrEqual(8);
    expect(top + 250).toBeLessThanOrEqual(300 - 8 + 1e-9);
  });
});
