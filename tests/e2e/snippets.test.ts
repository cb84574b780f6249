/**
 * "Show code" runs as the learner would run it. For every lab and both languages the test types
 * the learner's own inputs (a prompt, watch words, a stop phrase, a chat turn), copies the code
 * the page shows, then: the TypeScript is transpiled (the project's `typescript`) and run with node and the real
 * `openai` package against the local SSE server, its printed output and the request it sent
 * checked; the Python is checked with pyflakes (undefined names, syntax errors, unused imports).
 * Model race's program sends one request per lane at once, each lane's client reading its own
 * LANE_<n>_API_KEY; its simulator lanes go to OPENAI_BASE_URL.
 * A second pass does the same with the API set to Responses: the TypeScript then calls the local
 * server's /responses, and the 'wire-formats' program (both APIs, one after the other) runs too.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_BASE_URL } from '../../src/lib/engine/providers';
import { typescriptSnippet } from '../../src/lib/engine/snippets';
import type { RecordedRequest } from '../server/sse-server';
import { KEY, RUN_LABS, TABS, connect, openTab, useHarness } from './harness';

const h = useHarness();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the learner types; quotes, a backslash and non-ASCII so escaping is exercised too. */
const prompt = (lab: string) => `Snippet check for ${lab}: say "hi" \\ ünïcode ✓`;
/** The test server answers "Hello from the test server." in the pieces Hello| from| the| test| server|. */
const WATCH_WORDS = 'Hello, test server, absent';
const STOP_PHRASE = 'the TEST';
const SYSTEM_PROMPT = 'You answer "briefly".';
const FIRST_MESSAGE = 'First question from the learner';
const SECOND_MESSAGE = 'Second question, about the first';

interface Ran {
  code: number | null;
  out: string;
}

function run(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new Error(`${command} is not installed: apt-get install -y python3-pyflakes (see .ci/run)`)
          : e,
      ),
    );
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

/** The TypeScript as the page shows it, transpiled and run as an ES module with node. */
function runTypeScript(code: string, env: Record<string, string | undefined>): Promise<Ran> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return run(process.execPath, ['--input-type=module'], js, { ...process.env, ...env });
}

/** pyflakes on the Python as the page shows it: silent and exit code 0 when every name is defined. */
const pyflakes = (code: string) => run('pyflakes3', [], code, process.env);

/** The code Show code prints in `language`. */
async function shownCode(page: Page, language: 'Python' | 'TypeScript'): Promise<string> {
  // Tabs visited before stay in the page, hidden: only the code on screen.
  const details = page
    .locator('details:visible')
    .filter({ has: page.locator('summary', { hasText: 'Show code' }) });
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await details.locator('summary').click();
  await details.getByRole('button', { name: language, exact: true }).click();
  return (await details.locator(`code.language-${language.toLowerCase()}`).textContent()) ?? '';
}

/** Types the learner's inputs into `lab` (Chat: one sent turn, then a second message). */
async function fillInputs(page: Page, lab: string): Promise<void> {
  // Tabs visited before stay mounted, hidden: only the visible panel's fields.
  const panel = page.getByRole('tabpanel');
  if (lab === 'Chat') {
    await panel.getByLabel('System prompt').fill(SYSTEM_PROMPT);
    await panel.getByLabel('Message').fill(FIRST_MESSAGE);
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByLabel('Message').fill(SECOND_MESSAGE);
    // The reply has ended and joined the history: system, first question, reply, second question.
    await page.getByText('Next request: 4 messages').waitFor();
    return;
  }
  await panel.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt(lab));
  if (lab === 'Word detection') await panel.getByLabel('Watch words').fill(WATCH_WORDS);
  if (lab === 'Early stop') await panel.getByLabel('Stop phrase').fill(STOP_PHRASE);
}

const completions = () => h.api.requests.filter((r) => r.url === '/v1/chat/completions');
const sentWith = (text: string) =>
  completions().filter((r) =>
    JSON.stringify(r.body?.messages ?? []).includes(JSON.stringify(text).slice(1, -1)),
  );

/** Every tab has Show code. */
const CODED = TABS;
/** The race's two default lanes, both simulator profiles. */
const RACE_LANE =
  /Lane [12]: Simulator · \w+: first text after \d+\.\d\ds, done after \d+\.\d\ds\nHello from the test server\./g;

