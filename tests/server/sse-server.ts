/**
 * A local OpenAI-compatible server for tests: real HTTP, real SSE bytes, scripted per request.
 *
 * The scenario is chosen by the request's `model` (so a browser test picks it by typing a model
 * name). A scenario is a list of steps — write these bytes, wait, drop the socket, hang — so edge
 * cases like an event split across reads are written down exactly. The server records every
 * request (headers and body) and the epoch time of every write, and when each connection closed.
 *
 * Order, not speed: a scenario may name a gate (`{ gate: 'name' }`). A test that arms it with
 * `hold('name')` gets the stream held open at that point until it calls `release()`, so "while
 * the stream runs" is certain whatever the machine's speed. An unarmed gate is passed straight
 * through, so every other test sees the scenario unchanged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads';

export type Step =
  | { write: string | Uint8Array }
  | { wait: number }
  | { drop: true }
  | { hang: true }
  | { end: true }
  | { gate: string };

/** A point where an armed stream waits until the test releases it. */
export interface Gate {
  /** Resolves with the request once its stream is held at the gate. */
  reached: Promise<RecordedRequest>;
  /** Lets the held stream go on; disarms the gate if no stream has reached it yet. */
  release(): void;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
  /** Epoch ms of each write of the response body, with the bytes written. */
  writes: { at: number; bytes: number; text: string }[];
  /** Epoch ms when the response finished or the connection closed. */
  closedAt: number | null;
  /** True when the client went away before the response finished. */
  clientAborted: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  steps: Step[];
  /**
   * Responses API: the response's id and every event frame it will ever send, kept by the server
   * so `GET /responses/{id}?stream=true&starting_after=N` can replay the rest (background only).
   */
  stored?: StoredResponse;
}

export interface StoredResponse {
  id: string;
  /** Created with `background: true`: only such a response can be streamed again. */
  background: boolean;
  /** Event frames, in order, with the sequence_number each carries. */
  frames: { seq: number; text: string }[];
}

/** `headers` are the request's own, for a scenario that answers with what it was sent. */
export type Scenario = (body: Record<string, unknown>, headers?: http.IncomingHttpHeaders) => Reply;

const now = () => performance.timeOrigin + performance.now();

