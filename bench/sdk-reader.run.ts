/**
 * `npm run bench`: what the openai SDK's SSE reader costs on the main thread for a 100,000-chunk
 * answer, by how the wire tap hands it the body (bench/sdk-reader-page). The SDK copies the rest of
 * its buffer after every event it finds, so a large read costs it quadratic time; one event a piece
 * (the tap until 640fd20) costs it a stream read and a buffer per event; the tap now cuts reads
 * into pieces of at least SDK_PIECE_BYTES of whole events. Sizes are timed in interleaved rounds in
 * one headless Chromium, so a machine that slows down weighs on all of them. Prints the medians and
 * the ratios to one event a piece; writes its section of bench/results.json. Nothing is asserted
 * but correctness.
 */
import { expect, it } from 'vitest';
import { VERSION as SDK_VERSION } from 'openai/version';
import type { Page } from 'playwright-core';
import { percentile } from '../src/lib/metrics/metrics';
import { SDK_PIECE_BYTES } from '../src/lib/engine/wire';
import { launch } from '../tests/e2e/browser';
import { sdkBytes } from '../vite.config';
import type { ReaderRun } from './sdk-reader-page/main';
import { saveResults } from './results';
import { servePage } from './serve-page';

const EVENTS = 100_000;
const ROUNDS = 7;
/** Each read as the network gave it (64 KB): only once, it is the slow one. */
const WHOLE_READS = null;
const SIZES: { label: string; minBytes: number | null; rounds: number }[] = [
  { label: 'one event a piece (the tap before)', minBytes: 0, rounds: ROUNDS },
  {
    label: `≥ ${SDK_PIECE_BYTES} B of whole events (the tap now)`,
    minBytes: SDK_PIECE_BYTES,
    rounds: ROUNDS,
  },
  { label: '≥ 4,096 B of whole events', minBytes: 4096, rounds: ROUNDS },
  { label: '≥ 16,384 B of whole events', minBytes: 16_384, rounds: 3 },
  { label: 'each 64 KB read whole (no split)', minBytes: WHOLE_READS, rounds: 1 },
];

function runIn(page: Page, minBytes: number | null): Promise<ReaderRun> {
  return page.evaluate(
    ([events, min]) =>
      (
        window as unknown as { readerBench: { run(e: number, m: number | null): Promise<ReaderRun> } }
      ).readerBench.run(events, min),
    [EVENTS, minBytes] as const,
  );
}

it("the SDK's SSE reader on a 100,000-chunk answer, by the pieces the tap hands it", async () => {
  // The SDK as the app bundles it: with our bytes module in place of its own.
  const server = await servePage('sdk-reader-page', { plugins: [sdkBytes()] });
  const browser = await launch();
  const runs = new Map<string, ReaderRun[]>(SIZES.map((s) => [s.label, []]));
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'readerBench' in window);
    // Warm-up: the answer is built and every path compiled before anything is timed.
    for (const size of SIZES.slice(0, 3)) await runIn(page, size.minBytes);
    // The order turns each round, so no size always follows the one that leaves the most garbage.
    for (let round = 0; round < ROUNDS; round++)
      for (const [i] of SIZES.entries()) {
        const size = SIZES[(i + round) % SIZES.length]!;
        const list = runs.get(size.label)!;
        if (list.length < size.rounds) list.push(await runIn(page, size.minBytes));
      }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const list of runs.values())
    for (const run of list) {
      expect(run.correct).toBe(true);
      expect(run.chunks).toBe(EVENTS);
    }

  const median = (list: ReaderRun[]) =>
    percentile(
      [...list.map((r) => r.ms)].sort((a, b) => a - b),
      50,
    );
  const base = median(runs.get(SIZES[0]!.label)!);
  const readBytes = runs.get(SIZES[0]!.label)![0]!.readBytes;
  const rows = SIZES.map((size) => {
    const list = runs.get(size.label)!;
    const ms = list.map((r) => r.ms);
    return {
      label: size.label,
      minBytes: size.minBytes,
      pieces: list[0]!.pieces,
      medianMs: median(list),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      runs: ms.length,
      vsOneEvent: median(list) / base,
    };
  });
  process.stdout.write(
    [
      '',
      `The SDK's SSE reader (openai ${SDK_VERSION}, headless Chromium, main thread): ${EVENTS.toLocaleString('en-US')} chunk events in ${readBytes / 1024} KB reads`,
      '',
      '| pieces handed to the SDK | pieces | median ms | min–max ms | runs | / one event a piece |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.pieces.toLocaleString('en-US')} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)} | ${r.runs} | ${r.vsOneEvent.toFixed(2)}× |`,
      ),
      '',
    ].join('\n'),
  );
  await saveResults('sdkReader', { events: EVENTS, readBytes, sdk: SDK_VERSION, rows });
});
