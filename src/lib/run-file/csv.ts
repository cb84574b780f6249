/**
 * The CSV of chunk arrivals: the one writer behind the saved-runs panel's "CSV of …" (one run)
 * and the arrival chart's "Download CSV" (every series it shows). Each picks its columns; how a
 * row is computed and how a cell is written is decided here only (a race's CSV, race.ts, writes
 * its cells with `csvCell`).
 *
 * Invariants:
 * - One row per content chunk, in order: index from 0, t_ms since t0 and gap_ms to the previous
 *   chunk of the same series rounded to 0.001 ms, gap_ms empty on a series' first chunk.
 * - Every text cell is quoted, and a leading = + - @ tab or CR is neutralised (prefixed with ')
 *   so spreadsheets never run it. Lines end with \n, the last one too.
 * - A run with reasoning or tool calls gets one more column at the end, `kind` (answer, reasoning
 *   or tool), and its answer rows come first, then reasoning, then tool-call argument pieces; each
 *   kind has its own indexes and gaps. A run without them is written exactly as before (no kind).
 */
import type { ExportedRun } from './format';

/** What a chunk carried: answer text (content), reasoning text or tool-call arguments. */
export type ChunkKind = 'answer' | 'reasoning' | 'tool';

/** A named list of chunks, as the chart shows one; `kind` when a run's chunks are told apart. */
export interface CsvSeries {
  label: string;
  chunks: readonly { t: number; text: string }[];
  kind?: ChunkKind;
}

type Column = 'series' | 'index' | 't_ms' | 'gap_ms' | 'chars' | 'text' | 'kind';
type Cell = string | number | null;

/** Columns of one run's CSV (saved runs). */
const RUN_COLUMNS: readonly Column[] = ['index', 't_ms', 'gap_ms', 'chars', 'text'];
/** Columns of the chart's CSV: every series it shows, told apart by label. */
const SERIES_COLUMNS: readonly Column[] = ['series', 'index', 't_ms', 'gap_ms', 'text'];

/** A CSV cell: text quoted and neutralised, a number as written, null empty. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

function arrivalsCsv(series: readonly CsvSeries[], baseColumns: readonly Column[]): string {
  const columns = series.some((s) => s.kind !== undefined && s.kind !== 'answer')
    ? [...baseColumns, 'kind' as const]
    : baseColumns;
  const lines = [columns.join(',')];
  for (const { label, chunks, kind = 'answer' } of series) {
    chunks.forEach((c, i) => {
      const prev = chunks[i - 1];
      const cells: Record<Column, Cell> = {
        series: label,
        index: i,
        t_ms: +c.t.toFixed(3),
        gap_ms: prev ? +(c.t - prev.t).toFixed(3) : null,
        chars: c.text.length,
        text: c.text,
        kind,
      };
      lines.push(columns.map((column) => csvCell(cells[column])).join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/**
 * One run as CSV: `index,t_ms,gap_ms,chars,text`, one row per content chunk; with reasoning or
 * tool calls, then a row per reasoning chunk and per tool-argument piece, and a `kind` column.
 */
export function runToCsv(run: ExportedRun): string {
  const kinds: CsvSeries[] = [
    { label: run.lab, chunks: run.chunks, kind: 'answer' },
    { label: run.lab, chunks: run.reasoning?.chunks ?? [], kind: 'reasoning' },
    { label: run.lab, chunks: run.toolChunks ?? [], kind: 'tool' },
  ];
  return arrivalsCsv(
    kinds.filter((k) => k.kind === 'answer' || k.chunks.length),
    RUN_COLUMNS,
  );
}

/**
 * Several series as one CSV: `series,index,t_ms,gap_ms,text`, each series' rows in turn; a `kind`
 * column at the end when any series is reasoning or tool arguments.
 */
export function seriesToCsv(series: readonly CsvSeries[]): string {
  return arrivalsCsv(series, SERIES_COLUMNS);
}
