/**
 * "Show code": the `openai` Python and TypeScript program equivalent to what a lab does, so a
 * learner can take what they saw into their own program and run it as it stands.
 *
 * Each lab names its program shape (`SnippetProgram`) and hands over its own inputs (watch words,
 * stop phrase); the loops are written here, so every name a program uses is defined in it. Every
 * shape is written for the API the learner picked (`SnippetOptions.api`): Chat Completions reads
 * `chunk.choices[0].delta`, Responses switches on each event's `type`; 'wire-formats' shows both.
 * Invariants: every program prints every field of `requestParams` (Chat Completions) or
 * `responseParams` (Responses) and nothing else (the code shown is the request sent); the client is `OpenAI()` reading the key from the environment, never a key
 * in code (a race reads one variable per lane, `LANE_<n>_API_KEY`); the base URL is printed only for a Custom endpoint, as `publicURL` makes it (no
 * credentials or query secrets), and never the simulator's in-page address.
 */
import type { Api, ChatRequest } from './types';
import { publicURL } from './endpoint';
import { OPENAI_BASE_URL, SIMULATOR_BASE_URL } from './providers';
import { requestParams, responseParams } from './request';
import { isReasoningModel } from './models';

/** What the program does with the stream: one shape per lab, with the lab's own inputs. */
export type SnippetProgram =
  | { kind: 'print' }
  | { kind: 'compare' }
  | { kind: 'markdown' }
  | { kind: 'word-detection'; watchWords: string[] }
  | { kind: 'early-stop'; stopPhrase: string }
  | { kind: 'token-stats' }
  | { kind: 'chat' }
  /** The same request by Chat Completions, then by Responses: chunks against typed events. */
  | { kind: 'wire-formats' }
  /**
   * One request sent to several endpoints at once, one client per lane. Each lane carries its own
   * request, base URL and wire format; the request, `baseURL` and `api` given beside it are unused.
   */
  | { kind: 'race'; lanes: SnippetLane[] };

/** A race lane as its code shows it: never a key (each lane reads its own, `LANE_<n>_API_KEY`). */
export interface SnippetLane {
  name: string;
  baseURL: string;
  api: Api;
  request: ChatRequest;
}

export interface SnippetOptions {
  baseURL: string;
  /** For the `print` program: stream the answer, or wait for the whole of it. */
  stream: boolean;
  /** Defaults to `print`. */
  program?: SnippetProgram;
  /** The wire format the program uses; Chat Completions when absent. */
  api?: Api;
}

/** The params object as sent, for either API (printed field by field). */
type Params = object & { stream?: boolean | null };

interface Shape {
  api: Api;
  params: Params;
  baseURL: string;
  tools: boolean;
  reasoning: boolean;
  usage: boolean;
  /** The print program shows each token's probability when the request asks for logprobs. */
  logprobs: boolean;
  /** The request asks for logprobs (both APIs send them when it does). */
  asksLogprobs: boolean;
}

function shape(request: ChatRequest, options: SnippetOptions, stream = true, api = options.api): Shape {
  const base = {
    baseURL: publicURL(options.baseURL),
    tools: Boolean(request.tools?.length),
    reasoning: isReasoningModel(request.model),
    logprobs: false,
    asksLogprobs: Boolean(request.logprobs),
  };
  if (api === 'responses')
    // Responses has no include_usage: response.completed always carries usage; the program
    // prints it where the learner asked for usage.
    return {
      ...base,
      api,
      params: responseParams(request, stream),
      usage: stream && Boolean(request.include_usage),
    };
  const params = requestParams(request, stream);
  return {
    ...base,
    api: 'chat',
    params,
    usage: Boolean(params.stream && params.stream_options?.include_usage),
  };
}

/** The usage fields for prompt and generated tokens: Responses renamed them. */
const usageNames = (s: Shape) =>
  s.api === 'responses'
    ? { prompt: 'input_tokens', completion: 'output_tokens' }
    : { prompt: 'prompt_tokens', completion: 'completion_tokens' };

