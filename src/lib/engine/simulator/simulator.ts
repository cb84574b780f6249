/**
 * The offline provider: a `fetch` implementation that answers like an OpenAI-compatible server, so
 * the SDK parses simulated runs exactly as it parses real ones.
 *
 * Routes: POST …/chat/completions (stream true or false) and GET …/models. Streams carry a role
 * chunk, one chunk per token (tokens split inside a character are merged, as real providers do),
 * a finish chunk, the usage-only chunk (`choices: []`) when include_usage is set, then [DONE].
 * Honours max_tokens (finish_reason "length"), stop sequences (finish_reason "stop", the sequence
 * itself not sent) and the AbortSignal (production stops at once and the body errors).
 */
import { loadTokenizer, type Tokenizer } from '../tokenizer';
import type { ChatMessage, TokenLogprob } from '../types';
import { answerFor } from './answers';

export interface SimTiming {
  /** Time to first token, ms. */
  ttftMs: number;
  /** Mean delay between tokens, ms. */
  tokenMs: number;
  /** 0..1: how much each delay varies around its mean. */
  jitter: number;
}

export const DEFAULT_TIMING: SimTiming = { ttftMs: 350, tokenMs: 22, jitter: 0.5 };

export const SIMULATOR_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];

/** One streamed piece: its text, how many tokens it holds, and the delay before it is sent. */
export interface Piece {
  text: string;
  tokens: number;
  delayMs: number;
}

interface Body {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  logprobs?: boolean;
  top_logprobs?: number;
  stream_options?: { include_usage?: boolean; include_obfuscation?: boolean };
}

export interface SimulatorOptions {
  timing: () => SimTiming;
  /** Replaces the built-in answers: e.g. a recorded run's pieces, replayed with their timings. */
  script?: () => Piece[] | null;
}

const encoder = new TextEncoder();

function abortError(): DOMException {
  return new DOMException('The request was aborted.', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A small deterministic hash → [0, 1), so simulated logprobs are stable for the same text. */
function unit(seed: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 100000) / 100000;
}

const ALTERNATIVES = [' the', ' a', ' and', ',', '.', ' to', ' of', ' is', ' it', ' that', '\n', ' in'];

/** Plausible, clearly simulated logprobs: the chosen token is likely, alternatives less so. */
function simulatedLogprobs(token: string, position: number, top: number): TokenLogprob {
  const confidence = 1 - unit(token, position) ** 3 * 0.9;
  const logprob = Math.log(confidence);
  let remaining = 1 - confidence;
  const pool = ALTERNATIVES.filter((a) => a !== token);
  const alternatives: { token: string; logprob: number }[] = [];
  for (let i = 0; i < Math.min(top - 1, pool.length); i++) {
    const pick = pool[Math.floor(unit(token, position * 31 + i) * pool.length)] ?? ' the';
    if (alternatives.some((a) => a.token === pick)) continue;
    const share = remaining * (0.45 + unit(pick, i) * 0.3);
    remaining -= share;
    alternatives.push({ token: pick, logprob: Math.log(Math.max(share, 1e-9)) });
  }
  return { token, logprob, top: [{ token, logprob }, ...alternatives].slice(0, top) };
}

function jittered(mean: number, jitter: number): number {
  return Math.max(0, mean * (1 + (Math.random() * 2 - 1) * jitter));
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function promptTokens(tokenizer: Tokenizer, messages: ChatMessage[]): number {
  // Chat formatting adds about three tokens a message and three to prime the reply.
  return messages.reduce((n, m) => n + tokenizer.count(m.content) + 3, 3);
}

/** Cuts pieces at max tokens and before the first stop sequence. */
function limit(
  pieces: Piece[],
  maxTokens: number | undefined,
  stops: string[],
): { pieces: Piece[]; finish: 'stop' | 'length' } {
  const out: Piece[] = [];
  let tokens = 0;
  let text = '';
  for (const piece of pieces) {
    if (maxTokens !== undefined && tokens + piece.tokens > maxTokens) {
      return { pieces: out, finish: 'length' };
    }
    const next = text + piece.text;
    const hit = stops
      .map((s) => next.indexOf(s, Math.max(0, text.length - s.length + 1)))
      .filter((i) => i !== -1);
    if (hit.length) {
      const cut = Math.min(...hit) - text.length;
      if (cut > 0) out.push({ ...piece, text: piece.text.slice(0, cut) });
      return { pieces: out, finish: 'stop' };
    }
    out.push(piece);
    tokens += piece.tokens;
    text = next;
  }
  return { pieces: out, finish: 'stop' };
}

/** Everything one simulated answer needs, decided before the first byte is sent. */
interface Answer {
  pieces: Piece[];
  finish: 'stop' | 'length';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** The fields every completion object and chunk repeats. */
  envelope: { id: string; created: number; model: string; system_fingerprint: string };
  /** Alternatives per token in `logprobs`; 0 when logprobs were not asked for. */
  top: number;
  includeUsage: boolean;
}

/** The routes other than chat completions: the model list, and a 404 for anything else. */
function otherRoute(method: string, url: URL): Response | null {
  if (method === 'GET' && url.pathname.endsWith('/models')) {
    return json(200, {
      object: 'list',
      data: SIMULATOR_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'simulator' })),
    });
  }
  if (method === 'POST' && url.pathname.endsWith('/chat/completions')) return null;
  return json(404, {
    error: {
      message: `The simulator has no ${method} ${url.pathname}.`,
      type: 'invalid_request_error',
      code: null,
      param: null,
    },
  });
}

