import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/lib/metrics/sample-stats';
import type { ExportedRun } from '../../src/lib/run-file/format';
import { raceFile } from '../../src/lib/run-file/race';
import { SHARE_LIMIT, decodeShare, encodeShare, shareLink, shareableRun } from '../../src/lib/run-file/share';
import { SHARE_ROUTE, sharedPayload } from '../../src/lib/run-file/share-route';

const WORDS = ['stream', 'token', 'chunk', 'latency', 'model', 'server', 'event', 'the', 'a', 'of'];

/** A run of `n` chunks of seeded random words, spaced like a real stream (about 12 ms apart). */
function runOf(n: number, seed = 1): ExportedRun {
  const random = seededRandom(seed);
  let t = 180;
  const chunks = Array.from({ length: n }, () => {
    t += 4 + random() * 16;
    const word = WORDS[Math.floor(random() * WORDS.length)]!;
    return { t: Math.round(t * 10) / 10, text: ` ${word}${random() < 0.1 ? '.' : ''}` };
  });
  const text = chunks.map((c) => c.text).join('');
  return {
    version: 1,
    lab: 'basic-streaming',
    startedAt: 1764158400000,
    request: {
      model: 'gpt-4o-mini',
      baseURL: 'https://api.openai.com/v1',
      stream: true,
      max_tokens: 400,
      messages: [{ role: 'user', content: 'Explain streaming in a paragraph.' }],
    },
    chunks,
    metrics: {
      ttftMs: chunks[0]?.t ?? null,
      e2eMs: chunks.at(-1)?.t ?? null,
      tpotMs: 12,
      chunks: n,
      chars: text.length,
      promptTokens: 12,
      completionTokens: n,
      tokensEstimated: false,
      gaps: { mean: 12, p50: 12, p90: 18, p95: 19, p99: 20, max: 20 },
      headersMs: 90,
    },
    usage: { prompt_tokens: 12, completion_tokens: n, total_tokens: 12 + n },
    finishReason: 'stop',
    error: null,
    text,
  };
}

const KEY = 'sk-proj-SECRET0123456789abcdef';
const PLANTED_URL = `https://alice:${KEY}@llm.example.com/v1?api_key=${KEY}#${KEY}`;

/** A run with the key planted everywhere a careless export could carry it. */
function planted(): ExportedRun {
  const run = runOf(20);
  Object.assign(run.request!, {
    baseURL: PLANTED_URL,
    apiKey: KEY,
    headers: { Authorization: `Bearer ${KEY}` },
  });
  Object.assign(run, { apiKey: KEY, connection: { key: KEY } });
  return run;
}