/** The key a request's conversation goes under: `messages` (Chat Completions) or `input` (Responses). */
const historyKey = (s: Shape) => (s.api === 'responses' ? 'input' : 'messages');

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

/** The SDK method a shape's request goes through. */
const createMethod = (s: Shape) =>
  s.api === 'responses' ? 'client.responses.create' : 'client.chat.completions.create';

/**
 * `name = client.chat.completions.create(...)` (or `client.responses.create`) with every param;
 * the conversation (`messages` / `input`) may be an expression.
 */
function pyCreate(target: string, s: Shape, pad = '', history?: string): string[] {
  const args = Object.entries(s.params).map(([key, value]) =>
    key === historyKey(s) && history ? `${key}=${history}` : `${key}=${py(value, `${pad}    `)}`,
  );
  return [`${target} = ${createMethod(s)}(`, ...args.map((a) => `    ${a},`), ')'].map((l) => pad + l);
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
 * `for chunk in stream:` (Responses: `for event in stream:`) with what every streamed program
 * handles (reasoning, tool-call pieces, usage); `onContent` runs for each piece of answer text,
 * held in `content`; `onUsage` runs where the usage arrives.
 */
function pyLoop(s: Shape, onContent: string[], before: string[] = [], onUsage?: string[]): string[] {
  if (s.api === 'responses') return pyEvents(s, onContent, before, onUsage);
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

/** The Responses loop: one typed event at a time, told apart by `event.type`. */
function pyEvents(s: Shape, onContent: string[], before: string[], onUsage?: string[]): string[] {
  return [
    'for event in stream:',
    ...indent(before, '    '),
    ...(s.usage
      ? [
          '    # The last event, response.completed, always carries the usage.',
          '    if event.type == "response.completed":',
          ...indent(onUsage ?? ['print("\\n", event.response.usage)'], '        '),
        ]
      : []),
    ...(s.reasoning
      ? [
          '    # The reasoning summary streams in its own events, apart from the answer.',
          '    if event.type == "response.reasoning_summary_text.delta":',
          '        print(event.delta, end="", flush=True)',
        ]
      : []),
    ...(s.tools
      ? [
          '    # A function call is an output item of its own; its arguments stream as deltas.',
          '    if event.type == "response.output_item.added" and event.item.type == "function_call":',
          '        calls[event.output_index] = {"name": event.item.name, "arguments": ""}',
          '    if event.type == "response.function_call_arguments.delta":',
          '        calls[event.output_index]["arguments"] += event.delta',
        ]
      : []),
    ...(s.logprobs
      ? [
          '    # With logprobs: one line per token, how likely it was and what else could have come.',
          '    if event.type == "response.output_text.delta" and event.logprobs:',
          '        for item in event.logprobs:',
          '            others = ", ".join(f"{alt.token!r} {math.exp(alt.logprob):.1%}" for alt in item.top_logprobs or [])',
          '            print(f"{item.token!r:>16} {math.exp(item.logprob):6.1%}   {others}")',
          '        continue',
        ]
      : []),
    '    # The answer streams in response.output_text.delta events; every other type is skipped.',
    '    if event.type == "response.output_text.delta":',
    '        content = event.delta',
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

/**
 * Wire formats: the same request by Chat Completions, then by Responses, each timed and counted
 * (chunks against events, which event types came), and both answers printed.
 */
function pyWireFormats(request: ChatRequest, options: SnippetOptions): string[] {
  const chat = shape(request, options, true, 'chat');
  const responses = shape(request, options, true, 'responses');
  return [
    ...pyHead({ ...chat, tools: false }, ['import time', 'from collections import Counter']),
    '# 1. Chat Completions: one chunk object per frame; the text is in choices[0].delta.content.',
    'start = time.perf_counter()',
    ...pyCreate('stream', chat),
    'chunks = 0',
    'chat_first_text = None',
    'chat_text = ""',
    'for chunk in stream:',
    '    chunks += 1',
    '    if chunk.choices and chunk.choices[0].delta.content:',
    '        if chat_first_text is None:',
    '            chat_first_text = time.perf_counter() - start',
    '        chat_text += chunk.choices[0].delta.content',
    'print(f"Chat Completions: {chunks} chunks, first text after {chat_first_text or 0:.2f}s")',
    'print(chat_text)',
    '',
    '# 2. Responses: typed events, each with a sequence_number; the text is in',
    '#    response.output_text.delta events, between an item and a part being added and done.',
    'start = time.perf_counter()',
    ...pyCreate('stream', responses),
    'event_types = Counter()',
    'responses_first_text = None',
    'responses_text = ""',
    'for event in stream:',
    '    event_types[event.type] += 1',
    '    if event.type == "response.output_text.delta":',
    '        if responses_first_text is None:',
    '            responses_first_text = time.perf_counter() - start',
    '        responses_text += event.delta',
    '    if event.type == "response.completed":',
    '        print("Usage:", event.response.usage)',
    'print(f"Responses: {sum(event_types.values())} events, first text after {responses_first_text or 0:.2f}s")',
    'for event_type, count in event_types.items():',
    '    print(f"   {count:4} {event_type}")',
    'print(responses_text)',
  ];
}

/** A race lane's params: what the page sends on that lane, in the lane's own wire format. */
const laneParams = (lane: SnippetLane): Params =>
  lane.api === 'responses' ? responseParams(lane.request, true) : requestParams(lane.request, true);

/** Where a lane's client points: the simulator has no address outside the page. */
const laneURL = (lane: SnippetLane) =>
  lane.baseURL === SIMULATOR_BASE_URL || !lane.baseURL ? null : publicURL(lane.baseURL);

const simulatedLane = (n: number) =>
  `The page's simulator lives only in your browser: set LANE_${n}_BASE_URL (or OPENAI_BASE_URL).`;

/**
 * The race: one AsyncOpenAI client per lane, every lane started at once with asyncio.gather, each
 * lane's time to first text and total time printed with its answer; a lane's failure is printed
 * in its place and never stops the others.
 */
function pyRace(lanes: readonly SnippetLane[]): string[] {
  const lane = (l: SnippetLane, i: number) => {
    const n = i + 1;
    const url = laneURL(l);
    const pad = '            ';
    const params = Object.entries(laneParams(l)).map(
      ([key, value]) => `${pad}${py(key)}: ${py(value, pad)},`,
    );
    return [
      '    {',
      `        "name": ${py(l.name)},`,
      ...(url ? [] : [`        # ${simulatedLane(n)}`]),
      '        "client": AsyncOpenAI(',
      `            base_url=os.environ.get("LANE_${n}_BASE_URL"${url ? `, ${py(url)}` : ''}),`,
      `            api_key=os.environ.get("LANE_${n}_API_KEY", "none"),`,
      '        ),',
      `        "api": ${py(l.api)},`,
      '        "params": {',
      ...params,
      '        },',
      '    },',
    ];
  };
  return [
    'import asyncio',
    'import os',
    'import time',
    '',
    'from openai import AsyncOpenAI',
    '',
    '# One client per lane: its own base URL, and its own key from LANE_<n>_API_KEY.',
    'lanes = [',
    ...lanes.flatMap(lane),
    ']',
    '',
    '',
    'async def text_of(lane):',
    `    """The answer's text pieces as they arrive, in the lane's wire format."""`,
    '    if lane["api"] == "responses":',
    '        stream = await lane["client"].responses.create(**lane["params"])',
    '        async for event in stream:',
    '            if event.type == "response.output_text.delta":',
    '                yield event.delta',
    '    else:',
    '        stream = await lane["client"].chat.completions.create(**lane["params"])',
    '        async for chunk in stream:',
    '            # The usage-only final chunk has no choices.',
    '            if chunk.choices and chunk.choices[0].delta.content:',
    '                yield chunk.choices[0].delta.content',
    '',
    '',
    'async def run_lane(lane):',
    '    start = time.perf_counter()',
    '    first_text = None',
    '    text = ""',
    '    try:',
    '        async for piece in text_of(lane):',
    '            if first_text is None:',
    '                first_text = time.perf_counter() - start',
    '            text += piece',
    `    except Exception as error:  # a lane's failure (401, 429, ...) never stops the others`,
    `        return f"{lane['name']}: failed: {error}"`,
    '    total = time.perf_counter() - start',
    `    return f"{lane['name']}: first text after {first_text or 0:.2f}s, done after {total:.2f}s\\n{text}"`,
    '',
    '',
    'async def main():',
    '    # Every lane starts at the same moment; gather waits for all of them.',
    '    for result in await asyncio.gather(*(run_lane(lane) for lane in lanes)):',
    '        print(result)',
    '',
    '',
    'asyncio.run(main())',
  ];
}

function pyProgram(request: ChatRequest, options: SnippetOptions): string[] {
  const program = options.program ?? { kind: 'print' };
  if (program.kind === 'wire-formats') return pyWireFormats(request, options);
  if (program.kind === 'race') return pyRace(program.lanes);
  if (program.kind === 'compare') {
    const whole = shape(request, options, false);
    const s = shape(request, options);
    return [
      ...pyHead(s, ['import time']),
      '# 1. Not streamed: the first character arrives with the last.',
      'start = time.perf_counter()',
      ...pyCreate('response', whole),
      'first_char_time = time.perf_counter() - start',
      `content = ${s.api === 'responses' ? 'response.output_text' : 'response.choices[0].message.content or ""'}`,
      'print("Non-streaming:")',
      'print(f"   Time to first character: {first_char_time:.2f}s")',
      'print(f"   Total time: {first_char_time:.2f}s")',
      'print(f"   Response length: {len(content)} chars")',
      '',
      '# 2. Streamed: the same request with stream=True.',
      'start = time.perf_counter()',
      ...pyCreate('stream', s),
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
    return [
      ...pyHead(s),
      ...pyCreate('response', s),
      s.api === 'responses' ? 'print(response.output_text)' : 'print(response.choices[0].message.content)',
    ];
  switch (program.kind) {
    case 'markdown':
      return [
        ...pyHead(s, ['from IPython.display import Markdown, clear_output, display  # in Jupyter']),
        ...pyCreate('stream', s),
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
        ...pyCreate('stream', s),
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
        ...pyCreate('stream', s),
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
    case 'token-stats': {
      const counted = s.api === 'responses' ? 'event' : 'chunk';
      const tokens = usageNames(s);
      return [
        ...pyHead(s, ['import time']),
        'start_time = time.perf_counter()',
        ...pyCreate('stream', s),
        '',
        'full_response = ""',
        `${counted}_count = 0`,
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
          [`${counted}_count += 1`],
          [
            s.api === 'responses'
              ? 'usage = event.response.usage  # response.completed always carries it'
              : 'usage = chunk.usage  # only with stream_options={"include_usage": True}',
          ],
        ),
        'total_time = time.perf_counter() - start_time',
        ...pyCallsAfter(s),
        '',
        'print("\\n\\nStreaming statistics:")',
        `print(f"   ${counted === 'event' ? 'Events' : 'Chunks'} received: {${counted}_count}")`,
        'if first_token_time is not None:',
        '    print(f"   Time to first token: {first_token_time:.3f}s")',
        'print(f"   Total time: {total_time:.3f}s")',
        'print(f"   Characters: {len(full_response)}")',
        'if usage:',
        `    print(f"   Prompt tokens: {usage.${tokens.prompt}}")`,
        `    print(f"   Completion tokens: {usage.${tokens.completion}}")`,
        `    print(f"   Tokens per second: {usage.${tokens.completion} / total_time:.1f}")`,
      ];
    }
    case 'chat':
      return pyChat(s);
    default: {
      const shown = { ...s, logprobs: s.asksLogprobs };
      return [
        ...pyHead(s, shown.logprobs ? ['import math'] : []),
        ...pyCreate('stream', s),
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

/** A request's messages as the class sees them: system prompt, history, the message sent. */
function turns(s: Shape): Turns {
  const fields = s.params as Record<string, unknown>;
  const sent = (fields[historyKey(s)] ?? []) as { role: string; content?: unknown }[];
  const messages = sent.map((m) => ({
    role: m.role,
    content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''),
  }));
  const system = messages[0]?.role === 'system' ? messages.shift()!.content : null;
  const last = messages.at(-1);
  const message = last?.role === 'user' ? messages.pop()!.content : null;
  return { system, history: messages, message };
}

function pyChat(s: Shape): string[] {
  const t = turns(s);
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
    ...(s.api === 'responses'
      ? ['        # Responses takes the history as input items; a message is one kind of item.']
      : []),
    ...pyCreate('stream', s, '        ', 'self.messages'),
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

/**
 * `const name = await client.chat.completions.create({...})` (or `client.responses.create`); the
 * conversation (`messages` / `input`) may be an expression.
 */
function tsCreate(target: string, s: Shape, pad = '', history?: string): string[] {
  const HOLE = '\u0000history';
  let body = JSON.stringify(history ? { ...s.params, [historyKey(s)]: HOLE } : s.params, null, 2);
  if (history) body = body.replace(JSON.stringify(HOLE), history);
  return `${target} = await ${createMethod(s)}(${body});`.split('\n').map((l) => pad + l);
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
  if (s.api === 'responses') return tsEvents(s, onContent, before, onUsage);
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

/** The Responses loop: one typed event at a time, told apart (and typed) by `event.type`. */
function tsEvents(s: Shape, onContent: string[], before: string[], onUsage?: string[]): string[] {
  return [
    'for await (const event of stream) {',
    ...indent(before, '  '),
    ...(s.usage
      ? [
          '  // The last event, response.completed, always carries the usage.',
          "  if (event.type === 'response.completed') {",
          ...indent(onUsage ?? ['console.log(event.response.usage);'], '    '),
          '  }',
        ]
      : []),
    ...(s.reasoning
      ? [
          '  // The reasoning summary streams in its own events, apart from the answer.',
          "  if (event.type === 'response.reasoning_summary_text.delta') process.stdout.write(event.delta);",
        ]
      : []),
    ...(s.tools
      ? [
          '  // A function call is an output item of its own; its arguments stream as deltas.',
          "  if (event.type === 'response.output_item.added' && event.item.type === 'function_call') {",
          "    calls.set(event.output_index, { name: event.item.name, arguments: '' });",
          '  }',
          "  if (event.type === 'response.function_call_arguments.delta') {",
          '    const call = calls.get(event.output_index);',
          '    if (call) call.arguments += event.delta;',
          '  }',
        ]
      : []),
    ...(s.logprobs
      ? [
          '  // With logprobs: one line per token, how likely it was and what else could have come.',
          "  if (event.type === 'response.output_text.delta' && event.logprobs.length) {",
          '    const percent = (logprob = -Infinity) => `${(Math.exp(logprob) * 100).toFixed(1)}%`;',
          '    for (const item of event.logprobs) {',
          '      const others = (item.top_logprobs ?? []).map((alt) => `${JSON.stringify(alt.token)} ${percent(alt.logprob)}`);',
          "      console.log(`${JSON.stringify(item.token).padStart(16)} ${percent(item.logprob).padStart(6)}   ${others.join(', ')}`);",
          '    }',
          '    continue;',
          '  }',
        ]
      : []),
    '  // The answer streams in response.output_text.delta events; every other type is skipped.',
    "  if (event.type === 'response.output_text.delta') {",
    '    const content = event.delta;',
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

/** Wire formats in TypeScript: the same as `pyWireFormats`. */
function tsWireFormats(request: ChatRequest, options: SnippetOptions): string[] {
  const chat = shape(request, options, true, 'chat');
  const responses = shape(request, options, true, 'responses');
  return [
    ...tsHead(chat),
    '// 1. Chat Completions: one chunk object per frame; the text is in choices[0].delta.content.',
    'let start = performance.now();',
    ...tsCreate('const chatStream', chat),
    'let chunks = 0;',
    'let chatFirstTextMs: number | null = null;',
    "let chatText = '';",
    'for await (const chunk of chatStream) {',
    '  chunks += 1;',
    '  const content = chunk.choices[0]?.delta?.content;',
    '  if (content) {',
    '    chatFirstTextMs ??= performance.now() - start;',
    '    chatText += content;',
    '  }',
    '}',
    'console.log(`Chat Completions: ${chunks} chunks, first text after ${((chatFirstTextMs ?? 0) / 1000).toFixed(2)}s`);',
    'console.log(chatText);',
    '',
    '// 2. Responses: typed events, each with a sequence_number; the text is in',
    '//    response.output_text.delta events, between an item and a part being added and done.',
    'start = performance.now();',
    ...tsCreate('const responseStream', responses),
    'const eventTypes = new Map<string, number>();',
    'let responsesFirstTextMs: number | null = null;',
    "let responsesText = '';",
    'for await (const event of responseStream) {',
    '  eventTypes.set(event.type, (eventTypes.get(event.type) ?? 0) + 1);',
    "  if (event.type === 'response.output_text.delta') {",
    '    responsesFirstTextMs ??= performance.now() - start;',
    '    responsesText += event.delta;',
    '  }',
    "  if (event.type === 'response.completed') console.log('Usage:', event.response.usage);",
    '}',
    'const events = [...eventTypes.values()].reduce((sum, n) => sum + n, 0);',
    'console.log(`Responses: ${events} events, first text after ${((responsesFirstTextMs ?? 0) / 1000).toFixed(2)}s`);',
    'for (const [type, count] of eventTypes) console.log(`   ${String(count).padStart(4)} ${type}`);',
    'console.log(responsesText);',
  ];
}

/** The race in TypeScript: the same as `pyRace`, with Promise.all. */
function tsRace(lanes: readonly SnippetLane[]): string[] {
  const lane = (l: SnippetLane, i: number) => {
    const n = i + 1;
    const url = laneURL(l);
    const params = JSON.stringify(laneParams(l), null, 2).split('\n');
    return [
      '  {',
      `    name: ${JSON.stringify(l.name)},`,
      ...(url ? [] : [`    // ${simulatedLane(n)}`]),
      '    client: new OpenAI({',
      `      baseURL: process.env.LANE_${n}_BASE_URL ?? ${url ? JSON.stringify(url) : 'process.env.OPENAI_BASE_URL'},`,
      `      apiKey: process.env.LANE_${n}_API_KEY ?? 'none',`,
      '    }),',
      `    api: ${JSON.stringify(l.api)},`,
      `    params: ${params[0]}`,
      ...indent(params.slice(1, -1), '    '),
      `    ${params.at(-1)},`,
      '  },',
    ];
  };
  return [
    "import OpenAI from 'openai';",
    '',
    '/** A lane: its own client (base URL and key) and the request it sends, in its wire format. */',
    'type Lane = { name: string; client: OpenAI } & (',
    "  | { api: 'chat'; params: OpenAI.Chat.ChatCompletionCreateParamsStreaming }",
    "  | { api: 'responses'; params: OpenAI.Responses.ResponseCreateParamsStreaming }",
    ');',
    '',
    '// One client per lane: its own base URL, and its own key from LANE_<n>_API_KEY.',
    'const lanes: Lane[] = [',
    ...lanes.flatMap(lane),
    '];',
    '',
    "/** The answer's text pieces as they arrive, in the lane's wire format. */",
    'async function* textOf(lane: Lane): AsyncGenerator<string> {',
    "  if (lane.api === 'responses') {",
    '    const stream = await lane.client.responses.create(lane.params);',
    "    for await (const event of stream) if (event.type === 'response.output_text.delta') yield event.delta;",
    '  } else {',
    '    const stream = await lane.client.chat.completions.create(lane.params);',
    '    // The usage-only final chunk has no choices.',
    '    for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) yield chunk.choices[0].delta.content;',
    '  }',
    '}',
    '',
    'async function runLane(lane: Lane): Promise<string> {',
    '  const start = performance.now();',
    '  let firstTextMs: number | null = null;',
    "  let text = '';",
    '  try {',
    '    for await (const piece of textOf(lane)) {',
    '      firstTextMs ??= performance.now() - start;',
    '      text += piece;',
    '    }',
    '  } catch (error) {',
    "    // A lane's failure (401, 429, ...) is printed in its place and never stops the others.",
    '    return `${lane.name}: failed: ${String(error)}`;',
    '  }',
    '  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;',
    '  return `${lane.name}: first text after ${seconds(firstTextMs ?? 0)}, done after ${seconds(performance.now() - start)}\\n${text}`;',
    '}',
    '',
    '// Every lane starts at the same moment; Promise.all waits for all of them.',
    'for (const result of await Promise.all(lanes.map(runLane))) console.log(result);',
  ];
}

function tsProgram(request: ChatRequest, options: SnippetOptions): string[] {
  const program = options.program ?? { kind: 'print' };
  if (program.kind === 'wire-formats') return tsWireFormats(request, options);
  if (program.kind === 'race') return tsRace(program.lanes);
  if (program.kind === 'compare') {
    const whole = shape(request, options, false);
    const s = shape(request, options);
    return [
      ...tsHead(s),
      '// 1. Not streamed: the first character arrives with the last.',
      'let start = performance.now();',
      ...tsCreate('const response', whole),
      'const firstCharMs = performance.now() - start;',
      s.api === 'responses'
        ? 'const content = response.output_text;'
        : "const content = response.choices[0]?.message.content ?? '';",
      "console.log('Non-streaming:');",
      'console.log(`   Time to first character: ${(firstCharMs / 1000).toFixed(2)}s`);',
      'console.log(`   Total time: ${(firstCharMs / 1000).toFixed(2)}s`);',
      'console.log(`   Response length: ${content.length} chars`);',
      '',
      '// 2. Streamed: the same request with stream: true.',
      'start = performance.now();',
      ...tsCreate('const stream', s),
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
      ...tsCreate('const response', s),
      s.api === 'responses'
        ? 'console.log(response.output_text);'
        : 'console.log(response.choices[0]?.message.content);',
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
        ...tsCreate('const stream', s),
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
        ...tsCreate('const stream', s),
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
        ...tsCreate('const stream', s),
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
    case 'token-stats': {
      const responses = s.api === 'responses';
      const counted = responses ? 'event' : 'chunk';
      const tokens = usageNames(s);
      return [
        ...tsHead(s),
        'const start = performance.now();',
        ...tsCreate('const stream', s),
        '',
        "let fullResponse = '';",
        `let ${counted}Count = 0;`,
        'let firstTokenMs: number | null = null;',
        `let usage: ${responses ? 'OpenAI.Responses.ResponseUsage' : 'OpenAI.CompletionUsage'} | null | undefined = null;`,
        ...tsCallsBefore(s),
        ...tsLoop(
          { ...s, usage: true },
          ['firstTokenMs ??= performance.now() - start;', 'fullResponse += content;', ...TS_PRINT],
          [`${counted}Count += 1;`],
          [
            responses
              ? 'usage = event.response.usage; // response.completed always carries it'
              : 'usage = chunk.usage; // only with stream_options: { include_usage: true }',
          ],
        ),
        'const totalMs = performance.now() - start;',
        ...tsCallsAfter(s),
        "console.log('\\n\\nStreaming statistics:');",
        `console.log(\`   ${responses ? 'Events' : 'Chunks'} received: \${${counted}Count}\`);`,
        'if (firstTokenMs !== null) console.log(`   Time to first token: ${(firstTokenMs / 1000).toFixed(3)}s`);',
        'console.log(`   Total time: ${(totalMs / 1000).toFixed(3)}s`);',
        'console.log(`   Characters: ${fullResponse.length}`);',
        'if (usage) {',
        `  console.log(\`   Prompt tokens: \${usage.${tokens.prompt}}\`);`,
        `  console.log(\`   Completion tokens: \${usage.${tokens.completion}}\`);`,
        `  console.log(\`   Tokens per second: \${(usage.${tokens.completion} / (totalMs / 1000)).toFixed(1)}\`);`,
        '}',
      ];
    }
    case 'chat':
      return tsChat(s);
    default:
      return [
        ...tsHead(s),
        ...tsCreate('const stream', s),
        '',
        ...tsCallsBefore(s),
        ...tsLoop({ ...s, logprobs: s.asksLogprobs }, TS_PRINT),
        ...tsCallsAfter(s),
        "process.stdout.write('\\n');",
      ];
  }
}

function tsChat(s: Shape): string[] {
  const t = turns(s);
  return [
    ...tsHead(s),
    '/** A conversation: the whole history goes with every request. */',
    'class StreamingChat {',
    ...(s.api === 'responses'
      ? [
          '  // Responses takes the history as input items; a message is one kind of item.',
          '  messages: OpenAI.Responses.ResponseInputItem[];',
        ]
      : ['  messages: OpenAI.Chat.ChatCompletionMessageParam[];']),
    '',
    '  constructor(systemPrompt?: string) {',
    "    this.messages = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];",
    '  }',
    '',
    '  /** Sends a message and streams the reply. */',
    '  async chat(userMessage: string): Promise<string> {',
    "    this.messages.push({ role: 'user', content: userMessage });",
    ...tsCreate('const stream', s, '    ', 'this.messages'),
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
    s.api === 'responses'
      ? "    this.messages = this.messages.filter((m) => 'role' in m && m.role === 'system');"
      : "    this.messages = this.messages.filter((m) => m.role === 'system');",
    '  }',
    '}',
    '',
    `const chat = new StreamingChat(${t.system === null ? '' : JSON.stringify(t.system)});`,
    ...(t.history.length
      ? [
          '// The conversation so far, as the page holds it.',
          `chat.messages.push(...(${JSON.stringify(t.history, null, 2)} as ${s.api === 'responses' ? 'OpenAI.Responses.ResponseInputItem' : 'OpenAI.Chat.ChatCompletionMessageParam'}[]));`,
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
  if (options.program?.kind === 'race')
    return language === 'python'
      ? 'Run it with python after pip install openai, with each lane’s key in LANE_1_API_KEY, LANE_2_API_KEY, … (none for a local server).'
      : 'Run it with npx tsx after npm install openai, with each lane’s key in LANE_1_API_KEY, LANE_2_API_KEY, … (none for a local server).';
  if (language === 'python')
    return markdown
      ? 'Run it in a Jupyter notebook after pip install openai, with OPENAI_API_KEY set in the environment.'
      : 'Run it with python after pip install openai, with OPENAI_API_KEY set in the environment.';
  return `Run it with npx tsx after npm install openai${markdown ? ' marked' : ''}, with OPENAI_API_KEY set in the environment.`;
}