let seq = 0;
/** One chat.completion.chunk frame. */
export function chunk(choices: unknown[], extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({
    id: `chatcmpl-test${++seq}`,
    object: 'chat.completion.chunk',
    created: 1,
    model: 'test-model',
    choices,
    ...extra,
  })}\n\n`;
}
export const role = () =>
  chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
export const content = (text: string) => chunk([{ index: 0, delta: { content: text }, finish_reason: null }]);
export const finish = (reason = 'stop', extra: Record<string, unknown> = {}) =>
  chunk([{ index: 0, delta: {}, finish_reason: reason }], extra);
export const usageChunk = (prompt: number, completion: number) =>
  chunk([], {
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  });
export const DONE = 'data: [DONE]\n\n';

export function errorReply(
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    steps: [
      {
        write: JSON.stringify({
          error: { message, type: 'invalid_request_error', param: null, code: null, ...extra },
        }),
      },
      { end: true },
    ],
  };
}

/**
 * A normal stream of the given pieces, `gap` ms apart, honouring include_usage. `gateAfter`
 * puts a gate right after the write of the piece with that index.
 */
export function streamOf(
  pieces: string[],
  body: Record<string, unknown>,
  gap = 5,
  gateAfter?: { index: number; gate: string },
): Reply {
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
  const steps: Step[] = [{ write: role() }];
  pieces.forEach((piece, i) => {
    steps.push({ wait: gap }, { write: content(piece) });
    if (gateAfter?.index === i) steps.push({ gate: gateAfter.gate });
  });
  steps.push({ write: finish() });
  if (includeUsage) steps.push({ write: usageChunk(9, pieces.length) });
  steps.push({ write: DONE }, { end: true });
  return { status: 200, steps };
}

export const HELLO = ['Hello', ' from', ' the', ' test', ' server', '.'];

/** One chunk whose choice 0 carries `delta` (and `finish_reason`, null unless given). */
export const delta0 = (delta: Record<string, unknown>, finishReason: string | null = null) =>
  chunk([{ index: 0, delta, finish_reason: finishReason }]);

/** Cuts `text` into pieces of 1 to `max` characters, cycling, so boundaries fall everywhere. */
export function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  for (let i = 0, n = 1; i < text.length; i += n, n = (n % max) + 1) out.push(text.slice(i, i + n));
  return out;
}

/**
 * The reasoning scenarios' texts. The reasoning holds "PONDER" and never "ANSWER-OK"; the answer
 * holds "ANSWER-OK" and never "PONDER", so a test can tell the two apart anywhere on the page.
 */
export const REASONING_TEXT =
  'PONDER: the user says hi. I should greet them back, keep it short, and offer help. ' +
  'Nothing here needs a tool or a long answer, so one friendly sentence will do.';
export const ANSWER_TEXT = 'Hello! ANSWER-OK. How can I help you today?';
/** Split into about 20 reasoning pieces and 15 answer pieces. */
const REASONING_PIECES = REASONING_TEXT.match(/[^]{1,8}/g) ?? [];
const ANSWER_PIECES = ANSWER_TEXT.match(/[^]{1,3}/g) ?? [];
/** Usage of the reasoning scenarios: reasoning tokens counted inside completion_tokens. */
export const REASONING_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 31,
  total_tokens: 43,
  completion_tokens_details: { reasoning_tokens: 20 },
  prompt_tokens_details: { cached_tokens: 8 },
};

export const WEATHER_ARGS = '{"city":"Paris","unit":"celsius"}';
export const TOKYO_ARGS = '{"city":"Tokyo","unit":"celsius"}';
export const CUSTOM_INPUT = "SELECT city, temp_c FROM weather\nWHERE city = 'Paris';";
export const BAD_ARGS = '{"city":"Par';
/** The two-choices scenario's answers, choice 0 and choice 1. */
export const CHOICE_TEXTS = ['Choice zero says hello.', 'Choice one says goodbye.'] as const;

/** A function tool call's first piece: id, type and name, with empty arguments. */
const callStart = (index: number, id: string, name: string) => ({
  index,
  id,
  type: 'function',
  function: { name, arguments: '' },
});
const callPiece = (index: number, args: string) => ({ index, function: { arguments: args } });

/** Finish, usage when asked for (or always, with `usage`), [DONE], end. */
function ending(body: Record<string, unknown>, reason: string, usage?: Record<string, unknown>): Step[] {
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
  const steps: Step[] = [{ write: delta0({}, reason) }];
  if (usage) steps.push({ write: chunk([], { usage }) });
  else if (includeUsage) steps.push({ write: usageChunk(9, 12) });
  steps.push({ write: DONE }, { end: true });
  return steps;
}

/** A tool-call stream: the role chunk, then one write per chunk of `calls` pieces. */
function toolStream(body: Record<string, unknown>, chunks: unknown[][], reason: string): Reply {
  const steps: Step[] = [{ write: delta0({ role: 'assistant', content: null }) }];
  for (const calls of chunks) steps.push({ wait: 2 }, { write: delta0({ tool_calls: calls }) });
  return { status: 200, steps: [...steps, ...ending(body, reason)] };
}

export const SCENARIOS: Record<string, Scenario> = {
  /**
   * DeepSeek style: reasoning in `delta.reasoning_content` (content null), then the answer in
   * `content`, then usage with reasoning and cached token counts. Gate 'reasoned' holds after the
   * reasoning, before the first answer piece.
   */
  'reasoning-content': (body) => {
    const steps: Step[] = [{ write: delta0({ role: 'assistant', content: '', reasoning_content: null }) }];
    for (const piece of REASONING_PIECES)
      steps.push({ wait: 2 }, { write: delta0({ content: null, reasoning_content: piece }) });
    steps.push({ gate: 'reasoned' });
    for (const piece of ANSWER_PIECES)
      steps.push({ wait: 2 }, { write: delta0({ content: piece, reasoning_content: null }) });
    return { status: 200, steps: [...steps, ...ending(body, 'stop', REASONING_USAGE)] };
  },
  /**
   * OpenRouter style: a comment first, then each reasoning piece in both `reasoning` and
   * `reasoning_details` (the same text twice), then the answer. Gate 'reasoned' as above.
   */
  'reasoning-field': (body) => {
    const steps: Step[] = [
      { write: ': OPENROUTER PROCESSING\n\n' },
      { write: delta0({ role: 'assistant', content: '' }) },
    ];
    for (const piece of REASONING_PIECES)
      steps.push(
        { wait: 2 },
        {
          write: delta0({
            role: 'assistant',
            content: '',
            reasoning: piece,
            reasoning_details: [{ type: 'reasoning.text', text: piece, format: 'unknown', index: 0 }],
          }),
        },
      );
    steps.push({ gate: 'reasoned' });
    for (const piece of ANSWER_PIECES)
      steps.push({ wait: 2 }, { write: delta0({ role: 'assistant', content: piece, reasoning: null }) });
    return { status: 200, steps: [...steps, ...ending(body, 'stop', REASONING_USAGE)] };
  },
  /**
   * Reasoning only in `reasoning_details`: text and summary items, and an encrypted item that
   * carries no readable text. Gate 'reasoned' as above.
   */
  'reasoning-details': (body) => {
    const steps: Step[] = [{ write: delta0({ role: 'assistant', content: '' }) }];
    REASONING_PIECES.forEach((piece, i) => {
      const item =
        i % 2 ? { type: 'reasoning.summary', summary: piece } : { type: 'reasoning.text', text: piece };
      steps.push({ wait: 2 }, { write: delta0({ content: '', reasoning_details: [{ ...item, index: 0 }] }) });
    });
    steps.push({
      write: delta0({
        content: '',
        reasoning_details: [{ type: 'reasoning.encrypted', data: 'gAAAAB3rYP7' }],
      }),
    });
    steps.push({ gate: 'reasoned' });
    for (const piece of ANSWER_PIECES) steps.push({ wait: 2 }, { write: delta0({ content: piece }) });
    return { status: 200, steps: [...steps, ...ending(body, 'stop', REASONING_USAGE)] };
  },
  /** One function call, get_weather, its arguments a few characters per chunk. */
  'tool-call': (body) =>
    toolStream(
      body,
      [
        [callStart(0, 'call_weather_paris', 'get_weather')],
        ...pieces(WEATHER_ARGS, 4).map((p) => [callPiece(0, p)]),
      ],
      'tool_calls',
    ),
  /** Two calls (Paris as 0, Tokyo as 1) whose pieces interleave; one chunk carries both, 1 first. */
  'parallel-tool-calls': (body) => {
    const paris = pieces(WEATHER_ARGS, 5);
    const tokyo = pieces(TOKYO_ARGS, 5);
    const chunks: unknown[][] = [
      [callStart(0, 'call_weather_paris', 'get_weather')],
      [callStart(1, 'call_weather_tokyo', 'get_weather')],
    ];
    for (let i = 0; i < Math.max(paris.length, tokyo.length); i++) {
      const a = paris[i] === undefined ? [] : [callPiece(0, paris[i]!)];
      const b = tokyo[i] === undefined ? [] : [callPiece(1, tokyo[i]!)];
      if (i === 3) chunks.push([...b, ...a]);
      else chunks.push(...[a, b].filter((c) => c.length));
    }
    return toolStream(body, chunks, 'tool_calls');
  },
  /** A custom tool (type 'custom'): free-form `input` instead of JSON arguments. */
  'custom-tool': (body) =>
    toolStream(
      body,
      [
        [{ index: 0, id: 'call_custom_sql', type: 'custom', custom: { name: 'run_sql', input: '' } }],
        ...pieces(CUSTOM_INPUT, 6).map((p) => [{ index: 0, type: 'custom', custom: { input: p } }]),
      ],
      'tool_calls',
    ),
  /** A call cut off by the token limit: its arguments are not valid JSON; finish 'length'. */
  'bad-tool-args': (body) =>
    toolStream(
      body,
      [
        [callStart(0, 'call_weather_cut', 'get_weather')],
        ...pieces(BAD_ARGS, 3).map((p) => [callPiece(0, p)]),
      ],
      'length',
    ),
  /** n = 2: choice 1's deltas interleave with choice 0's, sometimes listed first or alone. */
  'two-choices': (body) => {
    const [zero, one] = CHOICE_TEXTS.map((t) => t.match(/[^]{1,5}/g) ?? []);
    const c = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
      index,
      delta,
      finish_reason: finish,
    });
    const steps: Step[] = [
      { write: chunk([c(0, { role: 'assistant', content: '' }), c(1, { role: 'assistant', content: '' })]) },
    ];
    for (let i = 0; i < Math.max(zero!.length, one!.length); i++) {
      const a = zero![i] === undefined ? [] : [c(0, { content: zero![i] })];
      const b = one![i] === undefined ? [] : [c(1, { content: one![i] })];
      const choices = i % 3 === 0 ? [...b, ...a] : i % 3 === 1 ? [...a, ...b] : b;
      steps.push({ wait: 2 }, { write: chunk(choices) });
      if (i % 3 === 2 && a.length) steps.push({ write: chunk(a) });
    }
    steps.push({ write: chunk([c(1, {}, 'stop'), c(0, {}, 'stop')]) });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    if (includeUsage) steps.push({ write: usageChunk(9, 12) });
    steps.push({ write: DONE }, { end: true });
    return { status: 200, steps };
  },
  /** Each event cut into three writes, with gate 'split-events' after every write. */
  'split-events': () => {
    const steps: Step[] = [];
    for (const frame of [role(), content('Split'), content(' events'), finish(), DONE]) {
      const a = Math.floor(frame.length / 3);
      for (const part of [frame.slice(0, a), frame.slice(a, 2 * a), frame.slice(2 * a)])
        steps.push({ write: part }, { gate: 'split-events' }, { wait: 10 });
    }
    return { status: 200, steps: [...steps, { end: true }] };
  },
  /** Every event in a single write. */
  'one-read': () => ({
    status: 200,
    steps: [
      { write: role() + content('All') + content(' at') + content(' once') + finish() + DONE },
      { end: true },
    ],
  }),
  /** A four-byte emoji and a two-byte é, each cut inside the character. */
  'utf8-split': () => {
    const bytes = new TextEncoder().encode(content('Café 🚀!') + finish() + DONE);
    const rocket = bytes.indexOf(0xf0);
    const e = bytes.indexOf(0xc3);
    return {
      status: 200,
      steps: [
        { write: role() },
        { write: bytes.slice(0, e + 1) },
        { wait: 10 },
        { write: bytes.slice(e + 1, rocket + 2) },
        { wait: 10 },
        { write: bytes.slice(rocket + 2) },
        { end: true },
      ],
    };
  },
  /** \r\n line endings, with one \r\n split across writes. */
  crlf: () => {
    const text = (role() + content('Windows') + content(' lines') + finish() + DONE).replace(/\n/g, '\r\n');
    const cut = text.indexOf('\r\n') + 1;
    return {
      status: 200,
      steps: [{ write: text.slice(0, cut) }, { wait: 10 }, { write: text.slice(cut) }, { end: true }],
    };
  },
  /** Keep-alive comments and an event field, as some proxies and providers send. */
  comments: () => ({
    status: 200,
    steps: [
      { write: ': OPENROUTER PROCESSING\n\n' },
      { write: role() },
      { write: ': keep-alive\n\n' },
      { write: content('Comments') },
      { write: ':ping\n' + content(' ignored') },
      { write: finish() + DONE },
      { end: true },
    ],
  }),
  /** Usage on the finish chunk itself (Groq and others) and chunks without choices. */
  'usage-on-finish': () => ({
    status: 200,
    steps: [
      { write: role() },
      {
        write: `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm' })}\n\n`,
      },
      { write: content('Usage') },
      { write: finish('stop', { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }) },
      { write: DONE },
      { end: true },
    ],
  }),
  /** An error object in the middle of the stream (OpenRouter style). */
  'mid-error': () => ({
    status: 200,
    steps: [
      { write: role() },
      { write: content('Partial') },
      { wait: 10 },
      {
        write: `data: ${JSON.stringify({ error: { message: 'Upstream model overloaded', code: 502 } })}\n\n`,
      },
      { end: true },
    ],
  }),
  /**
   * The socket is destroyed after two content chunks. A test that checks what the page kept arms
   * gate 'drop' and releases it once the page shows "Dropped here" (e2e: `dropOnceShown` in
   * tests/e2e/harness.ts): a reset can cost bytes still on their way (in the browser's network
   * stack), which is not what such a test is about.
   */
  drop: () => ({
    status: 200,
    steps: [
      { write: role() },
      { write: content('Dropped') },
      { wait: 10 },
      { write: content(' here') },
      { wait: 20 },
      { gate: 'drop' },
      { drop: true },
    ],
  }),
  /** Two chunks, then nothing, forever. */
  stall: () => ({
    status: 200,
    steps: [{ write: role() }, { write: content('Stalled') }, { hang: true }],
  }),
  /** A long, steady stream: 400 chunks 10 ms apart, with gate 'slow' right after " w50". */
  slow: (body) =>
    streamOf(
      Array.from({ length: 400 }, (_, i) => ` w${i}`),
      body,
      10,
      { index: 50, gate: 'slow' },
    ),
  /** 60 chunks 20 ms apart: a stream long enough to measure, short enough to finish quickly. */
  steady: (body) =>
    streamOf(
      Array.from({ length: 60 }, (_, i) => ` s${i}`),
      body,
      20,
    ),
  /** Counting 1 to 20, one number per chunk, for early-stop tests; gate 'count' right after "10". */
  count: (body) =>
    streamOf(
      ['Sure', '!', ' Here', ':\n\n', ...Array.from({ length: 20 }, (_, i) => `${i + 1}\n`)],
      body,
      30,
      { index: 13, gate: 'count' },
    ),
  /** Watch words cut across chunks: "Ne|ural", "dee|p", "lear|ning". */
  'split-words': (body) =>
    streamOf(['Ne', 'ural networks and dee', 'p lear', 'ning need a lot of training data.'], body, 20),
  /** Markdown arriving in pieces that cut through bold, a fence and a table. */
  markdown: (body) =>
    streamOf(
      [
        '# Title\n\nSome **bo',
        'ld** text.\n\n```py',
        'thon\nprint(1)\n``',
        '`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      ],
      body,
      20,
    ),
  'http-403': () =>
    errorReply(403, 'You are not allowed to sample from this model.', { code: 'model_not_allowed' }),
  /**
   * 100,000 one-token chunks, written in batches as fast as the socket takes them. Gate
   * 'huge:start' holds after the first batch, 'huge:end' before the finish chunk.
   */
  huge: (body) => {
    const steps: Step[] = [{ write: role() }];
    for (let i = 0; i < 100_000; i += 500) {
      let batch = '';
      for (let j = i; j < i + 500; j++) batch += content(j % 20 === 19 ? ' w\n' : ' w');
      steps.push({ write: batch }, { wait: 10 });
      if (i === 0) steps.push({ gate: 'huge:start' });
    }
    steps.push({ gate: 'huge:end' });
    steps.push({ write: finish() }, { write: usageChunk(9, 100_000) }, { write: DONE }, { end: true });
    void body;
    return { status: 200, steps };
  },
  /**
   * A burst: 5,000 one-character chunks in about a second, in writes of 25 every 5 ms. Gate
   * 'burst:start' holds after the first write, 'burst:end' before the finish chunk.
   */
  burst: (body) => {
    const steps: Step[] = [{ write: role() }];
    for (let i = 0; i < 5_000; i += 25) {
      let batch = '';
      for (let j = i; j < i + 25; j++) batch += content(String.fromCharCode(97 + (j % 26)));
      steps.push({ write: batch }, { wait: 5 });
      if (i === 0) steps.push({ gate: 'burst:start' });
    }
    steps.push({ gate: 'burst:end' });
    steps.push({ write: finish() }, { write: usageChunk(9, 5_000) }, { write: DONE }, { end: true });
    void body;
    return { status: 200, steps };
  },
  /** Every hostile payload, cut into chunks of 1 to 7 characters so boundaries fall everywhere. */
  xss: (body) => {
    const text = `${XSS_PAYLOADS.join('\n\n')}\n\nEND-OF-PAYLOADS`;
    const pieces: string[] = [];
    for (let i = 0, n = 1; i < text.length; i += n, n = (n % 7) + 1) pieces.push(text.slice(i, i + n));
    return streamOf(pieces, body, 0);
  },
  'http-500': () => errorReply(500, 'The server had an error while processing your request.'),
  'http-503': () => errorReply(503, 'The engine is currently overloaded.'),
  'rate-limit': () =>
    errorReply(
      429,
      'Rate limit reached for requests',
      { code: 'rate_limit_exceeded' },
      { 'retry-after': '2' },
    ),
  quota: () =>
    errorReply(429, 'You exceeded your current quota.', {
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    }),
  'no-such-model': () =>
    errorReply(404, 'The model `no-such-model` does not exist or you do not have access to it.', {
      code: 'model_not_found',
    }),
  'bad-param': () =>
    errorReply(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      { param: 'max_tokens', code: 'unsupported_parameter' },
    ),
  /**
   * A provider that echoes the caller's key back: upper-cased in a response header and in a
   * chunk's extra field, as sent in a comment that is cut in the middle of the key across two
   * network reads.
   */
  'echo-key': (_body, headers = {}) => {
    const key = String(headers.authorization ?? '').replace(/^Bearer /i, '');
    const comment = `: authorised as ${key}\n\n`;
    const cut = comment.indexOf(key) + Math.floor(key.length / 2);
    return {
      status: 200,
      headers: { 'x-echo-authorization': `Bearer ${key.toUpperCase()}` },
      steps: [
        { write: role() },
        { write: comment.slice(0, cut) },
        { wait: 30 },
        { write: comment.slice(cut) },
        { wait: 5 },
        {
          write: chunk([{ index: 0, delta: { content: 'Echoed' }, finish_reason: null }], {
            echo: key.toUpperCase(),
          }),
        },
        { write: finish() },
        { write: DONE },
        { end: true },
      ],
    };
  },
  /** A remote image inside a link, and one on its own (both https, both held until clicked). */
  'held-image': (body) =>
    streamOf(
      [
        'A linked image: [![a cat](https://images.example/cat.png)](https://links.example/page)\n\n',
        'And a plain one: ![a dog](https://images.example/dog.png)\n\nEND-OF-IMAGES',
      ],
      body,
      10,
    ),
  /** Nesting that overflows marked's stack (quotes, list markers, divs), between ordinary text. */
  'deep-nesting': (body) =>
    streamOf(
      [
        'Before **it**.\n\n',
        `${'>'.repeat(2048)} deep quote\n\n`,
        `${'- '.repeat(1200)}deep list\n\n`,
        `${'<div>'.repeat(4096)}deep divs${'</div>'.repeat(4096)}\n\n`,
        'After *it*. END-OF-NESTING',
      ],
      body,
      10,
    ),
  /** 120 KB without a space and no usage chunk: the app must estimate the tokens itself. */
  'long-word-no-usage': () => {
    const steps: Step[] = [{ write: role() }];
    for (let i = 0; i < 120; i++) steps.push({ write: content('ab'.repeat(500)) }, { wait: 2 });
    steps.push({ write: content(' END-OF-WORD') }, { write: finish() }, { write: DONE }, { end: true });
    return { status: 200, steps };
  },
  /** 40 KB of `![` (quadratic for a regex-based healer), in 200-character chunks. */
  'image-openers': (body) =>
    streamOf([...Array.from({ length: 200 }, () => '!['.repeat(100)), '\n\nEND-OF-OPENERS'], body, 2),
  /** 1,000 ever deeper list lines, one per chunk (a list never sealed is re-lexed every update). */
  'indented-list': (body) =>
    streamOf(
      [...Array.from({ length: 1000 }, (_, i) => `${' '.repeat(2 * i)}- item ${i}\n`), '\nEND-OF-LIST'],
      body,
      2,
    ),
  /** 1,000 flat list lines, one per chunk. */
  'long-list': (body) =>
    streamOf([...Array.from({ length: 1000 }, (_, i) => `  - item ${i}\n`), '\nEND-OF-LIST'], body, 2),
  // ---- Issue 13, visible bugs (tests/e2e/bugs.test.ts) ----
  /**
   * Markdown whose text goes on after a bold and a code span; gate 'markdown-cursor' holds it
   * after " keep `code` small", so the live end is plain text after inline elements.
   */
  'markdown-cursor': (body) =>
    streamOf(
      ['Good code is easy to **change**', '. These principles', ' keep `code` small', ' and clear.'],
      body,
      5,
      { index: 2, gate: 'markdown-cursor' },
    ),
  // ---- end of issue 13, visible bugs ----
};

