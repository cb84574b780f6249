/**
 * The event lifecycle of one Responses stream, read from its wire log: one row per output item
 * and per content or summary part, each with its marks (added, done, the done event that repeats
 * the full text) and a band for its deltas; the response's own created and final events on the
 * same time axis; and the list of events a screen reader gets instead of the drawing.
 *
 * Invariants:
 * - Built from the frames the wire tap recorded, never from StreamEvents: what is drawn is what
 *   was sent, including events the engine skips (unknown types stay in the event list).
 * - Each frame's JSON is parsed once however often the lifecycle is rebuilt while the log grows
 *   (frames never change once recorded), and nothing here runs per event: a view rebuilds it at
 *   most once per animation frame.
 * - Deltas never become rows or marks of their own: one band per row, with its count and its
 *   first and last times. In the event list a run of deltas on one row is one entry.
 * - Never throws, whatever the frames hold.
 */
import { eventType } from '../../lib/engine/frame-label';
import type { WireFrame } from '../../lib/engine/wire';

/** A point on a row: an event that is not a delta. */
export interface LifecycleMark {
  t: number;
  /** The event type without its `response.` prefix: "output_item.added", "output_text.done". */
  name: string;
}

export interface LifecycleRow {
  /** `0` for output item 0, `0.c1` for its content part 1, `0.s0` for its summary part 0. */
  key: string;
  /** An item ("message msg_…") or a part ("output_text, part 0") in words. */
  label: string;
  /** 0 for an output item, 1 for one of its parts. */
  depth: 0 | 1;
  marks: LifecycleMark[];
  deltas: { count: number; first: number; last: number } | null;
}

/** One line of the text alternative: an event, or a run of deltas on one row. */
export interface LifecycleEntry {
  /** The event's full type, as sent. */
  type: string;
  t: number;
  /** The last time of a run of deltas (equal to `t` for a single event). */
  until: number;
  /** How many events the entry stands for (deltas in a run; 1 otherwise). */
  count: number;
  /** First sequence number of the entry, when the event had one. */
  seq: number | null;
  /** The row it belongs to, when it names an output item. */
  row: string | null;
}

export interface Lifecycle {
  /** When response.created arrived (ms since t0). */
  created: number | null;
  /** The event that ended the response: completed, incomplete, failed or error. */
  end: LifecycleMark | null;
  rows: LifecycleRow[];
  entries: LifecycleEntry[];
  /** The last event's time: the right end of the shared axis. */
  lastMs: number;
}

const FINAL = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

interface Parsed {
  type: string | null;
  data: Record<string, unknown> | null;
}

const parsed = new WeakMap<WireFrame, Parsed>();

/** A frame's event type and its JSON object, worked out once per frame. */
function parse(frame: WireFrame): Parsed {
  let p = parsed.get(frame);
  if (p) return p;
  let data: unknown = null;
  try {
    data = JSON.parse(frame.data);
  } catch {
    // Not JSON: the type may still be known from the event: line.
  }
  p = {
    type: eventType(frame),
    data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null,
  };
  parsed.set(frame, p);
  return p;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** "msg_67ab…9f" for a long id; short ids as they are. */
export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/** The row key and depth an event belongs to, from its output_index and part index. */
function rowOf(data: Record<string, unknown>): { key: string; depth: 0 | 1; part: string | null } | null {
  const item = num(data.output_index);
  if (item === null) return null;
  const summary = num(data.summary_index);
  if (summary !== null) return { key: `${item}.s${summary}`, depth: 1, part: `summary part ${summary}` };
  const content = num(data.content_index);
  if (content !== null) return { key: `${item}.c${content}`, depth: 1, part: `part ${content}` };
  return { key: String(item), depth: 0, part: null };
}

/** Orders rows by item, then its parts (content before summary parts, each by index). */
function compareKeys(a: string, b: string): number {
  const [ai = 0, ap = ''] = a.split('.');
  const [bi = 0, bp = ''] = b.split('.');
  if (Number(ai) !== Number(bi)) return Number(ai) - Number(bi);
  if (ap === bp) return 0;
  if (ap === '' || bp === '') return ap === '' ? -1 : 1;
  if (ap[0] !== bp[0]) return ap < bp ? -1 : 1;
  return Number(ap.slice(1)) - Number(bp.slice(1));
}

/** The lifecycle of the Responses stream whose frames are `frames` (a WireLog's, in order). */
export function lifecycle(frames: readonly WireFrame[]): Lifecycle {
  const rows = new Map<string, LifecycleRow>();
  const entries: LifecycleEntry[] = [];
  let created: number | null = null;
  let end: LifecycleMark | null = null;
  let lastMs = 0;

  for (const frame of frames) {
    const { type, data } = parse(frame);
    if (type === null) continue;
    const t = frame.t;
    lastMs = Math.max(lastMs, t);
    const d = data ?? {};
    const seq = num(d.sequence_number);
    const place = rowOf(d);
    const isDelta = type.endsWith('.delta');

    if (type === 'response.created' && created === null) created = t;
    if (FINAL.has(type) && end === null) end = { t, name: type.replace(/^response\./, '') };

    if (place) {
      let row = rows.get(place.key);
      if (!row) {
        row = {
          key: place.key,
          label: place.part ?? `item ${place.key}`,
          depth: place.depth,
          marks: [],
          deltas: null,
        };
        rows.set(place.key, row);
      }
      // The added events name what the row is: the item's type and id, the part's type.
      const item = obj(d.item);
      const part = obj(d.part);
      if (type === 'response.output_item.added' && item.type)
        row.label = `${str(item.type)}${item.id ? ` ${shortId(str(item.id))}` : ''}`;
      else if (type.endsWith('part.added') && part.type) row.label = `${str(part.type)}, ${place.part}`;
      if (isDelta) {
        row.deltas = row.deltas
          ? { count: row.deltas.count + 1, first: row.deltas.first, last: t }
          : { count: 1, first: t, last: t };
      } else {
        row.marks.push({ t, name: type.replace(/^response\./, '') });
      }
    }

    const previous = entries.at(-1);
    if (isDelta && previous && previous.type === type && previous.row === (place?.key ?? null)) {
      previous.count += 1;
      previous.until = t;
    } else {
      entries.push({ type, t, until: t, count: 1, seq, row: place?.key ?? null });
    }
  }

  return {
    created,
    end,
    rows: [...rows.values()].sort((a, b) => compareKeys(a.key, b.key)),
    entries,
    lastMs,
  };
}
