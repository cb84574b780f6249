/**
 * What temperature does to a choice between alternatives: each alternative's probability is
 * softmax(logprob / T) over the alternatives listed. Pure; no Svelte.
 *
 * Invariants: the result is in the order given and sums to 1 over the listed alternatives (the
 * rest of the vocabulary is not listed, so "at temperature 1" means renormalised over them too,
 * which keeps the two columns comparable). T = 0 means greedy: all weight on the most likely.
 */

export interface Reweighted {
  token: string;
  /** Probability among the listed alternatives at temperature 1. */
  atOne: number;
  /** Probability among the listed alternatives at the chosen temperature. */
  atT: number;
}

/** softmax(logprob / T) over `logprobs`; T ≤ 0 puts everything on the first maximum. */
export function softmaxAt(logprobs: readonly number[], temperature: number): number[] {
  if (!logprobs.length) return [];
  const max = Math.max(...logprobs);
  if (!(temperature > 0)) {
    const first = logprobs.indexOf(max);
    return logprobs.map((_, i) => (i === first ? 1 : 0));
  }
  // Subtract the maximum before exponentiating so a small T cannot overflow.
  const weights = logprobs.map((lp) => Math.exp((lp - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** Each alternative's share at temperature 1 and at `temperature`, for a side-by-side table. */
export function reweight(
  alternatives: readonly { token: string; logprob: number }[],
  temperature: number,
): Reweighted[] {
  const logprobs = alternatives.map((a) => a.logprob);
  const atOne = softmaxAt(logprobs, 1);
  const atT = softmaxAt(logprobs, temperature);
  return alternatives.map((a, i) => ({ token: a.token, atOne: atOne[i] ?? 0, atT: atT[i] ?? 0 }));
}
