/**
 * Error classification: turns whatever the SDK, fetch or the wire tap threw into a LabError a
 * learner can act on. Aborting is never an error and is not classified here (see isAbort).
 * Invariant: no message or hint produced here contains the API key; every text passes maskSecrets.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
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

/** Where the key (in any letter case) and anything shaped like an OpenAI key occur in a text. */
export function secretSpans(text: string, key: string): SecretSpan[] {
  return secretFinder(key)(text);
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
  return applyMasks(text, secretSpans(text, key));
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

/** Classifies any thrown value. Call isAbort first: an abort is an outcome, not an error. */
export function classifyError(error: unknown, ctx: ErrorContext): LabError {
  const host = hostOf(ctx.baseURL);
  const mask = (s: string) => maskSecrets(s, ctx.apiKey);

  if (error instanceof StallError) {
    return {
      kind: 'stalled',
      title: `The stream stalled: no data for ${Math.round(error.afterMs / 1000)} s.`,
      detail: '',
      hint: 'The connection was closed. The text so far is kept; Retry to ask again.',
      retryable: true,
    };
  }
  if (error instanceof APIConnectionTimeoutError) {
    return {
      kind: 'timeout',
      title: `${host} did not answer in time.`,
      detail: mask(error.message),
      hint: 'The server may be overloaded or the model still loading. Retry in a moment.',
      retryable: true,
    };
  }
  if (error instanceof APIConnectionError) {
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
  if (error instanceof APIError) {
    const body = providerError(error);
    const detail = mask(body.message ?? error.message);
    const status = error.status as number | undefined;
    const base = { detail, ...(status ? { status } : {}) };
    if (status === undefined) {
      return {
        ...base,
        kind: 'mid_stream',
        title: 'The provider sent an error in the middle of the stream.',
        hint: 'The text so far is kept. This is usually temporary: Retry.',
        retryable: true,
      };
    }
    if (status === 401) {
      return {
        ...base,
        kind: 'auth',
        title: `${host} rejected the API key (401).`,
        hint: 'Paste the key again in the connection panel; check it belongs to this provider.',
        retryable: false,
      };
    }
    if (status === 403) {
      return {
        ...base,
        kind: 'permission',
        title: `The key is not allowed to do this (403).`,
        hint: 'The key’s project may lack access to this model, or the region is not supported.',
        retryable: false,
      };
    }
    if (status === 404) {
      const isModel = body.code === 'model_not_found' || /model/i.test(detail);
      return isModel
        ? {
            ...base,
            kind: 'model_not_found',
            title: `Model “${ctx.model}” was not found on ${host}.`,
            hint: 'Pick a model from the list in the connection panel, or check its spelling.',
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
    if (status === 429) {
      const quota = body.code === 'insufficient_quota' || body.type === 'insufficient_quota';
      if (quota) {
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
    if (status === 400 || status === 422) {
      const param = body.param ?? undefined;
      const fix =
        param === 'max_tokens' || /max_completion_tokens/.test(detail)
          ? 'This model takes max_completion_tokens instead of max_tokens (reasoning models).'
          : param === 'temperature'
            ? 'This model does not accept a custom temperature; leave it empty.'
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
    if (status >= 500) {
      return {
        ...base,
        kind: 'server',
        title: `${host} had a server error (${status}).`,
        hint: 'This is on the provider’s side and usually passes. Retry in a moment.',
        retryable: true,
      };
    }
    return {
      ...base,
      kind: 'unknown',
      title: `${host} answered ${status}.`,
      hint: 'Read the provider’s message above.',
      retryable: false,
    };
  }
  if (ctx.streaming && error instanceof TypeError) {
    return {
      kind: 'dropped',
      title: 'The connection dropped before the answer finished.',
      detail: mask(error.message),
      hint: 'The text so far is kept. Check your network and Retry.',
      retryable: true,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'unknown',
    title: 'Something went wrong.',
    detail: mask(message),
    hint: 'Retry; if it keeps happening, try the simulator to rule out the connection.',
    retryable: true,
  };
}
