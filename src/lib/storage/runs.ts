/**
 * Saved runs: exported runs (DESIGN.md format) kept in storage, and the checks that let a file
 * from elsewhere be imported safely. An imported run is data only; its text is model output and
 * is rendered as text wherever it is shown.
 */
import type { ExportedRun } from '../state/export';
import type { Storage } from './store';

export interface SavedRun {
  id: string;
  name: string;
  savedAt: number;
  run: ExportedRun;
}

const KEY = 'runs';
const VERSION = 1;

/** Upgrades an older record: each run is re-validated as an import would be; none is dropped silently. */
function upgrade(data: unknown): SavedRun[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((r: Partial<SavedRun>) => {
    try {
      const run = parseExportedRun(JSON.stringify(r?.run ?? r));
      return [
        {
          id: String(r?.id ?? `${Date.now()}-${Math.random()}`),
          name: String(r?.name ?? run.lab),
          savedAt: Number(r?.savedAt ?? 0),
          run,
        },
      ];
    } catch {
      return [];
    }
  });
}

export async function loadRuns(storage: Storage): Promise<SavedRun[]> {
  return (await storage.read<SavedRun[]>(KEY, VERSION, upgrade)) ?? [];
}

export function saveRuns(storage: Storage, runs: SavedRun[]): Promise<void> {
  return storage.write(KEY, VERSION, runs);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): number | null => (isNum(v) ? v : null);

/** Validates an imported file; throws an Error with a message a learner can act on. */
export function parseExportedRun(text: string): ExportedRun {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('This file is not JSON. Import a run exported from Streaming Lab (Export JSON).');
  }
  const d = data as Partial<ExportedRun> & Record<string, unknown>;
  if (typeof d !== 'object' || d === null || d.version !== 1) {
    throw new Error('This is not a Streaming Lab run (version 1). Import a file made by Export JSON.');
  }
  if (!Array.isArray(d.chunks) || !d.chunks.every((c) => isNum(c?.t) && typeof c?.text === 'string')) {
    throw new Error('The run has no valid chunks: each needs a time t (ms) and a text.');
  }
  const m = (d.metrics ?? {}) as Partial<ExportedRun['metrics']>;
  const chunks = d.chunks.map((c) => ({ t: c.t, text: c.text }));
  return {
    version: 1,
    lab: typeof d.lab === 'string' ? d.lab : 'imported',
    startedAt: isNum(d.startedAt) ? d.startedAt : 0,
    request:
      d.request && typeof d.request === 'object' && typeof d.request.model === 'string'
        ? { ...d.request, messages: Array.isArray(d.request.messages) ? d.request.messages : [] }
        : null,
    chunks,
    metrics: {
      ttftMs: numOrNull(m.ttftMs),
      e2eMs: numOrNull(m.e2eMs),
      tpotMs: numOrNull(m.tpotMs),
      chunks: isNum(m.chunks) ? m.chunks : chunks.length,
      chars: isNum(m.chars) ? m.chars : chunks.reduce((n, c) => n + c.text.length, 0),
      promptTokens: numOrNull(m.promptTokens),
      completionTokens: numOrNull(m.completionTokens),
      tokensEstimated: m.tokensEstimated === true,
      gaps: m.gaps ?? null,
    },
    usage: d.usage && isNum(d.usage.completion_tokens) ? d.usage : null,
    finishReason: typeof d.finishReason === 'string' ? d.finishReason : null,
    error:
      d.error && typeof d.error === 'object'
        ? { kind: String(d.error.kind), title: String(d.error.title), detail: String(d.error.detail ?? '') }
        : null,
    text: typeof d.text === 'string' ? d.text : chunks.map((c) => c.text).join(''),
  };
}

/** A CSV cell: quoted, and a leading = + - @ neutralised so spreadsheets never run it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** One row per content chunk: index, time, gap to the previous chunk, and its text. */
export function runToCsv(run: ExportedRun): string {
  const lines = ['index,t_ms,gap_ms,chars,text'];
  run.chunks.forEach((c, i) => {
    const prev = run.chunks[i - 1];
    const gap = prev ? +(c.t - prev.t).toFixed(3) : null;
    lines.push(
      [i, +c.t.toFixed(3), gap, c.text.length, csvCell(c.text)]
        .map((v) => (typeof v === 'string' ? v : csvCell(v)))
        .join(','),
    );
  });
  return lines.join('\n') + '\n';
}
