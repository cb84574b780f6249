import { describe, expect, it } from 'vitest';
import { RunsState } from '../../src/lib/state/runs.svelte';
import { memoryStorage } from '../../src/lib/storage/store';
import { runToCsv, seriesToCsv } from '../../src/lib/run-file/csv';
import { MAX_IMPORT_BYTES, MAX_IMPORT_CHUNKS, parseExportedRun, readRun } from '../../src/lib/run-file/parse';
import { replayPieces, replayRequest, replayScript } from '../../src/lib/run-file/replay';
import { exportRun } from '../../src/lib/run-file/format';
import { streamMetrics } from '../../src/lib/metrics/metrics';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { createSimulator, DEFAULT_TIMING } from '../../src/lib/engine/simulator/simulator';
import { streamChat } from '../../src/lib/engine/stream-chat';
import type { StreamEvent } from '../../src/lib/engine/types';
import { WireLog } from '../../src/lib/engine/wire';

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

/** `run` with some fields replaced, as the text of a file. */
const file = (patch: Record<string, unknown>) => JSON.stringify({ ...run, ...patch });

describe('parseExportedRun on hostile or odd files', () => {
  it('keeps no field of the request the format does not name: no key, no headers', () => {
    const parsed = parseExportedRun(
      file({
        request: {
          ...run.request,
          apiKey: 'sk-proj-stolen0123456789',
          api_key: 'sk-proj-stolen0123456789',
          headers: { Authorization: 'Bearer sk-proj-stolen0123456789' },
          defaultQuery: { key: 'x' },
        },
      }),
    );
    expect(Object.keys(parsed.request ?? {}).sort()).toEqual(['baseURL', 'messages', 'model', 'stream']);
    expect(JSON.stringify(parsed)).not.toContain('stolen');
  });

  it('strips user, password, query and fragment from an imported base URL', () => {
    const parsed = parseExportedRun(
      file({
        request: { ...run.request, baseURL: 'https://me:sk-secret123456@host.test/v1?api-key=sk-q1234567#k' },
      }),
    );
    expect(parsed.request?.baseURL).toBe('https://host.test/v1');
  });

  it.each([['javascript:alert(1)'], ['not a url'], [42]])(
    'drops a base URL that is not http(s): %s',
    (url) => {
      expect(parseExportedRun(file({ request: { ...run.request, baseURL: url } })).request?.baseURL).toBe('');
    },
  );

  it.each([
    ['a null message', [null]],
    ['a message without content', [{ role: 'user' }]],
    ['an unknown role', [{ role: 'tool', content: 'x' }]],
    ['content that is not text', [{ role: 'user', content: [{ type: 'text', text: 'x' }] }]],
  ])('refuses %s with a message naming it', (_, messages) => {
    expect(() => parseExportedRun(file({ request: { ...run.request, messages } }))).toThrow(
      /request\.messages\[0\] is not a message/,
    );
  });

  it('refuses messages that are not a list', () => {
    expect(() => parseExportedRun(file({ request: { ...run.request, messages: 'hi' } }))).toThrow(
      /not a list of messages/,
    );
  });

  it('refuses more chunks than it imports, saying how many it takes', () => {
    const chunks = Array.from({ length: MAX_IMPORT_CHUNKS + 1 }, (_, i) => ({ t: i, text: 'x' }));
    expect(() => parseExportedRun(file({ chunks }))).toThrow(/250,001 chunks.*up to 250,000/);
  });

  it('refuses a file larger than it imports before parsing it', () => {
    const text = ' '.repeat(MAX_IMPORT_BYTES + 1);
    expect(() => parseExportedRun(text)).toThrow(/This file is 32\.0 MB; .* up to 32\.0 MB/);
  });

  it('replaces wrong types with what a missing field gets, and drops malformed optional parts', () => {
    const parsed = parseExportedRun(
      file({
        lab: 7,
        startedAt: '1700000000000',
        request: { ...run.request, stream: 'yes', max_tokens: '100', temperature: null, stop: [1] },
        metrics: { ...run.metrics, ttftMs: '10', gaps: { mean: 1 } },
        usage: { completion_tokens: '3' },
        finishReason: 5,
        error: { kind: {}, title: ['x'] },
        text: null,
        nonStreaming: { totalMs: 'slow' },
        conversation: 'hi',
      }),
    );
    expect(parsed).toMatchObject({
      lab: 'imported',
      startedAt: 0,
      request: { stream: true },
      metrics: { ttftMs: null, gaps: null },
      usage: null,
      finishReason: null,
      error: { kind: 'unknown', title: '', detail: '' },
      text: 'Hello=SUM(A1)say "hi"',
    });
    expect(parsed.request).not.toHaveProperty('max_tokens');
    expect(parsed.request).not.toHaveProperty('temperature');
    expect(parsed.request).not.toHaveProperty('stop');
    expect(parsed).not.toHaveProperty('nonStreaming');
    expect(parsed).not.toHaveProperty('conversation');
  });

  it.each([
    ['a chunk that is null', [null]],
    ['a chunk time that is text', [{ t: '1', text: 'a' }]],
    ['a chunk time of 1e999 (Infinity)', '1e999'],
  ])('refuses %s', (_, chunks) => {
    const text =
      chunks === '1e999'
        ? JSON.stringify({ ...run, chunks: [] }).replace('"chunks":[]', '"chunks":[{"t":1e999,"text":"a"}]')
        : file({ chunks });
    expect(() => parseExportedRun(text)).toThrow(/no valid chunks/);
  });

  it('does not let __proto__ or constructor keys reach any prototype', () => {
    const text = file({
      request: { ...run.request, messages: [{ role: 'user', content: 'hi' }] },
      metrics: { ...run.metrics, constructor: { prototype: { polluted: 1 } } },
    })
      .replace('"version":1', '"__proto__":{"polluted":1},"version":1')
      .replace('"model":"m"', '"__proto__":{"polluted":1},"model":"m"')
      .replace('"role":"user"', '"__proto__":{"polluted":1},"role":"user"');
    expect(text.match(/"__proto__":\{"polluted":1\}/g)).toHaveLength(3);
    const parsed = parseExportedRun(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const part of [parsed, parsed.request, parsed.metrics, parsed.request?.messages[0]]) {
      expect(Object.getPrototypeOf(part)).toBe(Object.prototype);
      expect(Object.hasOwn(part as object, '__proto__')).toBe(false);
      expect((part as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('imports every shape the app ever exported, keeping the additive fields', () => {
    // The first version (5060f6e) and today's: the same version-1 shape.
    expect(parseExportedRun(JSON.stringify(run))).toEqual({ ...run, version: 1 });
    const compare = {
      ...run,
      request: { ...run.request, max_tokens: 300, temperature: 0.7, include_usage: true },
      usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
      nonStreaming: {
        totalMs: 812.5,
        chars: 21,
        usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
        text: 'x',
      },
    };
    expect(parseExportedRun(JSON.stringify(compare))).toEqual(compare);
    expect(parseExportedRun(JSON.stringify({ ...run, nonStreaming: null }))).toEqual({
      ...run,
      nonStreaming: null,
    });
    const chat = {
      ...run,
      lab: 'chat',
      request: {
        ...run.request,
        logprobs: true,
        top_logprobs: 3,
        stop: ['END'],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
      },
      error: { kind: 'stalled', title: 'The stream stalled.', detail: '' },
      conversation: {
        system: 'Be brief.',
        turns: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'Hello', status: 'done' },
        ],
      },
    };
    expect(parseExportedRun(JSON.stringify(chat))).toEqual(chat);
  });
});

describe('run files with reasoning and tool calls', () => {
  const reasoningChunks = [
    { t: 40, text: 'Let me ', sdkChunk: 1 },
    { t: 55, text: 'think.', sdkChunk: 2 },
  ];
  const answerChunks = [
    { t: 90, text: 'It is ', sdkChunk: 3 },
    { t: 100, text: '4.', sdkChunk: 4 },
  ];
  const toolChunks = [
    { t: 110, text: '', index: 0, sdkChunk: 5 },
    { t: 120, text: '{"q":', index: 0, sdkChunk: 6 },
    { t: 130, text: '"x"}', index: 0, sdkChunk: 7 },
  ];
  const usage = {
    prompt_tokens: 30,
    completion_tokens: 12,
    total_tokens: 42,
    completion_tokens_details: { reasoning_tokens: 8 },
    prompt_tokens_details: { cached_tokens: 16 },
  };
  const exported = exportRun({
    lab: 'token-stats',
    startedAt: 1700000000000,
    request: { model: 'reasoner', messages: [{ role: 'user', content: 'Hi' }] },
    baseURL: 'https://host.test/v1',
    stream: true,
    chunks: answerChunks,
    metrics: streamMetrics({
      arrivals: answerChunks,
      reasoning: reasoningChunks,
      toolArgs: toolChunks,
      usage,
      headersMs: 20,
      firstVisibleMs: 60,
    }),
    usage,
    finishReason: 'tool_calls',
    error: null,
    text: 'It is 4.',
    reasoning: { text: 'Let me think.', chunks: reasoningChunks },
    toolCalls: [{ index: 0, id: 'call_1', name: 'search', type: 'function', args: '{"q":"x"}' }],
    toolChunks,
  });

  it('exports reasoning and tool calls apart from the answer chunks, with the new metrics', () => {
    expect(exported.chunks).toEqual([
      { t: 90, text: 'It is ' },
      { t: 100, text: '4.' },
    ]);
    expect(exported.reasoning).toEqual({
      text: 'Let me think.',
      chunks: [
        { t: 40, text: 'Let me ' },
        { t: 55, text: 'think.' },
      ],
    });
    expect(exported.toolCalls).toEqual([
      { index: 0, id: 'call_1', name: 'search', type: 'function', arguments: '{"q":"x"}' },
    ]);
    expect(exported.toolChunks).toEqual([
      { t: 110, index: 0, text: '' },
      { t: 120, index: 0, text: '{"q":' },
      { t: 130, index: 0, text: '"x"}' },
    ]);
    expect(exported.metrics).toMatchObject({
      ttftMs: 90,
      headersMs: 20,
      firstReasoningMs: 40,
      firstVisibleMs: 60,
      reasoningMs: 50,
      firstGeneratedMs: 40,
      lastGeneratedMs: 130,
      reasoningChunks: 2,
      toolChunks: 2,
      reasoningTokens: 8,
      answerTokens: 4,
      cachedTokens: 16,
    });
    expect(exported.usage).toEqual(usage);
  });

  it('reads back exactly what it exported', () => {
    expect(parseExportedRun(JSON.stringify(exported))).toEqual(exported);
  });

  it('reads back the request fields reasoning models and tools add: limit name, effort, seed, tools, schema', () => {
    const request = {
      model: 'sim-thinking',
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      max_completion_tokens: 300,
      reasoning_effort: 'high' as const,
      seed: 7,
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      response_format: {
        type: 'json_schema' as const,
        json_schema: { name: 'city', schema: { type: 'object' }, strict: true },
      },
    };
    const file = { ...exported, request: { ...request, baseURL: 'https://host.test/v1', stream: true } };
    expect(parseExportedRun(JSON.stringify(file)).request).toEqual(file.request);
    const odd = {
      ...file,
      request: { ...file.request, reasoning_effort: 'extreme', tools: [{ type: 'function' }] },
    };
    expect(() => parseExportedRun(JSON.stringify(odd))).toThrow(/tools\[0\]/);
  });

  it('exports a plain answer without reasoning or tool fields, and its new metrics as n/a', () => {
    const plain = exportRun({
      ...{ lab: 'x', startedAt: 0, request: null, baseURL: '', stream: true },
      chunks: answerChunks,
      metrics: streamMetrics({ arrivals: answerChunks, usage: null }),
      usage: null,
      finishReason: 'stop',
      error: null,
      text: 'It is 4.',
      reasoning: { text: '', chunks: [] },
      toolCalls: [],
      toolChunks: [],
    });
    expect(plain).not.toHaveProperty('reasoning');
    expect(plain).not.toHaveProperty('toolCalls');
    expect(plain).not.toHaveProperty('toolChunks');
    expect(plain.metrics).toMatchObject({ firstReasoningMs: null, reasoningMs: null, reasoningTokens: null });
  });

  it('reads an older file without the new fields unchanged, adding none of them', () => {
    const parsed = parseExportedRun(JSON.stringify(run));
    expect(parsed).toEqual(run);
    expect(parsed.metrics).not.toHaveProperty('reasoningMs');
  });

  it('drops malformed reasoning, tool calls, tool pieces, metrics and usage details', () => {
    const parsed = parseExportedRun(
      file({
        reasoning: { text: 5, chunks: [{ t: 'x', text: 'a' }, null, { t: 3, text: 'ok' }] },
        toolCalls: [
          { index: 0, id: 1, name: null, type: 'evil', arguments: '{}', extra: 'sk-proj-stolen0123456789' },
          { index: 'one', arguments: '{}' },
          'call',
        ],
        toolChunks: [{ t: 1, index: 0, text: '{' }, { t: 2, text: '}' }, 7],
        metrics: { ...run.metrics, reasoningMs: '12', headersMs: 7, cachedTokens: {} },
        usage: {
          completion_tokens: 3,
          completion_tokens_details: { reasoning_tokens: '2' },
          prompt_tokens_details: { cached_tokens: 4, secret: 'sk-proj-stolen0123456789' },
        },
      }),
    );
    expect(parsed.reasoning).toEqual({ text: 'ok', chunks: [{ t: 3, text: 'ok' }] });
    expect(parsed.toolCalls).toEqual([{ index: 0, id: '', name: '', type: 'function', arguments: '{}' }]);
    expect(parsed.toolChunks).toEqual([{ t: 1, index: 0, text: '{' }]);
    expect(parsed.metrics).toMatchObject({ reasoningMs: null, headersMs: 7, cachedTokens: null });
    expect(parsed.usage).toEqual({
      prompt_tokens: 0,
      completion_tokens: 3,
      total_tokens: 3,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    expect(JSON.stringify(parsed)).not.toContain('stolen');
  });

  it.each([
    [
      'reasoning',
      { reasoning: { text: '', chunks: Array.from({ length: 11 }, (_, t) => ({ t, text: 'r' })) } },
    ],
    [
      'tool-call',
      {
        toolCalls: [{ index: 0, arguments: '' }],
        toolChunks: Array.from({ length: 11 }, (_, t) => ({ t, index: 0, text: 'a' })),
      },
    ],
  ])('refuses more %s chunks than it imports', (what, patch) => {
    const data = JSON.parse(file(patch)) as unknown;
    expect(() => readRun(data, 10)).toThrow(new RegExp(`11 ${what} chunks.*up to 10`));
  });

  it('writes CSV rows for answer, then reasoning, then tool pieces, with a kind column at the end', () => {
    const lines = runToCsv(parseExportedRun(JSON.stringify(exported)))
      .trim()
      .split('\n');
    expect(lines).toEqual([
      'index,t_ms,gap_ms,chars,text,kind',
      '0,90,,6,"It is ","answer"',
      '1,100,10,2,"4.","answer"',
      '0,40,,7,"Let me ","reasoning"',
      '1,55,15,6,"think.","reasoning"',
      '0,110,,0,"","tool"',
      '1,120,10,5,"{""q"":","tool"',
      '2,130,10,4,"""x""}","tool"',
    ]);
  });

  it("gives the chart's CSV a kind column only when a series is reasoning or tool arguments", () => {
    const csv = seriesToCsv([
      { label: 'run', chunks: [{ t: 1, text: 'r' }], kind: 'reasoning' },
      { label: 'run', chunks: [{ t: 2, text: 'a' }], kind: 'answer' },
    ]);
    expect(csv).toBe(
      'series,index,t_ms,gap_ms,text,kind\n"run",0,1,,"r","reasoning"\n"run",0,2,,"a","answer"\n',
    );
    expect(seriesToCsv([{ label: 'run', chunks: [{ t: 2, text: 'a' }], kind: 'answer' }])).toBe(
      'series,index,t_ms,gap_ms,text\n"run",0,2,,"a"\n',
    );
  });
});

describe('saved runs', () => {
  it('re-checks stored runs on load: a key an older importer kept is dropped, repeated ids made unique', async () => {
    const storage = memoryStorage();
    const leaky = { ...run, request: { ...run.request, apiKey: 'sk-proj-stored0123456789' } };
    await storage.write('runs', 1, [
      { id: 'same', name: 'a', savedAt: 1, run: leaky },
      { id: 'same', name: 'b', savedAt: 2, run },
    ]);
    const runs = new RunsState();
    await runs.load(storage);
    expect(runs.runs.map((r) => r.name)).toEqual(['a', 'b']);
    expect(new Set(runs.runs.map((r) => r.id)).size).toBe(2);
    expect(JSON.stringify(runs.runs)).not.toContain('stored0123456789');
  });

  it('refuses a file over the size limit without reading it', async () => {
    const runs = new RunsState();
    await runs.load(memoryStorage());
    const huge = {
      name: 'huge.json',
      size: MAX_IMPORT_BYTES + 1,
      text: () => Promise.reject(new Error('read a file it should have refused')),
    } as unknown as File;
    await expect(runs.importFile(huge)).rejects.toThrow(/This file is 32\.0 MB/);
    expect(runs.runs).toEqual([]);
  });

  it('importing the same file twice gives two runs with their own ids and names', async () => {
    const runs = new RunsState();
    await runs.load(memoryStorage());
    const first = await runs.importText(JSON.stringify(run), 'recorded');
    const second = await runs.importText(JSON.stringify(run), 'recorded');
    expect(first.id).not.toBe(second.id);
    expect([first.name, second.name]).toEqual(['recorded', 'recorded (2)']);
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

describe("seriesToCsv (the chart's Download CSV)", () => {
  it('writes every series in turn, each with its own indexes and gaps, labels neutralised like text', () => {
    const csv = seriesToCsv([
      {
        label: 'fast',
        chunks: [
          { t: 10.5, text: 'Hello' },
          { t: 12.00049, text: '=SUM(A1)' },
        ],
      },
      { label: '-slow "b"', chunks: [{ t: 0.1 + 0.2, text: 'say "hi"\n' }] },
    ]);
    expect(csv).toBe(
      [
        'series,index,t_ms,gap_ms,text',
        '"fast",0,10.5,,"Hello"',
        `"fast",1,12,1.5,"'=SUM(A1)"`,
        `"'-slow ""b""",0,0.3,,"say ""hi""`,
        '"',
        '',
      ].join('\n'),
    );
  });

  it('writes only the header when there is nothing to show', () => {
    expect(seriesToCsv([])).toBe('series,index,t_ms,gap_ms,text\n');
  });

  it("computes rows the same way as a run's CSV", () => {
    const series = seriesToCsv([{ label: 'x', chunks: run.chunks }])
      .trim()
      .split('\n')
      .slice(1);
    const single = runToCsv(parseExportedRun(JSON.stringify(run)))
      .trim()
      .split('\n')
      .slice(1);
    const drop = (line: string, column: number) => line.split(',').toSpliced(column, 1).join(',');
    expect(series.map((line) => drop(line, 0))).toEqual(single.map((line) => drop(line, 3)));
  });
});

describe('replay', () => {
  it("asks the simulator for the run's model and messages, else the given prompt, with usage", () => {
    const withMessages = parseExportedRun(
      file({ request: { ...run.request, messages: [{ role: 'user', content: 'Hi' }] } }),
    );
    expect(replayRequest(withMessages, 'x')).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
      include_usage: true,
    });
    expect(replayRequest(parseExportedRun(file({ request: null })), 'Prompt')).toEqual({
      model: 'replay',
      messages: [{ role: 'user', content: 'Prompt' }],
      include_usage: true,
    });
  });

  const parsed = parseExportedRun(JSON.stringify(run));

  it('plays each chunk after the time since the one before, the first after its time since t0', () => {
    expect(replayScript(parsed, [1, 5, 4])).toEqual([
      { channel: 'content', text: 'Hello', tokens: 1, delayMs: 10.5 },
      { channel: 'content', text: '=SUM(A1)', tokens: 5, delayMs: 1.5 },
      { channel: 'content', text: 'say "hi"', tokens: 4, delayMs: 8 },
    ]);
  });

  it('never waits less than nothing or counts fewer than one token, even for odd files', () => {
    const odd = {
      ...parsed,
      chunks: [
        { t: 5, text: '' },
        { t: 2, text: 'b' },
      ],
    };
    expect(replayScript(odd, [0])).toEqual([
      { channel: 'content', text: '', tokens: 1, delayMs: 5 },
      { channel: 'content', text: 'b', tokens: 1, delayMs: 0 },
    ]);
  });

  it('replays reasoning and tool calls on their own channels, in recorded time order', async () => {
    const recorded = {
      ...parsed,
      chunks: [{ t: 30, text: 'Calling.' }],
      text: 'Calling.',
      reasoning: {
        text: 'PONDER one. PONDER two.',
        chunks: [
          { t: 10, text: 'PONDER one. ' },
          { t: 20, text: 'PONDER two.' },
        ],
      },
      toolCalls: [
        {
          index: 0,
          id: 'call_w',
          name: 'get_weather',
          type: 'function' as const,
          arguments: '{"city":"Paris"}',
        },
      ],
      toolChunks: [
        { t: 40, index: 0, text: '' },
        { t: 50, index: 0, text: '{"city":' },
        { t: 60, index: 0, text: '"Paris"}' },
      ],
    };
    const script = replayScript(recorded, [1, 1, 1, 1, 1, 1]);
    expect(script.map((s) => [s.channel, s.text, s.delayMs])).toEqual([
      ['reasoning', 'PONDER one. ', 10],
      ['reasoning', 'PONDER two.', 10],
      ['content', 'Calling.', 10],
      ['tool', '', 10],
      ['tool', '{"city":', 10],
      ['tool', '"Paris"}', 10],
    ]);

    // Played through the simulator and the real SDK, the engine reads back the run it recorded.
    const connection = {
      baseURL: SIMULATOR_BASE_URL,
      apiKey: '',
      // Batching and packing at their most: a replay must still keep every recorded chunk and gap.
      fetch: createSimulator({
        timing: () => ({ ...DEFAULT_TIMING, batching: 1, packing: 1 }),
        script: () => script,
      }),
      maxRetries: 0,
      stallMs: 0,
    };
    const events: StreamEvent[] = [];
    const wire = new WireLog();
    for await (const e of streamChat({ model: 'replay', messages: [] }, { connection, wire })) events.push(e);
    // One network read per frame: no recorded gap was collapsed into a shared read.
    expect(new Set(wire.frames.map((f) => f.read)).size).toBe(wire.frames.length);
    const text = (kind: string) => events.map((e) => (e.kind === kind && 'text' in e ? e.text : '')).join('');
    expect(text('reasoning')).toBe('PONDER one. PONDER two.');
    expect(text('content')).toBe('Calling.');
    const calls = events.filter((e) => e.kind === 'tool_call');
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_w', name: 'get_weather' });
    expect(calls.map((c) => c.args).join('')).toBe('{"city":"Paris"}');
    expect(events.find((e) => e.kind === 'finish')).toMatchObject({ reason: 'tool_calls' });
  });

  it("counts each chunk's tokens with the tokenizer", async () => {
    const pieces = await replayPieces(parsed);
    expect(pieces.map((p) => p.text)).toEqual(run.chunks.map((c) => c.text));
    expect(pieces.every((p) => p.tokens >= 1)).toBe(true);
    expect(pieces[1]!.tokens).toBeGreaterThan(1);
  });
});
