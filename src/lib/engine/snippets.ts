/**
 * "Show code": the `openai` Python and TypeScript program equivalent to what a lab does, so a
 * learner can take what they saw into their own program and run it as it stands.
 *
 * Each lab names its program shape (`SnippetProgram`) and hands over its own inputs (watch words,
 * stop phrase); the loops are written here, so every name a program uses is defined in it.
 * Invariants: every program prints every field of `requestParams` and nothing else (the code shown
 * is the request sent); the client is `OpenAI()` reading the key from the environment, never a key
 * in code; the base URL is printed only for a Custom endpoint, as `publicURL` makes it (no
 * credentials or query secrets), and never the simulator's in-page address.
 */
import type { ChatRequest } from './types';
import { publicURL } from './endpoint';
import { OPENAI_BASE_URL, SIMULATOR_BASE_URL } from './providers';
import { requestParams } from './request';
import { isReasoningModel } from './models';

/** What the program does with the stream: one shape per lab, with the lab's own inputs. */
export type SnippetProgram =
  | { kind: 'print' }
  | { kind: 'compare' }
  | { kind: 'markdown' }
  | { kind: 'word-detection'; watchWords: string[] }
  | { kind: 'early-stop'; stopPhrase: string }
  | { kind: 'token-stats' }
  | { kind: 'chat' };

export interface SnippetOptions {
  baseURL: string;
  /** For the `print` program: stream the answer, or wait for the whole of it. */
  stream: boolean;
  /** Defaults to `print`. */
  program?: SnippetProgram;
}

type Params = ReturnType<typeof requestParams>;

interface Shape {
  params: Params;
  baseURL: string;
  tools: boolean;
  reasoning: boolean;
  usage: boolean;
  /** The print program shows each token's probability when the request asks for logprobs. */
  logprobs: boolean;
}

function shape(request: ChatRequest, options: SnippetOptions, stream = true): Shape {
  const params = requestParams(request, stream);
  return {
    params,
    baseURL: publicURL(options.baseURL),
    tools: Boolean(params.tools?.length),
    reasoning: isReasoningModel(request.model),
    usage: Boolean(params.stream && params.stream_options?.include_usage),
    logprobs: false,
  };
}

const indent = (lines: string[], by: string) => lines.map((l) => (l ? by + l : l));

// ---------------------------------------------------------------- Python

