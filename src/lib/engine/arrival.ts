/**
 * Arrival times that travel with the bytes they describe.
 *
 * The network worker takes the time of each body chunk as it comes off the network; the page-side
 * worker fetch puts that time on the very Uint8Array it hands to the Response body, and returns a
 * TimedResponse that knows when its request was sent and its headers arrived. A ReadableStream
 * hands its chunk objects to the reader unchanged, so whoever reads the body gets each time
 * together with its bytes: nothing is matched by position or kept in a table beside the stream.
 *
 * Invariants: all times are on this page's performance.now() clock. A chunk with no stamp (plain
 * fetch, the simulator, a wrapper that copied the bytes) is timed when it is read, so a time is
 * never missing, only less exact.
 */

const ARRIVED = Symbol('arrivedAt');
type Stamped = Uint8Array & { [ARRIVED]?: number };

/** Marks `bytes` as having arrived at `at`; returns the same array. */
export function stampArrival<T extends Uint8Array>(bytes: T, at: number): T {
  (bytes as Stamped)[ARRIVED] = at;
  return bytes;
}

export interface TimedRead {
  bytes: Uint8Array;
  /** When the bytes arrived: their stamp, else the moment this read resolved. */
  at: number;
}

/** One read of a body with its arrival time, or null once the body is done. */
export async function readTimed(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<TimedRead | null> {
  const { done, value } = await reader.read();
  if (done) return null;
  return { bytes: value, at: (value as Stamped)[ARRIVED] ?? performance.now() };
}

/** A Response that knows when its request went out and when its headers came back. */
export class TimedResponse extends Response {
  constructor(
    body: BodyInit | null,
    init: ResponseInit,
    readonly sentAt: number,
    readonly headersAt: number,
  ) {
    super(body, init);
  }
}
