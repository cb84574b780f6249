/**
 * ParseWatch: the JSON streams of one run (one per tool-call index, or the structured answer),
 * each parsed two ways on every delta — the incremental parser and the naive heal-and-reparse —
 * with what each read and how long it took.
 *
 * Invariants: both parsers see every delta as it arrives (from RunState's onEvent, not the batched
 * text); the views and totals are published to `$state` at most once per animation frame.
 */
import { PartialJsonParser, naiveParse, type JsonError, type JsonPath } from '../../lib/json/partial-json';
import { prettyLines, type PrettyLine } from './pretty';

/** What parsing one stream (or all of them) cost so far. */
export interface ParseCost {
  deltas: number;
  /** Characters received. */
  received: number;
  /** Characters the incremental parser examined (its operation counter). */
  incrementalChars: number;
  incrementalMs: number;
  /** Characters the naive approach read: the whole buffer, once per delta. */
  naiveChars: number;
  naiveMs: number;
}

export type StreamKey = number | 'content';

export interface ParsedView {
  /** The tool call's index, or 'content' for a structured answer. */
  key: StreamKey;
  lines: PrettyLine[];
  path: JsonPath;
  done: boolean;
  error: JsonError | null;
  cost: ParseCost;
}

const zero = (): ParseCost => ({
  deltas: 0,
  received: 0,
  incrementalChars: 0,
  incrementalMs: 0,
  naiveChars: 0,
  naiveMs: 0,
});

function add(into: ParseCost, c: ParseCost): void {
  into.deltas += c.deltas;
  into.received += c.received;
  into.incrementalChars += c.incrementalChars;
  into.incrementalMs += c.incrementalMs;
  into.naiveChars += c.naiveChars;
  into.naiveMs += c.naiveMs;
}

interface Tracked {
  parser: PartialJsonParser;
  buffer: string;
  cost: ParseCost;
}

// Both parsers' code is loaded and run once here, so the first timed delta does not pay for it.
const WARM_UP = '{"a": [1.5e2, "b\\n", true, null, {}]}';
new PartialJsonParser().push(WARM_UP);
naiveParse(WARM_UP);

const nextFrame: (cb: () => void) => void =
  typeof requestAnimationFrame === 'function'
    ? (cb) => requestAnimationFrame(() => cb())
    : (cb) => setTimeout(cb, 16);

export class ParseWatch {
  #views = $state.raw<ParsedView[]>([]);
  #total = $state.raw<ParseCost>(zero());
  // Plain on purpose: every delta lands here, and views are published from it once per frame.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #tracked = new Map<StreamKey, Tracked>();
  #scheduled = false;
  /** Bumped by reset, so a frame scheduled for an older run publishes nothing. */
  #generation = 0;

  /** One view per stream, in the order each began. */
  get views(): ParsedView[] {
    return this.#views;
  }
  get total(): ParseCost {
    return this.#total;
  }

  reset(): void {
    this.#generation++;
    this.#tracked.clear();
    this.#scheduled = false;
    this.#views = [];
    this.#total = zero();
  }

  /** Parses the next piece of stream `key` both ways, timing each. */
  push(key: StreamKey, delta: string): void {
    let tracked = this.#tracked.get(key);
    if (!tracked) {
      tracked = { parser: new PartialJsonParser(), buffer: '', cost: zero() };
      this.#tracked.set(key, tracked);
      this.#schedule();
    }
    if (!delta) return; // a call's first piece may carry only its id and name
    const { parser, cost } = tracked;
    const ops = parser.operations;
    let started = performance.now();
    parser.push(delta);
    void parser.value;
    cost.incrementalMs += performance.now() - started;
    cost.incrementalChars += parser.operations - ops;

    tracked.buffer += delta;
    started = performance.now();
    naiveParse(tracked.buffer);
    cost.naiveMs += performance.now() - started;
    cost.naiveChars += tracked.buffer.length;

    cost.deltas++;
    cost.received += delta.length;
    this.#schedule();
  }

  /** The stream is over: a complete run holds each document to being finished. */
  end(complete: boolean): void {
    if (complete) for (const { parser } of this.#tracked.values()) parser.end();
    this.flush();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const generation = this.#generation;
    nextFrame(() => {
      if (generation === this.#generation) this.flush();
    });
  }

  /** Publishes the current views and totals (pretty-printing is per frame, not per delta). */
  flush(): void {
    this.#scheduled = false;
    const total = zero();
    this.#views = [...this.#tracked].map(([key, { parser, cost }]) => {
      add(total, cost);
      return {
        key,
        lines: prettyLines(parser.value, parser.path, parser.done),
        path: parser.path,
        done: parser.done,
        error: parser.error,
        cost: { ...cost },
      };
    });
    this.#total = total;
  }
}
