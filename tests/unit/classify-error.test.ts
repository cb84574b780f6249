/**
 * classifyError: each thing the SDK, fetch or the stall watchdog throws becomes an error a learner
 * can act on, without the key in any text.
 */
import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { classifyError, type ErrorContext } from '../../src/lib/engine/errors';
import { StallError } from '../../src/lib/engine/stall-watchdog';

const KEY = 'sk-test-abcdefghijklmnop';
const ctx: ErrorContext = {
  baseURL: 'https://api.example.com/v1',
  model: 'm-1',
  apiKey: KEY,
  streaming: false,
};

function apiError(status: number, body: object, headers: Record<string, string> = {}) {
  return APIError.generate(status, { error: body }, undefined, new Headers(headers));
}

describe('classifyError', () => {
  it('names a stall with its length and lets the learner retry', () => {
    const e = classifyError(new StallError(30_000), ctx);
    expect(e).toMatchObject({ kind: 'stalled', retryable: true });
    expect(e.title).toContain('30 s');
  });

  it('says the host did not answer in time on a timeout', () => {
    expect(classifyError(new APIConnectionTimeoutError(), ctx)).toMatchObject({
      kind: 'timeout',
      title: 'api.example.com did not answer in time.',
    });
  });

  it('refuses a base URL outside the rule without suggesting a retry', () => {
    const e = classifyError(new APIConnectionError({}), { ...ctx, baseURL: 'http://example.com/v1' });
    expect(e).toMatchObject({
      kind: 'network',
      retryable: false,
      title: 'Refused to connect to example.com.',
    });
  });

  it('points at CORS when a host cannot be reached, masking the key', () => {
    const cause = new TypeError(`failed with ${KEY}`);
    const e = classifyError(new APIConnectionError({ cause }), ctx);
    expect(e).toMatchObject({ kind: 'network', retryable: true });
    expect(e.hint).toContain('CORS');
    expect(e.detail).not.toContain(KEY);
  });

  it('calls an error without a status a mid-stream error', () => {
    // What the SDK throws for an error event inside a stream.
    const midStream = new APIError(undefined, { message: 'boom' }, undefined, new Headers());
    expect(classifyError(midStream, ctx)).toMatchObject({
      kind: 'mid_stream',
      detail: 'boom',
      retryable: true,
    });
  });

  it('tells a rejected key (401) from a forbidden action (403)', () => {
    const auth = classifyError(apiError(401, { message: `bad key ${KEY}` }), ctx);
    expect(auth).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(auth.detail).not.toContain(KEY);
    expect(classifyError(apiError(403, { message: 'no' }), ctx)).toMatchObject({ kind: 'permission' });
  });

  it('tells a missing model from a missing endpoint (404)', () => {
    const model = classifyError(apiError(404, { message: 'x', code: 'model_not_found' }), ctx);
    expect(model).toMatchObject({
      kind: 'model_not_found',
      title: 'Model “m-1” was not found on api.example.com.',
    });
    expect(classifyError(apiError(404, { message: 'The model does not exist' }), ctx).kind).toBe(
      'model_not_found',
    );
    expect(classifyError(apiError(404, { message: 'Not found' }), ctx).kind).toBe('not_found');
  });

  it('tells an empty account from a rate limit, with the wait the server asks for (429)', () => {
    expect(classifyError(apiError(429, { message: 'q', code: 'insufficient_quota' }), ctx)).toMatchObject({
      kind: 'quota',
      retryable: false,
    });
    expect(classifyError(apiError(429, { message: 'q', type: 'insufficient_quota' }), ctx).kind).toBe(
      'quota',
    );
    const limited = classifyError(apiError(429, { message: 'slow' }, { 'retry-after': '2' }), ctx);
    expect(limited).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 2000 });
    expect(limited.hint).toContain('2 s');
    const ms = classifyError(apiError(429, { message: 'slow' }, { 'retry-after-ms': '1500' }), ctx);
    expect(ms.retryAfterMs).toBe(1500);
    const plain = classifyError(apiError(429, { message: 'slow' }), ctx);
    expect(plain.retryAfterMs).toBeUndefined();
    expect(plain.hint).toBe('Wait a little, then Retry.');
  });

  it('names the refused parameter of a 400 and how to fix it', () => {
    const tokens = classifyError(apiError(400, { message: 'x', param: 'max_tokens' }), ctx);
    expect(tokens).toMatchObject({ kind: 'bad_request', param: 'max_tokens' });
    expect(tokens.hint).toContain('max_completion_tokens');
    const temp = classifyError(apiError(422, { message: 'x', param: 'temperature' }), ctx);
    expect(temp.hint).toContain('temperature');
    const none = classifyError(apiError(400, { message: 'x' }), ctx);
    expect(none).toMatchObject({ title: 'The request was refused (400).' });
    expect(none.param).toBeUndefined();
  });

  it('calls a 5xx a server error worth retrying and any other status unknown', () => {
    expect(classifyError(apiError(503, { message: 'x' }), ctx)).toMatchObject({
      kind: 'server',
      retryable: true,
    });
    expect(classifyError(apiError(418, { message: 'x' }), ctx)).toMatchObject({
      kind: 'unknown',
      title: 'api.example.com answered 418.',
      retryable: false,
    });
  });

  it('calls a TypeError after headers a dropped connection, and anything else unknown', () => {
    expect(classifyError(new TypeError('network'), { ...ctx, streaming: true }).kind).toBe('dropped');
    const other = classifyError(new Error(`odd ${KEY}`), ctx);
    expect(other).toMatchObject({ kind: 'unknown', title: 'Something went wrong.' });
    expect(other.detail).not.toContain(KEY);
  });
});