/** The pieces to send: a script's, or the built-in answer to the last user message, timed. */
function sourcePieces(tokenizer: Tokenizer, messages: ChatMessage[], options: SimulatorOptions): Piece[] {
  const timing = options.timing();
  const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return (
    options.script?.() ??
    tokenizer.pieces(answerFor(lastUser)).map((p, i) => ({
      ...p,
      delayMs:
        i === 0 ? jittered(timing.ttftMs, timing.jitter * 0.5) : jittered(timing.tokenMs, timing.jitter),
    }))
  );
}

/** Decides the whole answer to a request body: its pieces, how it ends, its usage. */
async function answer(body: Body, options: SimulatorOptions): Promise<Answer> {
  const messages = body.messages ?? [];
  const tokenizer = await loadTokenizer();
  const source = sourcePieces(tokenizer, messages, options);
  const stops = body.stop === undefined ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
  const { pieces, finish } = limit(source, body.max_completion_tokens ?? body.max_tokens, stops);
  const prompt = promptTokens(tokenizer, messages);
  const completion = pieces.reduce((n, p) => n + p.tokens, 0);
  return {
    pieces,
    finish,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    envelope: {
      id: `chatcmpl-sim${Math.random().toString(36).slice(2, 12)}`,
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'gpt-4o-mini',
      system_fingerprint: 'fp_simulator',
    },
    top: body.logprobs ? Math.max(1, Math.min(20, body.top_logprobs ?? 1)) : 0,
    includeUsage: body.stream_options?.include_usage === true,
  };
}

/** `stream: false`: the whole answer in one JSON body, after the time it would have taken. */
async function completionResponse(a: Answer, signal: AbortSignal | null): Promise<Response> {
  await sleep(
    a.pieces.reduce((ms, p) => ms + p.delayMs, 0),
    signal,
  );
  const { id, created, model, system_fingerprint } = a.envelope;
  return json(200, {
    id,
    object: 'chat.completion',
    created,
    model,
    system_fingerprint,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: a.pieces.map((p) => p.text).join(''), refusal: null },
        logprobs: a.top
          ? { content: a.pieces.map((p, i) => toWire(simulatedLogprobs(p.text, i, a.top))), refusal: null }
          : null,
        finish_reason: a.finish,
      },
    ],
    usage: a.usage,
  });
}

/** One SSE `data:` frame of a chunk carrying `choices` (and `extra`, e.g. the usage). */
function chunkFrame(a: Answer, choices: unknown[], extra: Record<string, unknown> = {}): Uint8Array {
  const { id, created, model, system_fingerprint } = a.envelope;
  return encoder.encode(
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint,
      choices,
      ...(a.includeUsage ? { usage: null } : {}),
      ...extra,
    })}\n\n`,
  );
}

/** Sends the role chunk, one chunk per piece on its delay, the finish chunk, usage, [DONE]. */
async function play(a: Answer, signal: AbortSignal | null, send: (bytes: Uint8Array) => void) {
  const choice = (delta: object, logprobs: unknown = null, finish: string | null = null) => [
    { index: 0, delta, logprobs, finish_reason: finish },
  ];
  send(chunkFrame(a, choice({ role: 'assistant', content: '', refusal: null })));
  for (const [i, piece] of a.pieces.entries()) {
    await sleep(piece.delayMs, signal);
    const logprobs = a.top
      ? { content: [toWire(simulatedLogprobs(piece.text, i, a.top))], refusal: null }
      : null;
    send(chunkFrame(a, choice({ content: piece.text }, logprobs)));
  }
  send(chunkFrame(a, choice({}, null, a.finish)));
  if (a.includeUsage) send(chunkFrame(a, [], { usage: a.usage }));
  send(encoder.encode('data: [DONE]\n\n'));
}

/** `stream: true`: an SSE body played on the pieces' timing; an abort errors the body. */
function streamResponse(a: Answer, signal: AbortSignal | null): Response {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        await play(a, signal, (bytes) => controller.enqueue(bytes));
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  // Like a real server, headers come back once the model has started.
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-simulated': 'true' },
  });
}

/** Creates the simulator's fetch. */
export function createSimulator(options: SimulatorOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const signal = init?.signal ?? null;
    if (signal?.aborted) throw abortError();
    const other = otherRoute((init?.method ?? 'GET').toUpperCase(), url);
    if (other) return other;
    const body = JSON.parse(String(init?.body ?? '{}')) as Body;
    const a = await answer(body, options);
    return body.stream ? streamResponse(a, signal) : completionResponse(a, signal);
  };
}

function toWire(t: TokenLogprob) {
  const bytes = (s: string) => [...encoder.encode(s)];
  return {
    token: t.token,
    logprob: t.logprob,
    bytes: bytes(t.token),
    top_logprobs: t.top.map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytes(a.token) })),
  };
}