describe('share links', () => {
  it('round-trips a run through the payload unchanged', async () => {
    const run = runOf(200);
    const payload = await encodeShare(run);
    expect(payload).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(await decodeShare(payload)).toEqual(run);
  });

  it('round-trips a race with its lanes and benchmark', async () => {
    const lane = (name: string, seed: number) => ({
      profile: {
        name,
        provider: 'simulator' as const,
        baseURL: 'https://sim/v1',
        model: 'm',
        api: 'chat' as const,
      },
      run: runOf(30, seed),
    });
    const samples = [0, 1].flatMap((l) =>
      [0, 1, 2, 3, 4].map((index) => ({
        lane: l,
        index,
        ttftMs: 100 + 50 * l + index,
        e2eMs: 400 + index,
        tpotMs: 10,
        decodeRate: 100,
        headersMs: 50,
        tokens: 30,
      })),
    );
    const file = raceFile('model-race', [lane('fast', 1), lane('slow', 2)], {
      repeat: 5,
      concurrency: 1,
      samples,
    });
    expect(await decodeShare(await encodeShare(file))).toEqual(file);
  });

  it('never carries a key planted in the request, its URL or the file, nor the URL user', async () => {
    const payload = await encodeShare(planted());
    // What the link itself holds, read without the importer's checks.
    const carried = await payloadText(payload);
    expect(carried).not.toContain('SECRET');
    expect(carried).not.toContain('alice');
    expect(carried).not.toContain('apiKey');
    const decoded = await decodeShare(payload);
    expect(decoded.request?.baseURL).toBe('https://llm.example.com/v1');
    expect(decoded).toEqual(shareableRun(planted()));
  });

  it("strips credentials from every race lane's base URL, profile and run", async () => {
    const run = runOf(10);
    Object.assign(run.request!, { baseURL: PLANTED_URL });
    const file = raceFile('model-race', [
      {
        profile: { name: 'custom', provider: 'custom', baseURL: 'https://x/v1', model: 'm', api: 'chat' },
        run: runOf(10),
      },
    ]);
    // As a hand-edited or future file might hold it: credentials in a lane, past raceFile's checks.
    Object.assign(file.race!.lanes[0]!.profile, { baseURL: PLANTED_URL, apiKey: KEY });
    Object.assign(file.race!.lanes[0]!, { run });
    const json = await payloadText(await encodeShare(file));
    expect(json).not.toContain('SECRET');
    expect(json).not.toContain('alice');
    expect(json).toContain('"baseURL":"https://llm.example.com/v1"');
  });

  it('offers a link for a typical run, the hash route and payload after the page address', async () => {
    const run = runOf(400);
    const link = await shareLink(run, 'https://lab.example/streaming-lab/');
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    expect(link.url.length).toBeLessThanOrEqual(SHARE_LIMIT);
    expect(link.url.startsWith(`https://lab.example/streaming-lab/${SHARE_ROUTE}1.`)).toBe(true);
    const payload = sharedPayload(new URL(link.url).hash);
    expect(await decodeShare(payload!)).toEqual(run);
  });

  it('refuses a run too large for a link, saying its size and offering the JSON file', async () => {
    const link = await shareLink(runOf(5000), 'https://lab.example/');
    expect(link.ok).toBe(false);
    if (link.ok) return;
    expect(link.reason).toMatch(
      /^This run is too large for a link \(\d+ KB; a link holds up to 16 KB\): use Export JSON/,
    );
    const kb = Number(/\((\d+) KB/.exec(link.reason)![1]);
    expect(kb).toBeGreaterThan(SHARE_LIMIT / 1000);
  });
});

describe('opening a bad link', () => {
  it('says a truncated link is incomplete, as a chat app leaves it', async () => {
    const payload = await encodeShare(runOf(200));
    for (const cut of [0.5, 0.9, 0.99]) {
      await expect(decodeShare(payload.slice(0, Math.floor(payload.length * cut)))).rejects.toThrow(
        /incomplete or damaged.*Export JSON/,
      );
    }
  });

  it('says a damaged link is damaged, and a foreign one is not a share link', async () => {
    const payload = await encodeShare(runOf(20));
    await expect(decodeShare(`${payload.slice(0, 40)}!!${payload.slice(42)}`)).rejects.toThrow(/damaged/);
    await expect(decodeShare('hello')).rejects.toThrow(/not a Streaming Lab share link/);
    await expect(decodeShare('')).rejects.toThrow(/not a Streaming Lab share link/);
  });

  it('names the format of a link from another version', async () => {
    await expect(decodeShare('2.AAAA')).rejects.toThrow(/share format 2\); this page reads format 1/);
  });

  it('checks the run inside as an imported file is checked', async () => {
    const notRun = await encodeSharePayload(JSON.stringify({ version: 3, chunks: [] }));
    await expect(decodeShare(notRun)).rejects.toThrow(/cannot be opened: This is not a Streaming Lab run/);
    const notJson = await encodeSharePayload('{"version":1,');
    await expect(decodeShare(notJson)).rejects.toThrow(/incomplete or damaged/);
  });

  it('refuses a small link that inflates past the import limit', async () => {
    const bomb = await encodeSharePayload(' '.repeat(33 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(60_000);
    await expect(decodeShare(bomb)).rejects.toThrow(/more than 32 MB/);
  });
});

describe('the share route', () => {
  it('recognises only #/shared/ hashes', () => {
    expect(sharedPayload('#/shared/1.abc')).toBe('1.abc');
    expect(sharedPayload('#/basic-streaming')).toBeNull();
    expect(sharedPayload('')).toBeNull();
  });
});

/** Any text as a format-1 payload, as a hand-made link would carry it. */
async function encodeSharePayload(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `1.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The text a format-1 payload carries, inflated without any check. */
async function payloadText(payload: string): Promise<string> {
  const binary = atob(payload.slice(2).replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}
