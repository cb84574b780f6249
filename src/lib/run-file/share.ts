/**
 * Sharing a run without a server: the run file itself, compressed into a link's hash
 * (`#/shared/<payload>`, share-route.ts). Nothing leaves the browser until the learner sends the
 * link; the page that opens it reads the run back from its own address.
 *
 * Payload format 1: `1.` then base64url (no padding) of the run file's UTF-8 JSON compressed
 * with deflate-raw (CompressionStream). The leading number is the format's version: a newer
 * format gets a new number, and a reader says so instead of misreading it.
 *
 * Invariants:
 * - What is shared is the run as Import would read it (parse.ts readRun): no field the format
 *   does not name (no key, no header), every base URL — the request's and each race lane's,
 *   profile and run — through publicURL (no user, password, query or fragment).
 * - A payload is read back through the same checks as an imported file, its inflated size capped
 *   at MAX_IMPORT_BYTES (a small link cannot expand into a huge run), and every failure is an
 *   Error whose message says what to do.
 * - SHARE_LIMIT bounds the whole link: 16,000 characters. Browsers take far longer hashes
 *   (Chromium about 2 MB), but a link has to survive being pasted: chat apps cap a message (Slack
 *   at 40,000 characters, Teams at about 28 KB, Discord at 2,000) and mail clients wrap or cut
 *   long lines. 16,000 holds a typical run of a few hundred tokens with every chunk's timing, and a
 *   larger run is better sent as its JSON file.
 */
import type { ExportedRun } from './format';
import { MAX_IMPORT_BYTES, MAX_IMPORT_CHUNKS, readRun } from './parse';
import { SHARE_ROUTE } from './share-route';

/** The payload format this version writes and reads. */
export const SHARE_VERSION = 1;
/** The longest share link offered, in characters (see the module comment for why). */
export const SHARE_LIMIT = 16_000;

export type ShareLink = { ok: true; url: string } | { ok: false; reason: string };

const DAMAGED =
  'This share link is incomplete or damaged: chat apps and mail clients often cut long links. ' +
  "Ask for the whole link again, or for the run's JSON file (Export JSON).";

/**
 * The run as a link may carry it: read as Import reads a file, so nothing secret survives. The run
 * is the app's own, so a benchmark's summaries are kept as computed (no bootstrap per Share click);
 * opening the link recomputes them from the samples.
 */
export function shareableRun(file: ExportedRun): ExportedRun {
  return readRun(JSON.parse(JSON.stringify(file)), Infinity, 'stored');
}

function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error(DAMAGED);
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates at most MAX_IMPORT_BYTES; a truncated or corrupt stream throws DAMAGED. */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_IMPORT_BYTES) {
        void reader.cancel();
        throw new RangeError(
          `This link holds a run of more than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; Streaming Lab opens runs of up to that size.`,
        );
      }
      parts.push(value);
    }
  } catch (error) {
    throw error instanceof RangeError ? error : new Error(DAMAGED, { cause: error });
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The hash payload that carries `file`: `1.` + base64url(deflate-raw(JSON)). */
export async function encodeShare(file: ExportedRun): Promise<string> {
  const json = JSON.stringify(shareableRun(file));
  return `${SHARE_VERSION}.${toBase64url(await deflate(new TextEncoder().encode(json)))}`;
}

/** The run a payload carries, checked as an imported file is; throws an Error saying what to do. */
export async function decodeShare(payload: string): Promise<ExportedRun> {
  const match = /^(\d+)\.(.*)$/s.exec(payload.trim());
  if (!match) throw new Error(`This is not a Streaming Lab share link. ${DAMAGED}`);
  if (match[1] !== String(SHARE_VERSION)) {
    throw new Error(
      `This link was made by another version of Streaming Lab (share format ${match[1]}); this page reads format ${SHARE_VERSION}. Ask for the run's JSON file (Export JSON).`,
    );
  }
  const bytes = await inflate(fromBase64url(match[2] ?? ''));
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new Error(DAMAGED, { cause: error });
  }
  try {
    return readRun(data, MAX_IMPORT_CHUNKS);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`This link's run cannot be opened: ${why}`, { cause: error });
  }
}

/**
 * A link to `file` on the page at `base` (its origin and path, no hash), or why there is none:
 * a link longer than SHARE_LIMIT is refused with its size, pointing to Export JSON.
 */
export async function shareLink(file: ExportedRun, base: string): Promise<ShareLink> {
  const url = `${base}${SHARE_ROUTE}${await encodeShare(file)}`;
  if (url.length <= SHARE_LIMIT) return { ok: true, url };
  const kb = (n: number) => `${Math.ceil(n / 1000)} KB`;
  return {
    ok: false,
    reason: `This run is too large for a link (${kb(url.length)}; a link holds up to ${kb(SHARE_LIMIT)}): use Export JSON and send the file.`,
  };
}