/** What each lab's TypeScript must print when run against the test server. */
const PRINTS: Record<(typeof CODED)[number], (string | RegExp)[]> = {
  'How LLMs generate': ['Hello from the test server.'],
  'Streaming vs non-streaming': [
    'Non-streaming:',
    'Streaming:',
    /Time to first character: \d+\.\d\ds[\s\S]*Time to first character: \d+\.\d\ds/,
    /Response length: 27 chars[\s\S]*Response length: 27 chars/,
    /Streaming is -?\d+% faster for the first character/,
  ],
  'Basic streaming': ['Hello from the test server.'],
  'Live markdown': ['<p>Hello from the test server.▌</p>', '<p>Hello from the test server.</p>'],
  'Word detection': ['Found "Hello"!', 'Found "test server"!', 'Found 2/3 watch words: Hello, test server'],
  'Early stop': ['Hello from the test', 'Stopped: found "the TEST"'],
  'Token stats': [
    /Chunks received: \d+/,
    /Time to first token: \d/,
    'Characters: 27',
    'Completion tokens: 6',
  ],
  'Tools and structured output': ['Hello from the test server.'],
  'Two wire formats': [
    /Chat Completions: \d+ chunks, first text after \d+\.\d\ds\nHello from the test server\./,
    /Responses: \d+ events/,
  ],
  Chat: ['Hello from the test server.'],
  'Model race': [RACE_LANE],
};

interface Shown {
  python: string;
  typescript: string;
}