/** A Python literal for a JSON value; lists of dicts (messages) one item per line. */
function py(v: unknown, pad = '    '): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) {
    if (!v.some((item) => typeof item === 'object' && item !== null))
      return `[${v.map((i) => py(i)).join(', ')}]`;
    const inner = `${pad}    `;
    return `[\n${v.map((item) => `${inner}${py(item, inner)},`).join('\n')}\n${pad}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v).map(([k, item]) => `${JSON.stringify(k)}: ${py(item, pad)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(v);
}

/** `name = client.chat.completions.create(...)` with every param; `messages` may be an expression. */
function pyCreate(target: string, params: object, pad = '', messages?: string): string[] {
  const args = Object.entries(params).map(([key, value]) =>
    key === 'messages' && messages ? `${key}=${messages}` : `${key}=${py(value, `${pad}    `)}`,
  );
  return [`${target} = client.chat.completions.create(`, ...args.map((a) => `    ${a},`), ')'].map(
    (l) => pad + l,
  );
}

function pyClient(baseURL: string): string[] {
  if (baseURL === OPENAI_BASE_URL) return ['client = OpenAI()  # reads OPENAI_API_KEY from the environment'];
  if (baseURL === SIMULATOR_BASE_URL || !baseURL)
    return [
      '# OpenAI() reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set) from the environment.',
      "# The page's simulator lives only in your browser; to use another OpenAI-compatible server,",
      '# set OPENAI_BASE_URL or pass it: OpenAI(base_url="http://localhost:11434/v1")',
      'client = OpenAI()',
    ];
  return [
    '# Your endpoint; OPENAI_BASE_URL overrides it. The key comes from OPENAI_API_KEY.',
    'client = OpenAI(',
    `    base_url=os.environ.get("OPENAI_BASE_URL", ${py(baseURL)}),`,
    '    api_key=os.environ.get("OPENAI_API_KEY", "none"),',
    ')',
  ];
}

function pyHead(s: Shape, imports: string[] = []): string[] {
  const custom = s.baseURL !== OPENAI_BASE_URL && s.baseURL !== SIMULATOR_BASE_URL && Boolean(s.baseURL);
  return [
    ...(s.tools ? ['import json'] : []),
    ...(custom ? ['import os'] : []),
    ...imports,
    'from openai import OpenAI',
    '',
    ...pyClient(s.baseURL),
    '',
  ];
}

/**
 * `for chunk in stream:` with what every streamed program handles (reasoning, tool-call pieces,
 * the usage chunk); `onContent` runs for each piece of answer text, held in `content`.
 */
function pyLoop(s: Shape, onContent: string[], before: string[] = [], onUsage?: string[]): string[] {
  return [
    'for chunk in stream:',
    ...indent(before, '    '),
    ...(s.usage
      ? [
          '    # The usage-only final chunk has no choices.',
          '    if chunk.usage:',
          ...indent(onUsage ?? ['print("\\n", chunk.usage)'], '        '),
        ]
      : []),
    ...(s.reasoning
      ? [
          '    # Providers that show reasoning stream it apart from the answer (DeepSeek, OpenRouter, vLLM).',
          '    thought = chunk.choices and (getattr(chunk.choices[0].delta, "reasoning_content", None)',
          '                                 or getattr(chunk.choices[0].delta, "reasoning", None))',
          '    if thought:',
          '        print(thought, end="", flush=True)',
        ]
      : []),
    ...(s.tools
      ? [
          '    for piece in (chunk.choices and chunk.choices[0].delta.tool_calls) or []:',
          '        call = calls.setdefault(piece.index, {"name": "", "arguments": ""})',
          '        if piece.function and piece.function.name:',
          '            call["name"] += piece.function.name',
          '        if piece.function and piece.function.arguments:',
          '            call["arguments"] += piece.function.arguments',
        ]
      : []),
    ...(s.logprobs
      ? [
          '    # With logprobs: one line per token, how likely it was and what else could have come.',
          '    logprobs = chunk.choices and chunk.choices[0].logprobs',
          '    if logprobs and logprobs.content:',
          '        for item in logprobs.content:',
          '            others = ", ".join(f"{alt.token!r} {math.exp(alt.logprob):.1%}" for alt in item.top_logprobs)',
          '            print(f"{item.token!r:>16} {math.exp(item.logprob):6.1%}   {others}")',
          '        continue',
        ]
      : []),
    '    # Content is None in role-only, tool-call and finish chunks.',
    '    if chunk.choices and chunk.choices[0].delta.content:',
    '        content = chunk.choices[0].delta.content',
    ...indent(onContent, '        '),
  ];
}

const pyCallsBefore = (s: Shape) =>
  s.tools ? ['calls = {}  # index -> {"name": ..., "arguments": ...}: each piece names its call'] : [];
const pyCallsAfter = (s: Shape) =>
  s.tools
    ? [
        '',
        '# Arguments are only valid JSON once the stream has ended.',
        'for index, call in sorted(calls.items()):',
        '    print(index, call["name"], json.loads(call["arguments"]))',
      ]
    : [];

const PY_PRINT = ['print(content, end="", flush=True)'];

function pyProgram(request: ChatRequest, options: SnippetOptions): string[] {
  const program = options.program ?? { kind: 'print' };
  if (program.kind === 'compare') {
    const whole = shape(request, options, false);
    const s = shape(request, options);
    return [
      ...pyHead(s, ['import time']),
      '# 1. Not streamed: the first character arrives with the last.',
      'start = time.perf_counter()',
      ...pyCreate('response', whole.params),
      'first_char_time = time.perf_counter() - start',
      'content = response.choices[0].message.content or ""',
      'print("Non-streaming:")',
      'print(f"   Time to first character: {first_char_time:.2f}s")',
      'print(f"   Total time: {first_char_time:.2f}s")',
      'print(f"   Response length: {len(content)} chars")',
      '',
      '# 2. Streamed: the same request with stream=True.',
      'start = time.perf_counter()',
      ...pyCreate('stream', s.params),
      'first_token_time = None',
      'streamed_content = ""',
      ...pyCallsBefore(s),
      ...pyLoop(s, [
        'if first_token_time is None:',
        '    first_token_time = time.perf_counter() - start',
        'streamed_content += content',
      ]),
      'total_time_stream = time.perf_counter() - start',
      ...pyCallsAfter(s),
      'print("Streaming:")',
      'if first_token_time is not None:',
      '    print(f"   Time to first character: {first_token_time:.2f}s")',
      'print(f"   Total time: {total_time_stream:.2f}s")',
      'print(f"   Response length: {len(streamed_content)} chars")',
      'if first_token_time is not None and first_char_time > 0:',
      '    improvement = (first_char_time - first_token_time) / first_char_time * 100',
      '    print(f"Streaming is {improvement:.0f}% faster for the first character")',
    ];
  }
  const s = shape(request, options, options.stream || program.kind !== 'print');
  if (!s.params.stream)
    return [...pyHead(s), ...pyCreate('response', s.params), 'print(response.choices[0].message.content)'];
  switch (program.kind) {
    case 'markdown':
      return [
        ...pyHead(s, ['from IPython.display import Markdown, clear_output, display  # in Jupyter']),
        ...pyCreate('stream', s.params),
        '',
        'full_response = ""',
        ...pyCallsBefore(s),
        ...pyLoop(s, [
          'full_response += content',
          '# Clear and re-render everything so far, with a cursor at the live end.',
          'clear_output(wait=True)',
          'display(Markdown(full_response + "▌"))',
        ]),
        '',
        '# Final render without the cursor.',
        'clear_output(wait=True)',
        'display(Markdown(full_response))',
        ...pyCallsAfter(s),
      ];
    case 'word-detection':
      return [
        ...pyHead(s),
        `watch_words = ${py(program.watchWords)}`,
        '',
        ...pyCreate('stream', s.params),
        '',
        'full_response = ""',
        'found_words = []',
        ...pyCallsBefore(s),
        ...pyLoop(s, [
          'full_response += content',
          'print(content, end="", flush=True)',
          '# Search all the text so far, not this chunk: a word can arrive split ("Ne" + "ural").',
          'for word in watch_words:',
          '    if word not in found_words and word.lower() in full_response.lower():',
          '        found_words.append(word)',
          '        print(f"\\nFound {word!r}!")',
        ]),
        ...pyCallsAfter(s),
        '',
        'print(f"\\n\\nFound {len(found_words)}/{len(watch_words)} watch words: {found_words}")',
      ];
    case 'early-stop':
      return [
        ...pyHead(s),
        `stop_phrase = ${py(program.stopPhrase)}`,
        '',
        ...pyCreate('stream', s.params),
        '',
        'full_response = ""',
        'stopped_early = False',
        ...pyCallsBefore(s),
        ...pyLoop(s, [
          'full_response += content',
          'print(content, end="", flush=True)',
          'if stop_phrase.lower() in full_response.lower():',
          '    stream.close()  # closes the connection: the server stops generating',
          '    stopped_early = True',
          '    print(f"\\n\\nStopped: found {stop_phrase!r}")',
          '    break',
        ]),
        ...pyCallsAfter(s),
        '',
        'if not stopped_early:',
        '    print("\\n\\nCompleted without finding the stop phrase")',
      ];
    case 'token-stats':
      return [
        ...pyHead(s, ['import time']),
        'start_time = time.perf_counter()',
        ...pyCreate('stream', s.params),
        '',
        'full_response = ""',
        'chunk_count = 0',
        'first_token_time = None',
        'usage = None',
        ...pyCallsBefore(s),
        ...pyLoop(
          { ...s, usage: true },
          [
            'if first_token_time is None:',
            '    first_token_time = time.perf_counter() - start_time',
            'full_response += content',
            'print(content, end="", flush=True)',
          ],
          ['chunk_count += 1'],
          ['usage = chunk.usage  # only with stream_options={"include_usage": True}'],
        ),
        'total_time = time.perf_counter() - start_time',
        ...pyCallsAfter(s),
        '',
        'print("\\n\\nStreaming statistics:")',
        'print(f"   Chunks received: {chunk_count}")',
        'if first_token_time is not None:',
        '    print(f"   Time to first token: {first_token_time:.3f}s")',
        'print(f"   Total time: {total_time:.3f}s")',
        'print(f"   Characters: {len(full_response)}")',
        'if usage:',
        '    print(f"   Prompt tokens: {usage.prompt_tokens}")',
        '    print(f"   Completion tokens: {usage.completion_tokens}")',
        '    print(f"   Tokens per second: {usage.completion_tokens / total_time:.1f}")',
      ];
    case 'chat':
      return pyChat(s);
    default: {
      const shown = { ...s, logprobs: Boolean(s.params.logprobs) };
      return [
        ...pyHead(s, shown.logprobs ? ['import math'] : []),
        ...pyCreate('stream', s.params),
        '',
        ...pyCallsBefore(s),
        ...pyLoop(shown, PY_PRINT),
        ...pyCallsAfter(s),
        'print()',
      ];
    }
  }
}

interface Turns {
  system: string | null;
  history: { role: string; content: string }[];
  message: string | null;
}

/** A chat request's messages as the class sees them: system prompt, history, the message sent. */
function turns(params: Params): Turns {
  const messages = params.messages.map((m) => ({
    role: m.role,
    content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''),
  }));
  const system = messages[0]?.role === 'system' ? messages.shift()!.content : null;
  const last = messages.at(-1);
  const message = last?.role === 'user' ? messages.pop()!.content : null;
  return { system, history: messages, message };
}

