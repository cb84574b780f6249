/**
 * The simulator's stored responses, as OpenAI stores them: every `POST /responses` is kept by its
 * id (the last KEPT of them), with every event frame sent so far and the body reads they went out
 * in, so `GET /responses/{id}` can return the Response object as it stands and, for a background
 * response, `?stream=true&starting_after=N` can replay the events after N and then follow the live
 * ones to the end.
 *
 * Invariants: a response is produced exactly once, whoever reads it. A plain response is produced
 * for the request that created it and stops when that request is aborted or its body cancelled
 * (its stream errors, its status becomes "cancelled"). A background response is produced on its own: aborting any reader,
 * the creating request included, only ends that reader; only `cancel` stops it. The store is shared
 * by every simulator in the page, as one server would be, so a resume through another connection
 * finds the response. A reader sees each frame once, in order, in the reads the producer made
 * (a replayed read keeps only its frames after N).
 */
import { abortError } from './pacing';
import { joined, play, type Answer } from './playback';
import type { ResponsesEncoder } from './respond-responses';

/** How many responses are kept; the oldest is forgotten first. */
export const KEPT = 20;

interface Reader {
  /** A read of frames, the first of which has sequence number `first`. */
  push(frames: Uint8Array[], first: number): void;
  end(error: unknown): void;
}

export class StoredResponse {
  readonly id: string;
  readonly background: boolean;
  readonly #encoder: ResponsesEncoder;
  readonly #reads: Uint8Array[][] = [];
  #sent = 0;
  readonly #readers = new Set<Reader>();
  /** Set once production ends, with the error its readers end on (null: they just close). */
  #ended: { error: unknown } | null = null;
  readonly #stop = new AbortController();
  /** Resolves when production ends, whichever way. */
  readonly done: Promise<void>;

  constructor(
    id: string,
    a: Answer,
    encoder: ResponsesEncoder,
    background: boolean,
    signal: AbortSignal | null,
  ) {
    this.id = id;
    this.background = background;
    this.#encoder = encoder;
    // A plain response stops with the request that created it; a background one only on cancel.
    if (!background) signal?.addEventListener('abort', () => this.cancel(), { once: true });
    this.done = play(a, encoder, this.#stop.signal, (frames) => this.#release(frames)).then(
      () => this.#end(null),
      // Only cancel stops production. A cancelled background response just ends its readers'
      // streams; a plain one's reader errors with the abort, as a cut connection does.
      (error: unknown) => this.#end(background ? null : error),
    );
  }

  /** The Response object as it stands. */
  snapshot(): Record<string, unknown> {
    return this.#encoder.snapshot();
  }

  /** Stops producing the response; unless it had finished, it ends with status "cancelled". */
  cancel(): void {
    this.#encoder.cancel();
    this.#stop.abort();
  }

  #release(frames: Uint8Array[]) {
    this.#reads.push(frames);
    for (const reader of this.#readers) reader.push(frames, this.#sent);
    this.#sent += frames.length;
  }

  #end(error: unknown) {
    this.#ended = { error };
    for (const reader of this.#readers) reader.end(error);
    this.#readers.clear();
  }

  /**
   * The events after sequence number `after` as an SSE body: those sent so far, then the rest as
   * they are produced. Aborting `signal` errors this body only.
   */
  body(after: number, signal: AbortSignal | null): ReadableStream<Uint8Array> {
    let reader: Reader | null = null;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        let open = true;
        const end = (error: unknown) => {
          if (!open) return;
          open = false;
          if (reader) this.#readers.delete(reader);
          if (error) controller.error(error);
          else controller.close();
        };
        const push = (frames: Uint8Array[], first: number) => {
          const fresh = frames.slice(Math.max(0, after + 1 - first));
          if (open && fresh.length) controller.enqueue(joined(fresh));
        };
        let first = 0;
        for (const read of this.#reads) {
          push(read, first);
          first += read.length;
        }
        if (this.#ended) return end(this.#ended.error);
        reader = { push, end };
        this.#readers.add(reader);
        signal?.addEventListener('abort', () => end(abortError()), { once: true });
      },
      cancel: () => {
        if (reader) this.#readers.delete(reader);
        // Its only reader went away: a plain response is not generated for nobody.
        if (!this.background) this.cancel();
      },
    });
  }
}

const stored = new Map<string, StoredResponse>();

/** Keeps `response`, forgetting the oldest beyond KEPT. */
export function keep(response: StoredResponse): void {
  stored.set(response.id, response);
  for (const id of stored.keys()) {
    if (stored.size <= KEPT) break;
    stored.delete(id);
  }
}

export function storedResponse(id: string): StoredResponse | undefined {
  return stored.get(id);
}
