/**
 * The show-code builder: every program shape, for every kind of endpoint and request, is a whole
 * program. The Python passes pyflakes (no undefined name, no syntax error, no unused import); the
 * TypeScript type-checks against the real `openai` package. The learner's inputs are in the code,
 * the key and the simulator's address never are. Every shape is written for both APIs: Chat
 * Completions and Responses, each printing exactly the params its SDK call is given.
 * (tests/e2e/snippets.test.ts runs them.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import {
  pythonSnippet,
  runHint,
  typescriptSnippet,
  type SnippetOptions,
  type SnippetProgram,
} from '../../src/lib/engine/snippets';
import { OPENAI_BASE_URL, SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { requestParams, responseParams } from '../../src/lib/engine/request';
import type { ChatRequest } from '../../src/lib/engine/types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const PROGRAMS: SnippetProgram[] = [
  { kind: 'print' },
  { kind: 'compare' },
  { kind: 'markdown' },
  { kind: 'word-detection', watchWords: ['neural', 'it\'s "quoted"', 'back\\slash'] },
  { kind: 'early-stop', stopPhrase: 'say "when"' },
  { kind: 'token-stats' },
  { kind: 'chat' },
];

const ENDPOINTS = {
  simulator: SIMULATOR_BASE_URL,
  openai: OPENAI_BASE_URL,
  custom: 'http://user:secret@localhost:11434/v1?key=sk-query',
};

const conversation: ChatRequest['messages'] = [
  { role: 'system', content: 'Be "brief".' },
  { role: 'user', content: 'First ünïcode ✓' },
  { role: 'assistant', content: 'True False None' },
  { role: 'user', content: 'Second' },
];

const REQUESTS: Record<string, ChatRequest> = {
  plain: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say "hi" \\ ✓' }], max_tokens: 50 },
  'usage and temperature': {
    model: 'gpt-4o-mini',
    messages: conversation,
    temperature: 0.3,
    include_usage: true,
  },
  'tools on a reasoning model': {
    model: 'o4-mini',
    messages: [{ role: 'user', content: 'Weather?' }],
    max_completion_tokens: 100,
    reasoning_effort: 'low',
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ],
  },
  'logprobs with alternatives': {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'The capital of France is' }],
    logprobs: true,
    top_logprobs: 5,
  },
  'a chat with no system prompt and no new message': {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ],
  },
};

interface Case {
  name: string;
  request: ChatRequest;
  options: SnippetOptions;
}

const CASES: Case[] = [];
for (const api of ['chat', 'responses'] as const) {
  for (const program of [...PROGRAMS, { kind: 'wire-formats' } as const])
    for (const [endpoint, baseURL] of Object.entries(ENDPOINTS))
      for (const [kind, request] of Object.entries(REQUESTS))
        CASES.push({
          name: `${api}: ${program.kind}, ${endpoint}, ${kind}`,
          request,
          options: { baseURL, stream: true, program, api },
        });
  for (const [endpoint, baseURL] of Object.entries(ENDPOINTS))
    CASES.push({
      name: `${api}: print not streamed, ${endpoint}`,
      request: REQUESTS.plain!,
      options: { baseURL, stream: false, api },
    });
}
/** A race of one lane per endpoint, their wire formats mixed, for every kind of request. */
const raceLanes = (request: ChatRequest, first: 'chat' | 'responses') =>
  Object.entries(ENDPOINTS).map(([endpoint, baseURL], i) => ({
    name: `Lane ${i + 1}: ${endpoint} "quoted"`,
    baseURL,
    api: i % 2 ? (first === 'chat' ? 'responses' : 'chat') : first,
    request,
  }));
for (const first of ['chat', 'responses'] as const)
  for (const [kind, request] of Object.entries(REQUESTS))
    CASES.push({
      name: `race from ${first}: ${kind}`,
      request,
      options: {
        baseURL: ENDPOINTS.custom,
        stream: true,
        program: { kind: 'race', lanes: raceLanes(request, first) },
      },
    });