function pyChat(s: Shape): string[] {
  const t = turns(s.params);
  return [
    ...pyHead(s),
    '',
    'class StreamingChat:',
    '    """A conversation: the whole history goes with every request."""',
    '',
    '    def __init__(self, system_prompt=None):',
    '        self.messages = [{"role": "system", "content": system_prompt}] if system_prompt else []',
    '',
    '    def chat(self, user_message):',
    '        """Send a message and stream the reply."""',
    '        self.messages.append({"role": "user", "content": user_message})',
    ...pyCreate('stream', s.params, '        ', 'self.messages'),
    '        assistant_response = ""',
    ...indent(pyCallsBefore(s), '        '),
    ...indent(pyLoop(s, ['assistant_response += content', ...PY_PRINT]), '        '),
    ...indent(pyCallsAfter(s), '        '),
    '        print()',
    '        self.messages.append({"role": "assistant", "content": assistant_response})',
    '        return assistant_response',
    '',
    '    def clear_history(self):',
    '        """Forget the conversation, keeping the system prompt."""',
    '        self.messages = [m for m in self.messages if m["role"] == "system"]',
    '',
    '',
    `chat = StreamingChat(${t.system === null ? '' : py(t.system)})`,
    ...(t.history.length
      ? ['# The conversation so far, as the page holds it.', `chat.messages += ${py(t.history, '')}`]
      : []),
    t.message === null ? '# chat.chat("Your message")' : `chat.chat(${py(t.message)})`,
    '# chat.clear_history() starts over.',
  ];
}

