/**
 * bench/results.json holds one section per benchmark file, so running one benchmark replaces its
 * own figures and keeps the others'.
 */
import { readFile, writeFile } from 'node:fs/promises';

const FILE = 'bench/results.json';

export async function saveResults(section: string, data: unknown): Promise<void> {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(await readFile(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // No file yet, or one from before sections: start afresh.
  }
  all[section] = { date: new Date().toISOString(), ...(data as object) };
  await writeFile(FILE, `${JSON.stringify(all, null, 2)}\n`);
}