const dir = mkdtempSync(join(ROOT, 'node_modules', '.snippet-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every program the builder writes is whole', () => {
  it('the Python passes pyflakes: no undefined name, no syntax error, no unused import', () => {
    const py = join(dir, 'py');
    mkdirSync(py);
    CASES.forEach((c, i) => writeFileSync(join(py, `case_${i}.py`), pythonSnippet(c.request, c.options)));
    const result = spawnSync('pyflakes3', [py], { encoding: 'utf8' });
    if (result.error)
      throw new Error('pyflakes3 is not installed: apt-get install -y python3-pyflakes (see .ci/run)');
    const report = (result.stdout + result.stderr).replace(
      /case_(\d+)\.py/g,
      (_, i: string) => CASES[+i]!.name,
    );
    expect(report).toBe('');
    expect(result.status).toBe(0);
  });

  it('the TypeScript type-checks against the openai package', () => {
    const files = CASES.map((c, i) => {
      const file = join(dir, `case_${i}.ts`);
      writeFileSync(file, typescriptSnippet(c.request, c.options));
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const at = d.file ? CASES[files.indexOf(d.file.fileName)]?.name : '';
      return `${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('what the code carries', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('no key, no secret, no simulator address: %s', (_, c) => {
    for (const code of [pythonSnippet(c.request, c.options), typescriptSnippet(c.request, c.options)]) {
      expect(code).not.toContain('simulator.invalid');
      expect(code).not.toMatch(/secret|sk-query|user:/);
      if (c.options.baseURL.startsWith('http://')) expect(code).toContain('http://localhost:11434/v1');
    }
  });

  it('Simulator and OpenAI: OpenAI() reads the key (and any base URL) from the environment', () => {
    for (const baseURL of [SIMULATOR_BASE_URL, OPENAI_BASE_URL]) {
      const options = { baseURL, stream: true };
      expect(pythonSnippet(REQUESTS.plain!, options)).toMatch(/^client = OpenAI\(\)/m);
      expect(typescriptSnippet(REQUESTS.plain!, options)).toMatch(/^const client = new OpenAI\(\);/m);
    }
    expect(pythonSnippet(REQUESTS.plain!, { baseURL: SIMULATOR_BASE_URL, stream: true })).toContain(
      'OPENAI_BASE_URL',
    );
  });

  it('Custom: the learner’s base URL, which OPENAI_BASE_URL can override', () => {
    const options = { baseURL: 'http://localhost:1234/v1', stream: true };
    expect(pythonSnippet(REQUESTS.plain!, options)).toContain(
      'base_url=os.environ.get("OPENAI_BASE_URL", "http://localhost:1234/v1")',
    );
    expect(typescriptSnippet(REQUESTS.plain!, options)).toContain(
      'baseURL: process.env.OPENAI_BASE_URL ?? "http://localhost:1234/v1"',
    );
  });

  it('Race: each lane’s own client, key variable and params, as the page sends them', () => {
    const lanes = raceLanes(REQUESTS['usage and temperature']!, 'chat');
    const options = { baseURL: '', stream: true, program: { kind: 'race', lanes } } as const;
    const python = pythonSnippet(REQUESTS.plain!, options);
    const typescript = typescriptSnippet(REQUESTS.plain!, options);
    lanes.forEach((lane, i) => {
      const n = i + 1;
      expect(python).toContain(`api_key=os.environ.get("LANE_${n}_API_KEY", "none")`);
      expect(typescript).toContain(`apiKey: process.env.LANE_${n}_API_KEY ?? 'none'`);
      const params =
        lane.api === 'responses' ? responseParams(lane.request, true) : requestParams(lane.request, true);
      const shown = JSON.stringify(params, null, 2).replace(/\n/g, '\n    ');
      expect(typescript).toContain(`api: "${lane.api}",\n    params: ${shown},`);
    });
    // The simulator lane has no address of its own; the others print theirs, credentials removed.
    expect(typescript).toContain('baseURL: process.env.LANE_1_BASE_URL ?? process.env.OPENAI_BASE_URL,');
    expect(python).toContain('base_url=os.environ.get("LANE_1_BASE_URL"),');
    expect(typescript).toContain(`baseURL: process.env.LANE_2_BASE_URL ?? "${OPENAI_BASE_URL}",`);
    expect(python).toContain('base_url=os.environ.get("LANE_3_BASE_URL", "http://localhost:11434/v1"),');
    expect(python).toContain('asyncio.gather(*(run_lane(lane) for lane in lanes))');
    expect(typescript).toContain('await Promise.all(lanes.map(runLane))');
  });

  it('Word detection: the learner’s watch words, searched in all the text so far', () => {
    const options = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[3] };
    const python = pythonSnippet(REQUESTS.plain!, options);
    expect(python).toContain('watch_words = ["neural", "it\'s \\"quoted\\"", "back\\\\slash"]');
    expect(python).toContain('word.lower() in full_response.lower()');
    const typescript = typescriptSnippet(REQUESTS.plain!, options);
    expect(typescript).toContain('const watchWords = ["neural","it\'s \\"quoted\\"","back\\\\slash"];');
    expect(typescript).toContain('fullResponse.toLowerCase().includes(word.toLowerCase())');
  });

  it('Early stop: the learner’s phrase; the stream is closed, then the loop left', () => {
    const options = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[4] };
    const python = pythonSnippet(REQUESTS.plain!, options);
    expect(python).toContain('stop_phrase = "say \\"when\\""');
    expect(python).toMatch(/stream\.close\(\)[^\n]*\n(.*\n)*?\s+break/);
    const typescript = typescriptSnippet(REQUESTS.plain!, options);
    expect(typescript).toContain('const stopPhrase = "say \\"when\\"";');
    expect(typescript).toMatch(/stream\.controller\.abort\(\)[^\n]*\n(.*\n)*?\s+break;/);
  });

  it('Streaming vs non-streaming: both requests, each timed', () => {
    const options = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[1] };
    const python = pythonSnippet(REQUESTS.plain!, options);
    expect(python.match(/client\.chat\.completions\.create\(/g)).toHaveLength(2);
    expect(python).toMatch(/stream=False[\s\S]*stream=True/);
    expect(python.match(/time\.perf_counter\(\) - start/g)?.length).toBeGreaterThanOrEqual(3);
    const typescript = typescriptSnippet(REQUESTS.plain!, options);
    expect(typescript).toMatch(/"stream": false[\s\S]*"stream": true/);
    expect(typescript).toContain('performance.now() - start');
  });

  it('Token stats: usage is kept from the final chunk and the stats printed with timing', () => {
    const options = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[5] };
    const python = pythonSnippet(REQUESTS['usage and temperature']!, options);
    expect(python).toContain('stream_options={"include_usage": True}');
    expect(python).toContain('usage = chunk.usage');
    expect(python).toContain('chunk_count += 1');
    expect(python).toContain('usage.completion_tokens / total_time');
  });

  it('Chat: StreamingChat with the system prompt, the history so far and the message; clear_history', () => {
    const options = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[6] };
    const python = pythonSnippet(REQUESTS['usage and temperature']!, options);
    expect(python).toContain('class StreamingChat:');
    expect(python).toContain('def clear_history(self):');
    expect(python).toContain('messages=self.messages,');
    expect(python).toContain('chat = StreamingChat("Be \\"brief\\".")');
    expect(python).toContain('{"role": "assistant", "content": "True False None"}');
    expect(python).toContain('chat.chat("Second")');
    const typescript = typescriptSnippet(REQUESTS['usage and temperature']!, options);
    expect(typescript).toContain('"messages": this.messages,');
    expect(typescript).toContain('await chat.chat("Second");');
    expect(typescript).toContain('clearHistory(): void');
  });

  it('Live markdown: the whole answer re-rendered on every chunk, with a cursor, then without', () => {
    const options = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[2] };
    const python = pythonSnippet(REQUESTS.plain!, options);
    expect(python).toContain('display(Markdown(full_response + "▌"))');
    expect(python).toMatch(/clear_output\(wait=True\)\ndisplay\(Markdown\(full_response\)\)/);
    expect(typescriptSnippet(REQUESTS.plain!, options)).toContain("show(fullResponse + '▌')");
  });

  it('says how to run it: what to install, and the key from the environment', () => {
    const markdown = { baseURL: SIMULATOR_BASE_URL, stream: true, program: PROGRAMS[2] };
    expect(runHint('python', markdown)).toMatch(/Jupyter.*pip install openai.*OPENAI_API_KEY/);
    expect(runHint('typescript', markdown)).toMatch(/npm install openai marked.*OPENAI_API_KEY/);
    expect(runHint('typescript', { baseURL: SIMULATOR_BASE_URL, stream: true })).not.toContain('marked');
  });
});

/** The `create(...)` calls' argument lists in a Python program, each as `key=value` lines joined. */
function pyCalls(code: string): { method: string; args: string }[] {
  return [...code.matchAll(/(client\.[\w.]+\.create)\(\n([\s\S]*?)\n\s*\)/g)].map((m) => ({
    method: m[1]!,
    args: m[2]!,
  }));
}

describe('Responses', () => {
  const SIM = { baseURL: SIMULATOR_BASE_URL, stream: true, api: 'responses' as const };

  it.each(Object.entries(REQUESTS))(
    'prints every field responseParams builds, and no other: %s',
    (_, request) => {
      const params = responseParams(request, true);
      const python = pythonSnippet(request, SIM);
      const [call] = pyCalls(python);
      expect(call?.method).toBe('client.responses.create');
      const keys = [...call!.args.matchAll(/^ {4}(\w+)=/gm)].map((m) => m[1]);
      expect(keys).toEqual(Object.keys(params));
      const typescript = typescriptSnippet(request, SIM);
      const body = typescript.match(/client\.responses\.create\((\{[\s\S]*?\n\})\);/)?.[1];
      expect(JSON.parse(body!)).toEqual(JSON.parse(JSON.stringify(params)));
      expect(python).not.toContain('chat.completions');
      expect(typescript).not.toContain('chat.completions');
    },
  );

  it('switches on the event type: text, reasoning summary, function-call arguments, usage at the end', () => {
    const python = pythonSnippet(REQUESTS['tools on a reasoning model']!, SIM);
    expect(python).toContain('for event in stream:');
    for (const type of [
      'response.output_text.delta',
      'response.reasoning_summary_text.delta',
      'response.function_call_arguments.delta',
    ])
      expect(python).toContain(`event.type == "${type}"`);
    const usage = pythonSnippet(REQUESTS['usage and temperature']!, SIM);
    expect(usage).toContain('if event.type == "response.completed":');
    expect(usage).not.toContain('stream_options');
    const typescript = typescriptSnippet(REQUESTS['tools on a reasoning model']!, SIM);
    expect(typescript).toContain("event.type === 'response.function_call_arguments.delta'");
    expect(typescript).toContain("event.type === 'response.reasoning_summary_text.delta'");
  });

  it('early stop closes the stream; the non-streamed half of Compare reads output_text', () => {
    const stop = { ...SIM, program: PROGRAMS[4] };
    expect(pythonSnippet(REQUESTS.plain!, stop)).toMatch(/stream\.close\(\)[^\n]*\n(.*\n)*?\s+break/);
    expect(typescriptSnippet(REQUESTS.plain!, stop)).toMatch(
      /stream\.controller\.abort\(\)[^\n]*\n(.*\n)*?\s+break;/,
    );
    const compare = { ...SIM, program: PROGRAMS[1] };
    const python = pythonSnippet(REQUESTS.plain!, compare);
    expect(python.match(/client\.responses\.create\(/g)).toHaveLength(2);
    expect(python).toContain('content = response.output_text');
    expect(typescriptSnippet(REQUESTS.plain!, compare)).toContain('const content = response.output_text;');
  });

  it('token stats counts events and reads input/output tokens from response.completed', () => {
    const options = { ...SIM, program: PROGRAMS[5] };
    const python = pythonSnippet(REQUESTS['usage and temperature']!, options);
    expect(python).toContain('usage = event.response.usage');
    expect(python).toContain('event_count += 1');
    expect(python).toContain('usage.output_tokens / total_time');
    expect(typescriptSnippet(REQUESTS['usage and temperature']!, options)).toContain(
      'OpenAI.Responses.ResponseUsage',
    );
  });

  it('StreamingChat keeps the history as input items and sends them as input', () => {
    const options = { ...SIM, program: PROGRAMS[6] };
    const python = pythonSnippet(REQUESTS['usage and temperature']!, options);
    expect(python).toContain('input=self.messages,');
    expect(python).toContain('chat.chat("Second")');
    expect(python).toContain('{"role": "assistant", "content": "True False None"}');
    const typescript = typescriptSnippet(REQUESTS['usage and temperature']!, options);
    expect(typescript).toContain('"input": this.messages,');
    expect(typescript).toContain('messages: OpenAI.Responses.ResponseInputItem[];');
  });

  it('wire formats: the same request by Chat Completions, then by Responses, whatever the API picked', () => {
    for (const api of ['chat', 'responses'] as const) {
      const options = { ...SIM, api, program: { kind: 'wire-formats' } as const };
      const request = REQUESTS['usage and temperature']!;
      const calls = pyCalls(pythonSnippet(request, options));
      expect(calls.map((c) => c.method)).toEqual([
        'client.chat.completions.create',
        'client.responses.create',
      ]);
      const keys = (args: string) => [...args.matchAll(/^ {4}(\w+)=/gm)].map((m) => m[1]);
      expect(keys(calls[0]!.args)).toEqual(Object.keys(requestParams(request, true)));
      expect(keys(calls[1]!.args)).toEqual(Object.keys(responseParams(request, true)));
      const typescript = typescriptSnippet(request, options);
      expect(typescript.indexOf('client.chat.completions.create')).toBeLessThan(
        typescript.indexOf('client.responses.create'),
      );
    }
  });
});