describe('Show code runs as shown, with the learner’s own inputs', () => {
  const shown = new Map<string, Shown>();
  /** Started as soon as each lab's code is read, so node and pyflakes run side by side. */
  const runs = new Map<string, Promise<{ ts: Ran; py: Ran }>>();
  // The race reads each lane's key from its own variable.
  const env = { OPENAI_BASE_URL: '', OPENAI_API_KEY: KEY, LANE_1_API_KEY: KEY, LANE_2_API_KEY: KEY };

  beforeAll(async () => {
    env.OPENAI_BASE_URL = h.api.baseURL;
    // Simulator mode, as a learner with no key starts: the code must not point at the simulator.
    const page = await h.open();
    for (const lab of CODED) {
      await openTab(page, lab);
      await fillInputs(page, lab);
      const code = {
        python: await shownCode(page, 'Python'),
        typescript: await shownCode(page, 'TypeScript'),
      };
      shown.set(lab, code);
      runs.set(
        lab,
        Promise.all([runTypeScript(code.typescript, env), pyflakes(code.python)]).then(([ts, py]) => ({
          ts,
          py,
        })),
      );
    }
  }, 120_000);

  it.each(CODED)('%s: the Python defines every name it uses (pyflakes is silent)', async (lab) => {
    const { py } = await runs.get(lab)!;
    expect(py.out).toBe('');
    expect(py.code).toBe(0);
  });

  it.each(CODED)('%s: the TypeScript runs with node and prints what the lab shows', async (lab) => {
    const { ts } = await runs.get(lab)!;
    expect(ts.out, ts.out).not.toMatch(/Error/);
    expect(ts.code).toBe(0);
    for (const expected of PRINTS[lab]) {
      if (typeof expected === 'string') expect(ts.out).toContain(expected);
      // A global pattern is one line per race lane.
      else if (expected.global) expect(ts.out.match(expected)).toHaveLength(2);
      else expect(ts.out).toMatch(expected);
    }
  });

  it.each(CODED)('%s: both languages carry the learner’s inputs and never the simulator’s address', (lab) => {
    const { python, typescript } = shown.get(lab)!;
    for (const code of [python, typescript]) {
      expect(code).not.toContain('simulator.invalid');
      expect(code).not.toContain(KEY);
      expect(code).toContain(lab === 'Chat' ? SECOND_MESSAGE : 'ünïcode ✓');
    }
    if (lab === 'Model race') {
      expect(python).toContain('api_key=os.environ.get("LANE_2_API_KEY", "none")');
      expect(python).toContain('asyncio.gather(');
      expect(typescript).toContain("apiKey: process.env.LANE_2_API_KEY ?? 'none'");
      expect(typescript).toContain('Promise.all(');
      return;
    }
    expect(python).toMatch(/client = OpenAI\(\)/);
    expect(typescript).toMatch(/const client = new OpenAI\(\);/);
  });

  it('the TypeScript sent the learner’s prompt, as the page’s request builder built it', async () => {
    for (const lab of CODED) await runs.get(lab);
    for (const lab of CODED.filter((t) => t !== 'Chat')) {
      const sent = sentWith(prompt(lab));
      const streams: Record<string, boolean[]> = {
        'Streaming vs non-streaming': [false, true],
        // One request per lane.
        'Model race': [true, true],
      };
      expect(
        sent.map((r) => r.body?.stream),
        lab,
      ).toEqual(streams[lab] ?? [true]);
    }
    // Two wire formats sends the same prompt to /responses too.
    const both = JSON.stringify(prompt('Two wire formats')).slice(1, -1);
    const viaResponses = h.api.requests.filter(
      (r) => r.url === '/v1/responses' && JSON.stringify(r.body?.input ?? []).includes(both),
    );
    expect(viaResponses.map((r) => r.body?.stream)).toEqual([true]);
    expect(sentWith(prompt('Token stats'))[0]!.body).toHaveProperty('stream_options', {
      include_usage: true,
    });
    // Each lane asks for usage, as the page's lanes do.
    expect(sentWith(prompt('Model race')).map((r) => r.body?.stream_options)).toEqual([
      { include_usage: true },
      { include_usage: true },
    ]);
  });

  it('Word detection and Early stop: the learner’s watch words and stop phrase are in both languages', () => {
    const words = shown.get('Word detection')!;
    expect(words.python).toContain('watch_words = ["Hello", "test server", "absent"]');
    expect(words.typescript).toContain('const watchWords = ["Hello","test server","absent"];');
    const stop = shown.get('Early stop')!;
    expect(stop.python).toContain('stop_phrase = "the TEST"');
    expect(stop.typescript).toContain('const stopPhrase = "the TEST";');
  });

  it('Early stop: the TypeScript stops reading at the phrase', async () => {
    const { ts } = await runs.get('Early stop')!;
    expect(ts.out).not.toContain('server.');
  });

  it('Chat: the StreamingChat class sends the system prompt, the history and the new message', async () => {
    const { python, typescript } = shown.get('Chat')!;
    expect(python).toContain('class StreamingChat:');
    expect(python).toContain('def clear_history(self):');
    expect(typescript).toContain('clearHistory(): void');
    await runs.get('Chat');
    const [request] = sentWith(SECOND_MESSAGE);
    const messages = request!.body!.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0]!.content).toBe(SYSTEM_PROMPT);
    expect(messages[1]!.content).toBe(FIRST_MESSAGE);
    expect(messages[2]!.content.length).toBeGreaterThan(0);
    expect(messages[3]!.content).toBe(SECOND_MESSAGE);
  });

  it('Custom endpoint: the code shows its base URL and runs there; tool calls are put together', async () => {
    const page = await h.open('#/tools');
    await connect(page, {
      provider: 'Custom',
      baseURL: h.api.baseURL,
      key: KEY,
      model: 'parallel-tool-calls',
    });
    await openTab(page, 'Tools and structured output');
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt('Custom tools'));
    const [python, typescript] = [await shownCode(page, 'Python'), await shownCode(page, 'TypeScript')];
    for (const code of [python, typescript]) {
      expect(code).toContain(h.api.baseURL);
      expect(code).not.toContain(KEY);
    }
    // No OPENAI_BASE_URL: the URL written in the code is the one used.
    const [ts, py] = await Promise.all([
      runTypeScript(typescript, { OPENAI_BASE_URL: undefined, OPENAI_API_KEY: KEY }),
      pyflakes(python),
    ]);
    expect(py.out).toBe('');
    expect(ts.out, ts.out).not.toMatch(/Error/);
    expect(ts.code).toBe(0);
    expect(ts.out).toMatch(/0 get_weather \{ city: 'Paris', unit: 'celsius' \}/);
    expect(ts.out).toMatch(/1 get_weather \{ city: 'Tokyo', unit: 'celsius' \}/);
    expect(sentWith(prompt('Custom tools'))).toHaveLength(1);
  });

  it('Custom endpoint, Early stop: the TypeScript closes the connection while the server is still sending', async () => {
    const page = await h.open('#/early-stop');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'count' });
    await openTab(page, 'Early stop');
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt('Custom early stop'));
    await page.getByLabel('Stop phrase').fill('10');
    // The server holds the stream open right after "10": only the client can end it there.
    const gate = h.api.hold('count');
    const ts = await runTypeScript(await shownCode(page, 'TypeScript'), env);
    gate.release();
    expect(ts.code, ts.out).toBe(0);
    expect(ts.out).toContain('9\n10');
    expect(ts.out).toContain('Stopped: found "10"');
    expect(ts.out).not.toContain('11');
    const [request] = sentWith(prompt('Custom early stop')) as [RecordedRequest];
    await expect.poll(() => request.closedAt).not.toBeNull();
    expect(request.clientAborted).toBe(true);
  });

  it('Custom endpoint, Word detection: words split across chunks are found ("Ne|ural")', async () => {
    const page = await h.open('#/word-detection');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'split-words' });
    await openTab(page, 'Word detection');
    await page.getByLabel('Watch words').fill('neural, deep, learning, absent');
    const ts = await runTypeScript(await shownCode(page, 'TypeScript'), env);
    expect(ts.code, ts.out).toBe(0);
    for (const word of ['neural', 'deep', 'learning']) expect(ts.out).toContain(`Found "${word}"!`);
    expect(ts.out).toContain('Found 3/4 watch words');
  });
});