export function pythonSnippet(request: ChatRequest, options: SnippetOptions): string {
  return pyProgram(request, options).join('\n');
}

// ---------------------------------------------------------------- TypeScript

/** `const name = await client.chat.completions.create({...})`; `messages` may be an expression. */
function tsCreate(target: string, params: object, pad = '', messages?: string): string[] {
  const HOLE = '\u0000messages';
  let body = JSON.stringify(messages ? { ...params, messages: HOLE } : params, null, 2);
  if (messages) body = body.replace(JSON.stringify(HOLE), messages);
  return `${target} = await client.chat.completions.create(${body});`.split('\n').map((l) => pad + l);
}

function tsClient(baseURL: string): string[] {
  if (baseURL === OPENAI_BASE_URL) return ['const client = new OpenAI(); // reads OPENAI_API_KEY'];
  if (baseURL === SIMULATOR_BASE_URL || !baseURL)
    return [
      '// new OpenAI() reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set) from the environment.',
      "// The page's simulator lives only in your browser; to use another OpenAI-compatible server,",
      "// set OPENAI_BASE_URL or pass it: new OpenAI({ baseURL: 'http://localhost:11434/v1' })",
      'const client = new OpenAI();',
    ];
  return [
    '// Your endpoint; OPENAI_BASE_URL overrides it. The key comes from OPENAI_API_KEY.',
    'const client = new OpenAI({',
    `  baseURL: process.env.OPENAI_BASE_URL ?? ${JSON.stringify(baseURL)},`,
    "  apiKey: process.env.OPENAI_API_KEY ?? 'none',",
    '});',
  ];
}

