/**
 * What a live markdown view has spent rendering during one stream: total time, p95 per update,
 * characters parsed, and whether it paused. Fed by MarkdownView's `oncost`; a streaming update
 * after a final render starts a new stream's figures.
 */
import type { RenderCost } from '../../lib/markdown/naive';
import { percentile } from '../../lib/metrics/metrics';

export class RenderMeter {
  #samples = $state.raw<number[]>([]);
  #chars = $state(0);
  #paused = $state<RenderCost['paused']>(null);
  #ended = true;

  /** Records one update's cost. */
  add = (cost: RenderCost): void => {
    if (!cost.final && this.#ended) {
      this.#samples = [];
      this.#chars = 0;
      this.#paused = null;
    }
    this.#ended = cost.final;
    if (cost.final && cost.chars === 0) return; // nothing was rendered (the view was already final)
    this.#samples = [...this.#samples, cost.ms];
    this.#chars += cost.chars;
    this.#paused = cost.paused;
  };

  get updates(): number {
    return this.#samples.length;
  }
  get totalMs(): number {
    return this.#samples.reduce((a, b) => a + b, 0);
  }
  get p95Ms(): number {
    return this.#samples.length
      ? percentile(
          [...this.#samples].sort((a, b) => a - b),
          95,
        )
      : 0;
  }
  get chars(): number {
    return this.#chars;
  }
  get paused(): RenderCost['paused'] {
    return this.#paused;
  }
}