/**
 * The labs whose Show code follows the learner's API (every lab built on StreamLab). Two wire
 * formats always shows both calls, whatever the choice; Model race follows each lane's profile.
 */
const FOLLOWING = RUN_LABS.filter(
  (lab) => lab !== 'Streaming vs non-streaming' && lab !== 'Two wire formats' && lab !== 'Model race',
);

/** What each lab's TypeScript prints on Responses against the test server. */
const RESPONSES_PRINTS: Record<(typeof FOLLOWING)[number], (string | RegExp)[]> = {
  'How LLMs generate': [/"Hello"\s+60\.7%/],
  'Basic streaming': ['Hello from the test server.'],
  'Live markdown': ['<p>Hello from the test server.▌</p>', '<p>Hello from the test server.</p>'],
  'Word detection': ['Found "Hello"!', 'Found "test server"!', 'Found 2/3 watch words: Hello, test server'],
  'Early stop': ['Hello from the test', 'Stopped: found "the TEST"'],
  'Token stats': [
    /Events received: \d+/,
    /Time to first token: \d/,
    'Characters: 27',
    'Completion tokens: 12',
  ],
  'Tools and structured output': ['Hello from the test server.'],
};

describe('Show code on the Responses API runs as shown', () => {
  const shown = new Map<string, Shown>();
  const runs = new Map<string, Promise<{ ts: Ran; py: Ran }>>();
  const env = { OPENAI_BASE_URL: '', OPENAI_API_KEY: KEY };
  const responses = () => h.api.requests.filter((r) => r.url === '/v1/responses');

  beforeAll(async () => {
    env.OPENAI_BASE_URL = h.api.baseURL;
    const page = await h.open();
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'Responses' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    for (const lab of FOLLOWING) {
      await openTab(page, lab);
      await fillInputs(page, lab);
      const code = {
        python: await shownCode(page, 'Python'),
        typescript: await shownCode(page, 'TypeScript'),
      };
      shown.set(lab, code);
      runs.set(
        lab,
        Promise.all([runTypeScript(code.typescript, env), pyflakes(code.python)]).then(([ts, py]) => ({
          ts,
          py,
        })),
      );
    }
  }, 120_000);

  it.each(FOLLOWING)('%s: the Python is client.responses.create and pyflakes is silent', async (lab) => {
    const { py } = await runs.get(lab)!;
    expect(py.out).toBe('');
    expect(py.code).toBe(0);
    expect(shown.get(lab)!.python).toContain('client.responses.create(');
    expect(shown.get(lab)!.python).not.toContain('chat.completions');
  });

  it.each(FOLLOWING)(
    '%s: the TypeScript runs against /responses and prints what the lab shows',
    async (lab) => {
      const { ts } = await runs.get(lab)!;
      expect(ts.out, ts.out).not.toMatch(/Error/);
      expect(ts.code).toBe(0);
      for (const expected of RESPONSES_PRINTS[lab]) {
        if (typeof expected === 'string') expect(ts.out).toContain(expected);
        else expect(ts.out).toMatch(expected);
      }
      const sent = responses().filter((r) =>
        JSON.stringify(r.body?.input ?? []).includes('Snippet check for ' + lab),
      );
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toMatchObject({ stream: true });
    },
  );

  it('wire formats: both calls run, one after the other, and print what each format sent', async () => {
    const request = {
      model: 'test-model',
      messages: [{ role: 'user' as const, content: 'Snippet check for wire formats' }],
      max_completion_tokens: 50,
    };
    const from = h.api.requests.length;
    const ts = await runTypeScript(
      typescriptSnippet(request, {
        baseURL: SIMULATOR_BASE_URL,
        stream: true,
        program: { kind: 'wire-formats' },
      }),
      env,
    );
    expect(ts.code, ts.out).toBe(0);
    expect(ts.out).toMatch(
      /Chat Completions: \d+ chunks, first text after \d+\.\d\ds\nHello from the test server\./,
    );
    expect(ts.out).toMatch(/Responses: \d+ events, first text after \d+\.\d\ds/);
    expect(ts.out).toMatch(/\s+6 response\.output_text\.delta/);
    expect(ts.out).toContain('input_tokens');
    expect(h.api.requests.slice(from).map((r) => r.url)).toEqual(['/v1/chat/completions', '/v1/responses']);
  });
});