export interface TestServer {
  url: string;
  baseURL: string;
  requests: RecordedRequest[];
  /** Keys the server accepts; any other Bearer token gets a 401. Empty: no auth. */
  keys: Set<string>;
  /** Arms gate `name`: the next stream to reach it is held open there until `release()`. */
  hold(name: string): Gate;
  close(): Promise<void>;
}

interface ArmedGate {
  arrive: (request: RecordedRequest) => void;
  released: Promise<void>;
  release: () => void;
}

/** Starts the server on a free loopback port. */
export async function startServer(
  options: {
    keys?: string[];
    cors?: boolean;
    /** More scenarios for this server only (a test's own fixtures), by model name. */
    scenarios?: Record<string, Scenario>;
    /** More `POST /responses` scenarios for this server only, by model name. */
    responseScenarios?: Record<string, Scenario>;
    /** false: a server without the Responses API (every /responses route answers 404). */
    responses?: boolean;
  } = {},
): Promise<TestServer> {
  const scenarios: Record<string, Scenario> = { ...SCENARIOS, ...options.scenarios };
  const responseScenarios: Record<string, Scenario> = { ...RESPONSE_SCENARIOS, ...options.responseScenarios };
  const hasResponses = options.responses ?? true;
  /** Background responses by id, for resuming. */
  const stored = new Map<string, StoredResponse>();
  const requests: RecordedRequest[] = [];
  // Models "once:<scenario>:<nonce>" fail with <scenario> the first time only, so Retry can work.
  const failedOnce = new Set<string>();
  const allowCors = options.cors ?? true;
  const keys = new Set(options.keys ?? []);
  const sockets = new Set<import('node:net').Socket>();
  const armed = new Map<string, ArmedGate>();
  const held = new Set<ArmedGate>();

  const server = http.createServer(async (req, res) => {
    const cors: Record<string, string> = allowCors
      ? {
          'access-control-allow-origin': req.headers.origin ?? '*',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-expose-headers': '*',
        }
      : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    let raw = '';
    for await (const part of req) raw += part;
    let body: Record<string, unknown> | null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      writes: [],
      closedAt: null,
      clientAborted: false,
    };
    requests.push(record);
    res.on('close', () => {
      record.closedAt = now();
      record.clientAborted = !res.writableFinished;
    });

    const auth = req.headers.authorization ?? '';
    let reply: Reply;
    if (keys.size && !keys.has(auth.replace(/^Bearer /, ''))) {
      reply = errorReply(
        401,
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        { code: 'invalid_api_key' },
      );
    } else if (req.method === 'GET' && req.url?.endsWith('/models')) {
      reply = {
        status: 200,
        headers: { 'content-type': 'application/json' },
        steps: [
          {
            write: JSON.stringify({
              object: 'list',
              data: ['test-model', ...Object.keys(SCENARIOS)].map((id) => ({
                id,
                object: 'model',
                created: 0,
                owned_by: 'test',
              })),
            }),
          },
          { end: true },
        ],
      };
    } else if (req.method === 'POST' && req.url?.endsWith('/chat/completions') && body) {
      const model = String(body.model);
      const once = /^once:([\w-]+):/.exec(model);
      const scenario = once ? (failedOnce.has(model) ? undefined : scenarios[once[1]!]) : scenarios[model];
      if (once) failedOnce.add(model);
      if (scenario) reply = scenario(body, req.headers);
      else if (body.stream) reply = streamOf(HELLO, body);
      else
        reply = {
          status: 200,
          headers: { 'content-type': 'application/json' },
          steps: [
            { wait: 30 },
            {
              write: JSON.stringify({
                id: 'chatcmpl-test',
                object: 'chat.completion',
                created: 1,
                model: String(body.model),
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: HELLO.join('') },
                    finish_reason: 'stop',
                  },
                ],
                usage: { prompt_tokens: 9, completion_tokens: HELLO.length, total_tokens: 9 + HELLO.length },
              }),
            },
            { end: true },
          ],
        };
    } else if (hasResponses && req.method === 'POST' && req.url?.endsWith('/responses') && body) {
      const scenario = responseScenarios[String(body.model)];
      reply = scenario ? scenario(body, req.headers) : responseReply(HELLO, body);
      if (reply.stored) stored.set(reply.stored.id, reply.stored);
    } else if (hasResponses && req.method === 'GET' && /\/responses\/[^/?]+(\?|$)/.test(req.url ?? '')) {
      reply = resumeReply(new URL(req.url ?? '', 'http://x'), stored);
    } else {
      reply = errorReply(404, `No route for ${req.method} ${req.url}`);
    }

    res.writeHead(reply.status, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...cors,
      ...reply.headers,
    });
    res.flushHeaders();
    for (const step of reply.steps) {
      if (res.destroyed) return;
      if ('write' in step) {
        const text = typeof step.write === 'string' ? step.write : new TextDecoder().decode(step.write);
        res.write(step.write);
        record.writes.push({
          at: now(),
          bytes: typeof step.write === 'string' ? Buffer.byteLength(step.write) : step.write.byteLength,
          text,
        });
      } else if ('wait' in step) await new Promise((r) => setTimeout(r, step.wait));
      else if ('gate' in step) {
        const gate = armed.get(step.gate);
        if (!gate) continue;
        armed.delete(step.gate);
        held.add(gate);
        gate.arrive(record);
        // A client that goes away while held ends the wait too; the loop then sees it destroyed.
        await Promise.race([gate.released, new Promise((r) => res.once('close', r))]);
        held.delete(gate);
      } else if ('drop' in step) {
        res.socket?.destroy();
        return;
      } else if ('hang' in step) return;
      else res.end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    keys,
    hold(name) {
      let arrive!: (request: RecordedRequest) => void;
      let release!: () => void;
      const reached = new Promise<RecordedRequest>((r) => (arrive = r));
      const released = new Promise<void>((r) => (release = r));
      const gate = { arrive, released, release };
      armed.set(name, gate);
      return {
        reached,
        release() {
          if (armed.get(name) === gate) armed.delete(name);
          release();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        armed.clear();
        for (const gate of held) gate.release();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- Parameter refusals (issue 12, request parameters that fit the model) ----
/**
 * Endpoints that refuse a parameter as OpenAI's reasoning models do: a 400 naming it (`param`),
 * and a normal stream once the request goes without it.
 */
Object.assign(SCENARIOS, {
  /** 400 on max_tokens (param 'max_tokens'); streams when sent max_completion_tokens instead. */
  'refuses-max-tokens': (body) =>
    'max_tokens' in body
      ? errorReply(
          400,
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          { param: 'max_tokens', code: 'unsupported_parameter' },
        )
      : streamOf(HELLO, body),
  /** 400 on any temperature but the default 1 (param 'temperature'); streams without it. */
  'refuses-temperature': (body) =>
    'temperature' in body && body.temperature !== 1
      ? errorReply(
          400,
          `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`,
          { param: 'temperature', code: 'unsupported_value' },
        )
      : streamOf(HELLO, body),
} satisfies Record<string, Scenario>);
// ---- end of parameter refusals ----

// ---- Responses API (issue 14) ----
/**
 * `POST /responses` speaks OpenAI's Responses wire format: `event: <type>` + `data: {type,
 * sequence_number, ...}` frames, no [DONE]. Scenarios are chosen by model name, as for chat; any
 * other model gets the HELLO answer. `GET /responses/{id}?stream=true&starting_after=N` replays a
 * stored background response's events after N (404 for an unknown id, 400 for a response that
 * was not created with background: true, as OpenAI answers).
 */
type EventBody = Record<string, unknown>;

let responseCount = 0;

/** One Responses SSE frame: the event line and its JSON. */
export const eventFrame = (event: EventBody) =>
  `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;

/** A Responses usage object. */
export function responseUsage(input: number, output: number, reasoning = 0, cached = 0): EventBody {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

/** What a response is made of: its output items' events, and how it ends. */
export interface ResponsePlan {
  /** The output items, each as the list of events it streams (output_index set by the plan). */
  items: ((outputIndex: number) => { events: EventBody[]; item: EventBody })[];
  status?: 'completed' | 'incomplete';
  usage?: EventBody;
}

/** A message item streaming `pieces` as output_text deltas. */
export function messageItem(pieces: string[], logprobs = false) {
  return (outputIndex: number) => {
    const id = `msg_test${++responseCount}`;
    const text = pieces.join('');
    const part = { type: 'output_text', text: '', annotations: [] };
    const at = { item_id: id, output_index: outputIndex, content_index: 0 };
    const item = {
      id,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ ...part, text }],
    };
    const events: EventBody[] = [
      {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      },
      { type: 'response.content_part.added', ...at, part },
      ...pieces.map((delta) => ({
        type: 'response.output_text.delta',
        ...at,
        delta,
        logprobs: logprobs
          ? [
              {
                token: delta,
                logprob: -0.5,
                bytes: [],
                top_logprobs: [{ token: delta, logprob: -0.5, bytes: [] }],
              },
            ]
          : [],
      })),
      { type: 'response.output_text.done', ...at, text, logprobs: [] },
      { type: 'response.content_part.done', ...at, part: { ...part, text } },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
    return { events, item };
  };
}

/** A reasoning item streaming `pieces` as one reasoning summary part. */
export function reasoningItem(pieces: string[]) {
  return (outputIndex: number) => {
    const id = `rs_test${++responseCount}`;
    const text = pieces.join('');
    const at = { item_id: id, output_index: outputIndex, summary_index: 0 };
    const item = { id, type: 'reasoning', summary: [{ type: 'summary_text', text }] };
    const events: EventBody[] = [
      { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, summary: [] } },
      { type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } },
      ...pieces.map((delta) => ({ type: 'response.reasoning_summary_text.delta', ...at, delta })),
      { type: 'response.reasoning_summary_text.done', ...at, text },
      { type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text } },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
    return { events, item };
  };
}

/** A function_call item streaming its arguments in `pieces`. */
export function functionCallItem(callId: string, name: string, pieces: string[]) {
  return (outputIndex: number) => {
    const id = `fc_test${++responseCount}`;
    const args = pieces.join('');
    const item = { id, type: 'function_call', status: 'completed', call_id: callId, name, arguments: args };
    const events: EventBody[] = [
      {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      },
      ...pieces.map((delta) => ({
        type: 'response.function_call_arguments.delta',
        item_id: id,
        output_index: outputIndex,
        delta,
      })),
      {
        type: 'response.function_call_arguments.done',
        item_id: id,
        output_index: outputIndex,
        arguments: args,
      },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
    return { events, item };
  };
}

/** The Response object as events carry it. */
function responseObject(id: string, body: EventBody, status: string, extra: EventBody = {}): EventBody {
  return {
    id,
    object: 'response',
    created_at: 1,
    status,
    background: body.background === true,
    error: null,
    incomplete_details: null,
    model: String(body.model),
    output: [],
    usage: null,
    ...extra,
  };
}

/**
 * Every event of a response, numbered from 0: created (queued when background), queued (when
 * background), in_progress, the items' events, then completed or incomplete with the output and
 * usage.
 */
export function responseEvents(
  plan: ResponsePlan,
  body: EventBody,
  id = `resp_test${++responseCount}`,
): EventBody[] {
  const background = body.background === true;
  const built = plan.items.map((item, i) => item(i));
  const status = plan.status ?? 'completed';
  const events: EventBody[] = [
    { type: 'response.created', response: responseObject(id, body, background ? 'queued' : 'in_progress') },
    ...(background ? [{ type: 'response.queued', response: responseObject(id, body, 'queued') }] : []),
    { type: 'response.in_progress', response: responseObject(id, body, 'in_progress') },
    ...built.flatMap((b) => b.events),
    {
      type: `response.${status}`,
      response: responseObject(id, body, status, {
        output: built.map((b) => b.item),
        usage: plan.usage ?? responseUsage(9, 12),
        ...(status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
      }),
    },
  ];
  return events.map((event, seq) => ({ ...event, sequence_number: seq }));
}

/**
 * A streamed (or, when `body.stream` is false, whole) reply for a response, one write per event
 * `gap` ms apart. Streamed responses are stored (only background ones can be resumed). `gateAfter`: a gate right after
 * the write of event number `index` (then a drop of the socket with `drop`).
 */
export function eventsReply(
  events: EventBody[],
  body: EventBody,
  options: { gap?: number; gateAfter?: { index: number; gate: string; drop?: boolean } } = {},
): Reply {
  const id = String((events[0]?.response as EventBody | undefined)?.id ?? '');
  const frames = events.map((event) => ({ seq: Number(event.sequence_number), text: eventFrame(event) }));
  if (!body.stream) {
    const last = events.findLast((e) => /^response\.(completed|incomplete|failed)$/.test(String(e.type)));
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      steps: [{ wait: 10 }, { write: JSON.stringify(last?.response ?? {}) }, { end: true }],
    };
  }
  const steps: Step[] = [];
  frames.forEach((frame, i) => {
    if (i) steps.push({ wait: options.gap ?? 2 });
    steps.push({ write: frame.text });
    if (options.gateAfter?.index === i) {
      steps.push({ gate: options.gateAfter.gate });
      if (options.gateAfter.drop) steps.push({ drop: true });
    }
  });
  steps.push({ end: true });
  return { status: 200, steps, stored: { id, background: body.background === true, frames } };
}

/** A plain text answer of `pieces`, with logprobs on its deltas when `include` asks for them. */
export function responseReply(pieces: string[], body: EventBody): Reply {
  const logprobs = Array.isArray(body.include) && body.include.includes('message.output_text.logprobs');
  return eventsReply(responseEvents({ items: [messageItem(pieces, logprobs)] }, body), body);
}

/** `GET /responses/{id}?stream=true&starting_after=N`: the stored events after N, then the end. */
function resumeReply(url: URL, stored: Map<string, StoredResponse>): Reply {
  const id = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  const response = stored.get(id);
  if (!response) return errorReply(404, `Response with id '${id}' not found.`, { param: 'response_id' });
  if (!response.background)
    return errorReply(
      400,
      'This response cannot be streamed because it was not created with background=true.',
      { param: 'stream' },
    );
  if (url.searchParams.get('stream') !== 'true')
    return errorReply(400, 'Only streamed retrieval is supported by the test server.');
  const after = Number(url.searchParams.get('starting_after') ?? -1);
  const steps: Step[] = [];
  for (const frame of response.frames.filter((f) => f.seq > after))
    steps.push({ wait: 2 }, { write: frame.text });
  return { status: 200, steps: [...steps, { end: true }] };
}

/** The long answer the background scenarios stream: 16 pieces. */
export const BACKGROUND_PIECES = pieces(
  'Background answers keep going while nobody listens. END-OF-ANSWER',
  7,
);

/** The number of the event after which 'resp-background' holds at gate 'resp-background'. */
export const BACKGROUND_GATE_AT = 8;

export const RESPONSE_SCENARIOS: Record<string, Scenario> = {
  /** A reasoning summary (REASONING_TEXT), then the answer (ANSWER_TEXT); gate 'reasoned' between. */
  'resp-reasoning': (body) => {
    const events = responseEvents(
      {
        items: [reasoningItem(REASONING_PIECES), messageItem(ANSWER_PIECES)],
        usage: responseUsage(12, 31, 20, 8),
      },
      body,
    );
    const answerAt = events.findIndex((e) => e.type === 'response.output_text.delta') - 1;
    return eventsReply(events, body, { gateAfter: { index: answerAt, gate: 'reasoned' } });
  },
  /** Two function calls, get_weather for Paris then Tokyo, arguments a few characters per delta. */
  'resp-tool': (body) =>
    eventsReply(
      responseEvents(
        {
          items: [
            functionCallItem('call_weather_paris', 'get_weather', pieces(WEATHER_ARGS, 4)),
            functionCallItem('call_weather_tokyo', 'get_weather', pieces(TOKYO_ARGS, 5)),
          ],
        },
        body,
      ),
      body,
    ),
  /** Cut off by max_output_tokens: response.incomplete, usage output_tokens = the limit. */
  'resp-incomplete': (body) => {
    const limit = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : 4;
    return eventsReply(
      responseEvents(
        {
          items: [messageItem(HELLO.slice(0, limit))],
          status: 'incomplete',
          usage: responseUsage(9, limit),
        },
        body,
      ),
      body,
    );
  },
  /** Some text, then an `error` event, then response.failed (and nothing after). */
  'resp-error': (body) => {
    const events = responseEvents({ items: [messageItem(['Partial', ' answer'])] }, body);
    const cut = events.findIndex((e) => e.type === 'response.output_text.done');
    const id = String((events[0]!.response as EventBody).id);
    const error = { code: 'server_error', message: 'The model crashed in the middle of the answer.' };
    const kept = [
      ...events.slice(0, cut),
      { type: 'error', ...error, param: null },
      { type: 'response.failed', response: responseObject(id, body, 'failed', { error }) },
    ];
    return eventsReply(
      kept.map((event, seq) => ({ ...event, sequence_number: seq })),
      body,
    );
  },
  /** An event type nobody knows (response.future_thing) in the middle of the answer. */
  'resp-unknown': (body) => {
    const events = responseEvents({ items: [messageItem(HELLO)] }, body);
    const at = events.findIndex((e) => e.type === 'response.output_text.delta') + 2;
    events.splice(at, 0, { type: 'response.future_thing', payload: { shape: ['not', 'known'] } });
    return eventsReply(
      events.map((event, seq) => ({ ...event, sequence_number: seq })),
      body,
    );
  },
  /** The event with sequence_number 5 (a text delta) never comes. */
  'resp-gap': (body) =>
    eventsReply(
      responseEvents({ items: [messageItem(HELLO)] }, body).filter((e) => e.sequence_number !== 5),
      body,
    ),
  /** Events 5 and 6 (two text deltas) come in the wrong order. */
  'resp-reorder': (body) => {
    const events = responseEvents({ items: [messageItem(HELLO)] }, body);
    [events[5], events[6]] = [events[6]!, events[5]!];
    return eventsReply(events, body);
  },
  /**
   * A long answer (BACKGROUND_PIECES) that honours `background: true` (created as queued, stored
   * for resuming). Gate 'resp-background' holds after event BACKGROUND_GATE_AT.
   */
  'resp-background': (body) =>
    eventsReply(responseEvents({ items: [messageItem(BACKGROUND_PIECES)] }, body), body, {
      gateAfter: { index: BACKGROUND_GATE_AT, gate: 'resp-background' },
    }),
  /**
   * The same, but the server drops the socket after event BACKGROUND_GATE_AT, once gate
   * 'resp-cut' is released (so a test knows the events before it were read first).
   */
  'resp-background-cut': (body) =>
    eventsReply(responseEvents({ items: [messageItem(BACKGROUND_PIECES)] }, body), body, {
      gateAfter: { index: BACKGROUND_GATE_AT, gate: 'resp-cut', drop: true },
    }),
};
// ---- end of Responses API ----

// ---- Issue 15, whole-app bench (bench/app.run.ts) ----
/**
 * A stream of `pieces`, one content chunk each, written `perWrite` chunks at a time with `gap` ms
 * between writes (gap 0: no wait at all, as fast as the socket takes them), honouring
 * include_usage. Gate `gate` holds it after the first write, so a caller can set the page up with
 * text on screen before the rest arrives. 1,000 tokens/s is `perWrite: 16, gap: 16`: node's timers
 * run a little late, so the rate actually reached is for the caller to measure.
 */
export function pacedStream(
  pieces: string[],
  body: Record<string, unknown>,
  options: { perWrite: number; gap: number; gate?: string },
): Reply {
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
  const steps: Step[] = [{ write: role() }];
  for (let i = 0; i < pieces.length; i += options.perWrite) {
    if (i && options.gap) steps.push({ wait: options.gap });
    steps.push({
      write: pieces
        .slice(i, i + options.perWrite)
        .map(content)
        .join(''),
    });
    if (i === 0 && options.gate) steps.push({ gate: options.gate });
  }
  steps.push({ write: finish() });
  if (includeUsage) steps.push({ write: usageChunk(9, pieces.length) });
  steps.push({ write: DONE }, { end: true });
  return { status: 200, steps };
}
// ---- end of issue 15, whole-app bench ----