function tsHead(s: Shape, imports: string[] = []): string[] {
  return ["import OpenAI from 'openai';", ...imports, '', ...tsClient(s.baseURL), ''];
}

function tsLoop(s: Shape, onContent: string[], before: string[] = [], onUsage?: string[]): string[] {
  return [
    'for await (const chunk of stream) {',
    ...indent(before, '  '),
    ...(s.usage
      ? [
          '  // The usage-only final chunk has no choices.',
          '  if (chunk.usage) {',
          ...indent(onUsage ?? ['console.log(chunk.usage);'], '    '),
          '  }',
        ]
      : []),
    ...(s.reasoning
      ? [
          '  // Providers that show reasoning stream it apart from the answer (DeepSeek, OpenRouter, vLLM).',
          '  const extra = chunk.choices[0]?.delta as { reasoning_content?: string; reasoning?: string } | undefined;',
          '  const thought = extra?.reasoning_content ?? extra?.reasoning;',
          '  if (thought) process.stdout.write(thought);',
        ]
      : []),
    ...(s.tools
      ? [
          '  for (const piece of chunk.choices[0]?.delta?.tool_calls ?? []) {',
          "    const call = calls.get(piece.index) ?? { name: '', arguments: '' };",
          "    call.name += piece.function?.name ?? '';",
          "    call.arguments += piece.function?.arguments ?? '';",
          '    calls.set(piece.index, call);',
          '  }',
        ]
      : []),
    ...(s.logprobs
      ? [
          '  // With logprobs: one line per token, how likely it was and what else could have come.',
          '  const logprobs = chunk.choices[0]?.logprobs?.content;',
          '  if (logprobs?.length) {',
          '    const percent = (logprob: number) => `${(Math.exp(logprob) * 100).toFixed(1)}%`;',
          '    for (const item of logprobs) {',
          '      const others = item.top_logprobs.map((alt) => `${JSON.stringify(alt.token)} ${percent(alt.logprob)}`);',
          "      console.log(`${JSON.stringify(item.token).padStart(16)} ${percent(item.logprob).padStart(6)}   ${others.join(', ')}`);",
          '    }',
          '    continue;',
          '  }',
        ]
      : []),
    '  // Content is null or absent in role-only, tool-call and finish chunks.',
    '  const content = chunk.choices[0]?.delta?.content;',
    '  if (content) {',
    ...indent(onContent, '    '),
    '  }',
    '}',
  ];
}

const tsCallsBefore = (s: Shape) =>
  s.tools
    ? [
        '// index -> the call so far: each piece names its call',
        'const calls = new Map<number, { name: string; arguments: string }>();',
      ]
    : [];
const tsCallsAfter = (s: Shape) =>
  s.tools
    ? [
        '// Arguments are only valid JSON once the stream has ended.',
        'for (const [index, call] of calls) console.log(index, call.name, JSON.parse(call.arguments));',
      ]
    : [];

const TS_PRINT = ['process.stdout.write(content);'];

