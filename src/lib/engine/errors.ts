/**
 * Error classification: turns whatever the SDK, fetch or the wire tap threw into a LabError a
 * learner can act on. Aborting is never an error and is not classified here (see isAbort).
 * Invariant: no message or hint produced here contains the API key; every text passes maskSecrets.
 */
// The SDK's error classes alone: importing 'openai' here would load the whole SDK with the page.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai/core/error';
import { urlProblem } from './endpoint';
import { StallError } from './stall-watchdog';

export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'rate_limit'
  | 'quota'
  | 'model_not_found'
  | 'not_found'
  | 'bad_request'
  | 'server'
  | 'network'
  | 'timeout'
  | 'stalled'
  | 'mid_stream'
  | 'dropped'
  | 'offline'
  | 'unknown';

export interface LabError {
  kind: ErrorKind;
  /** One line: what happened. */
  title: string;
  /** The provider's own words, masked. */
  detail: string;
  /** What to do about it. */
  hint: string;
  status?: number;
  /** The request parameter a 400 names. */
  param?: string;
  /** Trying again may work (rate limits, server errors, drops, stalls). */
  retryable: boolean;
  retryAfterMs?: number;
}

export interface ErrorContext {
  baseURL: string;
  model: string;
  apiKey: string;
  /** True once response headers arrived: a failure after that is a mid-stream failure. */
  streaming: boolean;
  /**
   * The endpoint asked, where a 404 means something else than for chat completions (missing):
   * `POST /responses`, or resuming a response (`GET /responses/{id}`).
   */
  route?: 'responses' | 'resume';
}

/** Anything shaped like an OpenAI key; group 1 is the part a mask may show. */
const KEY_SHAPE = String.raw`\b(sk-[A-Za-z0-9_-]{4})[A-Za-z0-9_*-]{6,}`;

/** Shows a key as its first characters and last four, never more. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '•'.repeat(key.length);
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** A secret found in a text: where it is, and what to show instead. */
export interface SecretSpan {
  start: number;
  end: number;
  mask: string;
}

/**
 * A finder for the key, in any letter case (a provider may echo it upper-cased), and anything
 * shaped like an OpenAI key. One compiled pattern, for callers that search many texts.
 * Spans come sorted and never overlap.
 */
export function secretFinder(key: string): (text: string) => SecretSpan[] {
  const exact = key.length >= 4 ? `(${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})|` : '((?!))|';
  const pattern = new RegExp(exact + KEY_SHAPE, 'gi');
  return (text) =>
    Array.from(text.matchAll(pattern), (m) => ({
      start: m.index,
      end: m.index + m[0].length,
      mask: m[1] ? maskKey(m[0]) : `${m[2]}…`,
    }));
}

/** Replaces each span with its mask. */
export function applyMasks(text: string, spans: readonly SecretSpan[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.mask;
    at = span.end;
  }
  return out + text.slice(at);
}

/** Removes the key (in any letter case, and anything shaped like an OpenAI key) from a text. */
export function maskSecrets(text: string, key: string): string {
  return applyMasks(text, secretFinder(key)(text));
}

/** The browser went offline while a request was under way. */
export function offlineError(): LabError {
  return {
    kind: 'offline',
    title: 'You went offline in the middle of the stream.',
    detail: '',
    hint: 'The text so far is kept. Reconnect, then Retry.',
    retryable: true,
  };
}

/**
 * An error the provider streamed as an event rather than threw as a status: the Responses API's
 * `error` event or `response.failed`. Its code and message, masked.
 */
export function streamedError(code: unknown, message: unknown, ctx: ErrorContext): LabError {
  const words = typeof message === 'string' ? message : '';
  const said = typeof code === 'string' && code ? (words ? `${code}: ${words}` : code) : words;
  return midStream({ detail: maskSecrets(said, ctx.apiKey) });
}

/**
 * The engine itself cut the connection after `events` events, as a network drop would (the
 * `dropAfter` option). `resumable`: the stream can be picked up where it stopped (a background
 * Responses stream); otherwise the rest of the answer is lost, as with Chat Completions.
 */
export function cutOnPurpose(events: number, resumable: boolean): LabError {
  return {
    kind: 'network',
    title: `The connection was cut on purpose after ${events} event${events === 1 ? '' : 's'}.`,
    detail: '',
    hint: resumable
      ? 'The response goes on in the background: resume the stream from the last event received.'
      : 'Nothing can pick this stream up again: the rest of the answer is lost. Run again to get it all.',
    retryable: true,
  };
}

