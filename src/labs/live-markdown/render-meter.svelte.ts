/**
 * What a live markdown view has spent rendering during one stream: total time, p95 per update,
 * characters parsed, and whether it paused. Fed by MarkdownView's `oncost` (from inside the
 * view's effect, so `add` only writes reactive state, never reads it); a streaming update after
 * a final render starts a new stream's figures.
 */
import type { RenderCost } from '../../lib/markdown/naive';
import { percentile } from '../../lib/metrics/metrics';

export interface RenderFigures {
  updates: number;
  totalMs: number;
  p95Ms: number;
  chars: number;
  paused: RenderCost['paused'];
}

const NONE: RenderFigures = { updates: 0, totalMs: 0, p95Ms: 0, chars: 0, paused: null };

export class RenderMeter {
  #samples: number[] = [];
  #totalMs = 0;
  #chars = 0;
  #ended = true;
  #figures = $state.raw<RenderFigures>(NONE);

  /** Records one update's cost. */
  add = (cost: RenderCost): void => {
    if (!cost.final && this.#ended) {
      this.#samples = [];
      this.#totalMs = 0;
      this.#chars = 0;
    }
    this.#ended = cost.final;
    if (cost.final && cost.chars === 0) return; // nothing was rendered (the view was already final)
    this.#samples.push(cost.ms);
    this.#totalMs += cost.ms;
    this.#chars += cost.chars;
    this.#figures = {
      updates: this.#samples.length,
      totalMs: this.#totalMs,
      p95Ms: percentile(
        [...this.#samples].sort((a, b) => a - b),
        95,
      ),
      chars: this.#chars,
      paused: cost.paused,
    };
  };

  /** The figures so far (reactive). */
  get current(): RenderFigures {
    return this.#figures;
  }
}
