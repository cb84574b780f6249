/**
 * The partial-JSON benchmark page: feeds a JSON stream delta by delta to (a) the incremental
 * parser and (b) the naive heal-and-reparse, timing each delta on the main thread.
 *
 * A single incremental push is far below the browser clock's resolution, so each delta is pushed
 * into `copies` identical parsers in lockstep and the time divided by `copies` (every copy does
 * the same work). The naive parse depends only on the text so far, so with `sampleEvery` > 1 a
 * uniform sample of the deltas is timed and the total estimated as mean × deltas.
 */
import { PartialJsonParser, naiveParse } from '../../src/lib/json/partial-json';

export interface DeltaRun {
  /** Per timed delta, ms. */
  times: number[];
  /** Sum over every delta (measured, or estimated from the sample), ms. */
  totalMs: number;
  timed: number;
  /** Characters examined: the parser's operation counter, or the buffer lengths re-read. */
  chars: number;
  /** The final value equals JSON.parse of the whole document. */
  correct: boolean;
}

function incremental(deltas: string[], copies: number): DeltaRun {
  const parsers = Array.from({ length: copies }, () => new PartialJsonParser());
  const times: number[] = [];
  let sink: unknown;
  for (const delta of deltas) {
    const started = performance.now();
    for (const p of parsers) {
      p.push(delta);
      sink = p.value;
    }
    times.push((performance.now() - started) / copies);
  }
  const first = parsers[0] as PartialJsonParser;
  void sink;
  return {
    times,
    totalMs: times.reduce((s, t) => s + t, 0),
    timed: times.length,
    chars: first.operations,
    correct: first.done && JSON.stringify(first.value) === JSON.stringify(JSON.parse(deltas.join(''))),
  };
}

function naive(deltas: string[], sampleEvery: number): DeltaRun {
  const times: number[] = [];
  let buffer = '';
  let chars = 0;
  let last: unknown;
  for (let i = 0; i < deltas.length; i++) {
    buffer += deltas[i];
    chars += buffer.length;
    if (i % sampleEvery !== 0 && i !== deltas.length - 1) continue;
    const started = performance.now();
    last = naiveParse(buffer);
    times.push(performance.now() - started);
  }
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  return {
    times,
    totalMs: mean * deltas.length,
    timed: times.length,
    chars,
    correct: JSON.stringify(last) === JSON.stringify(JSON.parse(buffer)),
  };
}

Object.assign(window, { jsonBench: { incremental, naive } });