export function isAbort(error: unknown): boolean {
  return (
    error instanceof APIUserAbortError ||
    (typeof error === 'object' &&
      error !== null &&
      'name' in error &&
      (error as { name: unknown }).name === 'AbortError')
  );
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

interface ProviderError {
  message?: string;
  code?: string | null;
  type?: string;
  param?: string | null;
}

function providerError(error: APIError): ProviderError {
  const body = error.error as ProviderError | undefined;
  return typeof body === 'object' && body !== null ? body : {};
}

function retryAfter(error: APIError): number | undefined {
  const ms = error.headers?.get('retry-after-ms');
  if (ms && !Number.isNaN(Number(ms))) return Number(ms);
  const s = error.headers?.get('retry-after');
  if (!s) return undefined;
  const seconds = Number(s);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(s);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const CORS_HINT =
  'If the server is running, it may be refusing requests from this page (CORS). Ollama: start it ' +
  'with OLLAMA_ORIGINS set to this page’s origin (or *). LM Studio: turn on “Enable CORS” in the ' +
  'server settings. Other servers: allow this origin and the Authorization and Content-Type headers.';

/** What every classifier needs: the context, the host as shown, and a masker for the key. */
interface Scene {
  ctx: ErrorContext;
  host: string;
  mask: (text: string) => string;
}

/** The fields every classified APIError carries: the provider's masked words and its status. */
type Base = Pick<LabError, 'detail' | 'status'>;

function stalled(error: StallError): LabError {
  return {
    kind: 'stalled',
    title: `The stream stalled: no data for ${Math.round(error.afterMs / 1000)} s.`,
    detail: '',
    hint: 'The connection was closed. The text so far is kept; Retry to ask again.',
    retryable: true,
  };
}

function timedOut(error: APIConnectionTimeoutError, { host, mask }: Scene): LabError {
  return {
    kind: 'timeout',
    title: `${host} did not answer in time.`,
    detail: mask(error.message),
    hint: 'The server may be overloaded or the model still loading. Retry in a moment.',
    retryable: true,
  };
}

/** No answer at all: a base URL the rule refuses, or a host that is down or refuses CORS. */
function unreachable(error: APIConnectionError, { ctx, host, mask }: Scene): LabError {
  const refused = urlProblem(ctx.baseURL);
  if (refused) {
    return {
      kind: 'network',
      title: `Refused to connect to ${host}.`,
      detail: refused,
      hint: 'Fix the Base URL in the connection panel.',
      retryable: false,
    };
  }
  return {
    kind: 'network',
    title: `Could not reach ${host}.`,
    detail: mask(error.cause instanceof Error ? error.cause.message : error.message),
    hint: `Check the Base URL and that you are online. ${CORS_HINT}`,
    retryable: true,
  };
}

function midStream(base: Base): LabError {
  return {
    ...base,
    kind: 'mid_stream',
    title: 'The provider sent an error in the middle of the stream.',
    hint: 'The text so far is kept. This is usually temporary: Retry.',
    retryable: true,
  };
}

function unauthorized(base: Base, { host }: Scene): LabError {
  return {
    ...base,
    kind: 'auth',
    title: `${host} rejected the API key (401).`,
    hint: 'Paste the key again in the connection panel; check it belongs to this provider.',
    retryable: false,
  };
}

function forbidden(base: Base): LabError {
  return {
    ...base,
    kind: 'permission',
    title: `The key is not allowed to do this (403).`,
    hint: 'The key’s project may lack access to this model, or the region is not supported.',
    retryable: false,
  };
}

/** A 404 names the model, the endpoint, or (resuming) the response. */
function notFound(base: Base, body: ProviderError, { ctx, host }: Scene): LabError {
  if (ctx.route === 'resume')
    return {
      ...base,
      kind: 'not_found',
      title: 'The response to resume was not found (404).',
      hint: 'Only a background response the server still keeps can be resumed. Run again.',
      retryable: false,
    };
  const isModel = body.code === 'model_not_found' || /model/i.test(base.detail);
  if (isModel)
    return {
      ...base,
      kind: 'model_not_found',
      title: `Model “${ctx.model}” was not found on ${host}.`,
      hint: 'Pick a model from the list in the connection panel, or check its spelling.',
      retryable: false,
    };
  return ctx.route === 'responses'
    ? {
        ...base,
        kind: 'not_found',
        title: `${host} has no Responses API at this address (404).`,
        hint: 'This server may speak only Chat Completions: choose that API, or check the Base URL.',
        retryable: false,
      }
    : {
        ...base,
        kind: 'not_found',
        title: `${host} has no chat completions endpoint at this address (404).`,
        hint: 'Check the Base URL: OpenAI-compatible servers usually end in /v1.',
        retryable: false,
      };
}

/** A 429 is either an empty account (retrying will not help) or a rate limit (it will, later). */
function tooMany(base: Base, body: ProviderError, error: APIError): LabError {
  if (body.code === 'insufficient_quota' || body.type === 'insufficient_quota') {
    return {
      ...base,
      kind: 'quota',
      title: 'The account has run out of credit (429 insufficient_quota).',
      hint: 'Retrying will not help: add credit or use another key. The simulator still works.',
      retryable: false,
    };
  }
  const wait = retryAfter(error);
  return {
    ...base,
    kind: 'rate_limit',
    title: 'Rate limited (429): too many requests or tokens per minute.',
    hint:
      wait !== undefined
        ? `The server asks to wait ${Math.ceil(wait / 1000)} s before retrying.`
        : 'Wait a little, then Retry.',
    retryable: true,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  };
}

/** A resume refused: the response was not created in the background (or cannot be streamed). */
function notResumable(base: Base): LabError {
  return {
    ...base,
    kind: 'bad_request',
    title: 'This response cannot be resumed (400).',
    hint: 'Only a response created with background: true can be streamed again. Run again.',
    retryable: false,
  };
}

/** A 400 or 422, with a fix for the parameters models commonly refuse. */
function badRequest(base: Base, body: ProviderError): LabError {
  const param = body.param ?? undefined;
  const fix =
    param === 'max_completion_tokens'
      ? 'This endpoint takes max_tokens instead of max_completion_tokens (older OpenAI-compatible servers).'
      : param === 'max_tokens' || /max_completion_tokens/.test(base.detail)
        ? 'This model takes max_completion_tokens instead of max_tokens (reasoning models).'
        : param === 'temperature'
          ? 'This model does not accept a custom temperature; leave it empty.'
          : param === 'reasoning.summary'
            ? 'OpenAI sends reasoning summaries only to verified organizations: verify yours in the platform settings, or use Chat Completions for this model.'
            : 'Change the named parameter and Run again.';
  return {
    ...base,
    kind: 'bad_request',
    title: param ? `The request was refused: parameter “${param}”.` : 'The request was refused (400).',
    hint: fix,
    retryable: false,
    ...(param ? { param } : {}),
  };
}

function serverError(base: Base, status: number, { host }: Scene): LabError {
  return {
    ...base,
    kind: 'server',
    title: `${host} had a server error (${status}).`,
    hint: 'This is on the provider’s side and usually passes. Retry in a moment.',
    retryable: true,
  };
}

function otherStatus(base: Base, status: number, { host }: Scene): LabError {
  return {
    ...base,
    kind: 'unknown',
    title: `${host} answered ${status}.`,
    hint: 'Read the provider’s message above.',
    retryable: false,
  };
}

/** An error the provider answered with: by status, or mid-stream when it came without one. */
function providerAnswered(error: APIError, scene: Scene): LabError {
  const body = providerError(error);
  const status = error.status as number | undefined;
  const base: Base = { detail: scene.mask(body.message ?? error.message), ...(status ? { status } : {}) };
  if (status === undefined) return midStream(base);
  if (status === 401) return unauthorized(base, scene);
  if (status === 403) return forbidden(base);
  if (status === 404) return notFound(base, body, scene);
  if (status === 429) return tooMany(base, body, error);
  if ((status === 400 || status === 422) && scene.ctx.route === 'resume') return notResumable(base);
  if (status === 400 || status === 422) return badRequest(base, body);
  if (status >= 500) return serverError(base, status, scene);
  return otherStatus(base, status, scene);
}

function dropped(error: TypeError, { mask }: Scene): LabError {
  return {
    kind: 'dropped',
    title: 'The connection dropped before the answer finished.',
    detail: mask(error.message),
    hint: 'The text so far is kept. Check your network and Retry.',
    retryable: true,
  };
}

function unknownError(error: unknown, { mask }: Scene): LabError {
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'unknown',
    title: 'Something went wrong.',
    detail: mask(message),
    hint: 'Retry; if it keeps happening, try the simulator to rule out the connection.',
    retryable: true,
  };
}

/** Classifies any thrown value. Call isAbort first: an abort is an outcome, not an error. */
export function classifyError(error: unknown, ctx: ErrorContext): LabError {
  const scene: Scene = { ctx, host: hostOf(ctx.baseURL), mask: (s) => maskSecrets(s, ctx.apiKey) };
  if (error instanceof StallError) return stalled(error);
  // The timeout error is a kind of connection error: it is asked about first.
  if (error instanceof APIConnectionTimeoutError) return timedOut(error, scene);
  if (error instanceof APIConnectionError) return unreachable(error, scene);
  if (error instanceof APIError) return providerAnswered(error, scene);
  if (ctx.streaming && error instanceof TypeError) return dropped(error, scene);
  return unknownError(error, scene);
}