function tsProgram(request: ChatRequest, options: SnippetOptions): string[] {
  const program = options.program ?? { kind: 'print' };
  if (program.kind === 'compare') {
    const whole = shape(request, options, false);
    const s = shape(request, options);
    return [
      ...tsHead(s),
      '// 1. Not streamed: the first character arrives with the last.',
      'let start = performance.now();',
      ...tsCreate('const response', whole.params),
      'const firstCharMs = performance.now() - start;',
      "const content = response.choices[0]?.message.content ?? '';",
      "console.log('Non-streaming:');",
      'console.log(`   Time to first character: ${(firstCharMs / 1000).toFixed(2)}s`);',
      'console.log(`   Total time: ${(firstCharMs / 1000).toFixed(2)}s`);',
      'console.log(`   Response length: ${content.length} chars`);',
      '',
      '// 2. Streamed: the same request with stream: true.',
      'start = performance.now();',
      ...tsCreate('const stream', s.params),
      'let firstTokenMs: number | null = null;',
      "let streamedContent = '';",
      ...tsCallsBefore(s),
      ...tsLoop(s, ['firstTokenMs ??= performance.now() - start;', 'streamedContent += content;']),
      'const totalStreamMs = performance.now() - start;',
      ...tsCallsAfter(s),
      "console.log('Streaming:');",
      'if (firstTokenMs !== null) console.log(`   Time to first character: ${(firstTokenMs / 1000).toFixed(2)}s`);',
      'console.log(`   Total time: ${(totalStreamMs / 1000).toFixed(2)}s`);',
      'console.log(`   Response length: ${streamedContent.length} chars`);',
      'if (firstTokenMs !== null && firstCharMs > 0) {',
      '  const improvement = ((firstCharMs - firstTokenMs) / firstCharMs) * 100;',
      '  console.log(`Streaming is ${improvement.toFixed(0)}% faster for the first character`);',
      '}',
    ];
  }
  const s = shape(request, options, options.stream || program.kind !== 'print');
  if (!s.params.stream)
    return [
      ...tsHead(s),
      ...tsCreate('const response', s.params),
      'console.log(response.choices[0]?.message.content);',
    ];
  switch (program.kind) {
    case 'markdown':
      return [
        ...tsHead(s, ["import { marked } from 'marked'; // npm install openai marked"]),
        '/** Re-renders the whole answer so far: the notebook’s clear-and-redraw loop. */',
        'function show(markdown: string): void {',
        '  const html = marked.parse(markdown, { async: false });',
        '  // In a page: output.innerHTML = DOMPurify.sanitize(html) (model output is untrusted).',
        '  console.clear();',
        '  console.log(html);',
        '}',
        '',
        ...tsCreate('const stream', s.params),
        '',
        "let fullResponse = '';",
        ...tsCallsBefore(s),
        ...tsLoop(s, ['fullResponse += content;', "show(fullResponse + '▌'); // a cursor at the live end"]),
        '// Final render without the cursor.',
        'show(fullResponse);',
        ...tsCallsAfter(s),
      ];
    case 'word-detection':
      return [
        ...tsHead(s),
        `const watchWords = ${JSON.stringify(program.watchWords)};`,
        '',
        ...tsCreate('const stream', s.params),
        '',
        "let fullResponse = '';",
        'const found: string[] = [];',
        ...tsCallsBefore(s),
        ...tsLoop(s, [
          'fullResponse += content;',
          'process.stdout.write(content);',
          '// Search all the text so far, not this chunk: a word can arrive split ("Ne" + "ural").',
          'for (const word of watchWords) {',
          '  if (!found.includes(word) && fullResponse.toLowerCase().includes(word.toLowerCase())) {',
          '    found.push(word);',
          '    console.log(`\\nFound "${word}"!`);',
          '  }',
          '}',
        ]),
        ...tsCallsAfter(s),
        "console.log(`\\n\\nFound ${found.length}/${watchWords.length} watch words: ${found.join(', ')}`);",
      ];
    case 'early-stop':
      return [
        ...tsHead(s),
        `const stopPhrase = ${JSON.stringify(program.stopPhrase)};`,
        '',
        ...tsCreate('const stream', s.params),
        '',
        "let fullResponse = '';",
        'let stoppedEarly = false;',
        ...tsCallsBefore(s),
        ...tsLoop(s, [
          'fullResponse += content;',
          'process.stdout.write(content);',
          'if (fullResponse.toLowerCase().includes(stopPhrase.toLowerCase())) {',
          '  stream.controller.abort(); // closes the connection: the server stops generating',
          '  stoppedEarly = true;',
          '  console.log(`\\n\\nStopped: found "${stopPhrase}"`);',
          '  break;',
          '}',
        ]),
        ...tsCallsAfter(s),
        "if (!stoppedEarly) console.log('\\n\\nCompleted without finding the stop phrase');",
      ];
    case 'token-stats':
      return [
        ...tsHead(s),
        'const start = performance.now();',
        ...tsCreate('const stream', s.params),
        '',
        "let fullResponse = '';",
        'let chunkCount = 0;',
        'let firstTokenMs: number | null = null;',
        'let usage: OpenAI.CompletionUsage | null = null;',
        ...tsCallsBefore(s),
        ...tsLoop(
          { ...s, usage: true },
          ['firstTokenMs ??= performance.now() - start;', 'fullResponse += content;', ...TS_PRINT],
          ['chunkCount += 1;'],
          ['usage = chunk.usage; // only with stream_options: { include_usage: true }'],
        ),
        'const totalMs = performance.now() - start;',
        ...tsCallsAfter(s),
        "console.log('\\n\\nStreaming statistics:');",
        'console.log(`   Chunks received: ${chunkCount}`);',
        'if (firstTokenMs !== null) console.log(`   Time to first token: ${(firstTokenMs / 1000).toFixed(3)}s`);',
        'console.log(`   Total time: ${(totalMs / 1000).toFixed(3)}s`);',
        'console.log(`   Characters: ${fullResponse.length}`);',
        'if (usage) {',
        '  console.log(`   Prompt tokens: ${usage.prompt_tokens}`);',
        '  console.log(`   Completion tokens: ${usage.completion_tokens}`);',
        '  console.log(`   Tokens per second: ${(usage.completion_tokens / (totalMs / 1000)).toFixed(1)}`);',
        '}',
      ];
    case 'chat':
      return tsChat(s);
    default:
      return [
        ...tsHead(s),
        ...tsCreate('const stream', s.params),
        '',
        ...tsCallsBefore(s),
        ...tsLoop({ ...s, logprobs: Boolean(s.params.logprobs) }, TS_PRINT),
        ...tsCallsAfter(s),
        "process.stdout.write('\\n');",
      ];
  }
}

