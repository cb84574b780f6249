import { describe, expect, it } from 'vitest';
import { parseExportedRun, runToCsv } from '../../src/lib/storage/runs';

const run = {
  version: 1,
  lab: 'basic-streaming',
  startedAt: 1700000000000,
  request: { model: 'm', baseURL: 'https://x/v1', stream: true, messages: [] },
  chunks: [
    { t: 10.5, text: 'Hello' },
    { t: 12, text: '=SUM(A1)' },
    { t: 20, text: 'say "hi"' },
  ],
  metrics: {
    ttftMs: 10.5,
    e2eMs: 20,
    tpotMs: null,
    chunks: 3,
    chars: 21,
    promptTokens: null,
    completionTokens: null,
    tokensEstimated: false,
    gaps: null,
  },
  usage: null,
  finishReason: 'stop',
  error: null,
  text: 'Hello=SUM(A1)say "hi"',
};

describe('parseExportedRun', () => {
  it('accepts an exported run', () => {
    expect(parseExportedRun(JSON.stringify(run))).toMatchObject({
      lab: 'basic-streaming',
      chunks: run.chunks,
    });
  });

  it.each([
    ['not json', /not JSON/],
    ['{"version":2,"chunks":[]}', /not a Streaming Lab run/],
    ['{"version":1,"chunks":[{"t":"x","text":1}]}', /no valid chunks/],
  ])('rejects %s with a clear message', (text, message) => {
    expect(() => parseExportedRun(text)).toThrow(message);
  });

  it('fills what an older or hand-made file lacks', () => {
    const parsed = parseExportedRun(JSON.stringify({ version: 1, chunks: [{ t: 1, text: 'a' }] }));
    expect(parsed).toMatchObject({ lab: 'imported', text: 'a', metrics: { chunks: 1, chars: 1 } });
  });
});

describe('runToCsv', () => {
  it('writes one row per chunk with gaps and neutralises formulas', () => {
    const lines = runToCsv(parseExportedRun(JSON.stringify(run)))
      .trim()
      .split('\n');
    expect(lines[0]).toBe('index,t_ms,gap_ms,chars,text');
    expect(lines[1]).toBe('0,10.5,,5,"Hello"');
    expect(lines[2]).toBe(`1,12,1.5,8,"'=SUM(A1)"`);
    expect(lines[3]).toBe('2,20,8,8,"say ""hi"""');
  });
});
