/**
 * The event-aligned split, a speed workaround for the SDK: its SSE reader copies the rest of its
 * buffer after every event it finds, which is quadratic when one read carries hundreds of events
 * (a 100,000-token answer arrives in a few large reads). Handing it pieces of a few events each
 * keeps that copying bounded, and keeps its per-piece costs (a stream read, a buffer allocation)
 * shared by several events: one event per piece spent more in the stream's async iteration than
 * in everything else the SDK does with the event.
 *
 * Invariants: the pieces are views of the read's memory, in order, and together hold every byte
 * exactly once; each piece but the last ends at an event boundary (\n\n, \r\r, \r\n\r\n), which
 * changes nothing the SDK yields (tests/unit/sse-conformance.test.ts); a piece ends at the first
 * boundary at or past `minBytes` from its start, so it holds one event more than fits under
 * `minBytes` at most. The pieces come one at a time, so the tap can hand a large read over in
 * slices, between other work.
 */
export function* splitEvents(bytes: Uint8Array, minBytes = 0): Generator<Uint8Array, void, undefined> {
  let start = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i];
    // \n\n, or \r\r, or the second \n of \r\n\r\n.
    const boundary =
      (b === 10 && bytes[i - 1] === 10) ||
      (b === 13 && bytes[i - 1] === 13 && bytes[i + 1] !== 10) ||
      (b === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13);
    if (boundary && i + 1 - start >= minBytes) {
      yield bytes.subarray(start, i + 1);
      start = i + 1;
    }
  }
  if (start < bytes.length) yield bytes.subarray(start);
}