function tsChat(s: Shape): string[] {
  const t = turns(s.params);
  return [
    ...tsHead(s),
    '/** A conversation: the whole history goes with every request. */',
    'class StreamingChat {',
    '  messages: OpenAI.Chat.ChatCompletionMessageParam[];',
    '',
    '  constructor(systemPrompt?: string) {',
    "    this.messages = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];",
    '  }',
    '',
    '  /** Sends a message and streams the reply. */',
    '  async chat(userMessage: string): Promise<string> {',
    "    this.messages.push({ role: 'user', content: userMessage });",
    ...tsCreate('const stream', s.params, '    ', 'this.messages'),
    "    let assistantResponse = '';",
    ...indent(tsCallsBefore(s), '    '),
    ...indent(tsLoop(s, ['assistantResponse += content;', ...TS_PRINT]), '    '),
    ...indent(tsCallsAfter(s), '    '),
    "    process.stdout.write('\\n');",
    "    this.messages.push({ role: 'assistant', content: assistantResponse });",
    '    return assistantResponse;',
    '  }',
    '',
    '  /** Forgets the conversation, keeping the system prompt. */',
    '  clearHistory(): void {',
    "    this.messages = this.messages.filter((m) => m.role === 'system');",
    '  }',
    '}',
    '',
    `const chat = new StreamingChat(${t.system === null ? '' : JSON.stringify(t.system)});`,
    ...(t.history.length
      ? [
          '// The conversation so far, as the page holds it.',
          `chat.messages.push(...(${JSON.stringify(t.history, null, 2)} as OpenAI.Chat.ChatCompletionMessageParam[]));`,
        ]
      : []),
    t.message === null
      ? "// await chat.chat('Your message');"
      : `await chat.chat(${JSON.stringify(t.message)});`,
    '// chat.clearHistory() starts over.',
  ];
}

export function typescriptSnippet(request: ChatRequest, options: SnippetOptions): string {
  return tsProgram(request, options).join('\n');
}

/** How to run the program shown: what to install, where the key goes, the command. */
export function runHint(language: 'python' | 'typescript', options: SnippetOptions): string {
  const markdown = options.program?.kind === 'markdown';
  if (language === 'python')
    return markdown
      ? 'Run it in a Jupyter notebook after pip install openai, with OPENAI_API_KEY set in the environment.'
      : 'Run it with python after pip install openai, with OPENAI_API_KEY set in the environment.';
  return `Run it with npx tsx after npm install openai${markdown ? ' marked' : ''}, with OPENAI_API_KEY set in the environment.`;
}
