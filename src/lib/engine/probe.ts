/**
 * "Test connection": asks the provider for its models and explains a failure in plain words —
 * wrong key, host unreachable, CORS refused, model not found — and, separately, whether the
 * endpoint speaks the Responses API (`probeResponses`).
 */
import { APIError } from 'openai/core/error';
import { createClient } from './client';
import { baseURLProblem } from './endpoint';
import { classifyError, isAbort } from './errors';
import type { Connection } from './types';
import { WireLog } from './wire';

export interface ProbeResult {
  ok: boolean;
  title: string;
  hint: string;
  models: string[];
}

/**
 * A fetch that fails can mean the host is down or that it answered but refused this origin
 * (CORS). An opaque no-cors request tells them apart: it only succeeds if the host answered.
 */
async function answersWithoutCors(connection: Connection): Promise<boolean> {
  try {
    // The page's own fetch: an opaque response is all this needs, and it carries no key.
    await globalThis.fetch(`${connection.baseURL.replace(/\/$/, '')}/models`, {
      mode: 'no-cors',
      credentials: 'omit',
    });
    return true;
  } catch {
    return false;
  }
}

export async function probeConnection(
  connection: Connection,
  model: string,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const refused = baseURLProblem(connection.baseURL);
  if (refused) return { ok: false, title: refused, hint: '', models: [] };
  try {
    const client = await createClient({ ...connection, maxRetries: 0 }, new WireLog());
    const page = await client.models.list(signal ? { signal } : {});
    const models = page.data.map((m) => m.id).sort();
    if (models.length && model && !models.includes(model)) {
      return {
        ok: false,
        title: `Connected, but model “${model}” is not offered here.`,
        hint: `Pick one of the ${models.length} models this provider lists.`,
        models,
      };
    }
    return { ok: true, title: `Connected: ${models.length} models available.`, hint: '', models };
  } catch (error) {
    if (isAbort(error)) return { ok: false, title: 'Cancelled.', hint: '', models: [] };
    const classified = classifyError(error, {
      baseURL: connection.baseURL,
      model,
      apiKey: connection.apiKey,
      streaming: false,
    });
    if (
      classified.kind === 'network' &&
      typeof window !== 'undefined' &&
      (await answersWithoutCors(connection))
    ) {
      return {
        ok: false,
        title: `The server at ${new URL(connection.baseURL).host} answered, but refused this page (CORS).`,
        hint: classified.hint.replace(/^Check the Base URL and that you are online\. /, ''),
        models: [],
      };
    }
    return { ok: false, title: classified.title, hint: classified.hint, models: [] };
  }
}

export interface ResponsesProbeResult {
  /** The endpoint answers POST /responses. */
  ok: boolean;
  /** Which, in plain words, and why the probe thinks so. */
  title: string;
  hint: string;
}

/**
 * Does this endpoint answer `POST /responses`? One tiny non-streamed request (input "ping",
 * max_output_tokens 1, no retries). A 200, or a JSON 4xx other than 404/405 (the route exists and
 * refused this request: a key it does not like, a parameter), or a 404 whose code is
 * model_not_found, means yes; any other 404, or a 405, means no;
 * anything else (unreachable, a server error, a page that is not JSON) means it could not tell,
 * which is said as not answering.
 */
export async function probeResponses(
  connection: Connection,
  model: string,
  signal?: AbortSignal,
): Promise<ResponsesProbeResult> {
  const refused = baseURLProblem(connection.baseURL);
  if (refused) return { ok: false, title: refused, hint: '' };
  const yes = (why: string): ResponsesProbeResult => ({
    ok: true,
    title: `This endpoint speaks the Responses API: POST /responses ${why}.`,
    hint: '',
  });
  try {
    const client = await createClient({ ...connection, maxRetries: 0 }, new WireLog());
    // One output token: OpenAI refuses a limit under 16 with a 400 before generating anything (the
    // route exists, nothing is billed); a local server answers with a token at most.
    await client.responses.create({ model, input: 'ping', max_output_tokens: 1 }, signal ? { signal } : {});
    return yes('answered');
  } catch (error) {
    if (isAbort(error)) return { ok: false, title: 'Cancelled.', hint: '' };
    if (error instanceof APIError && typeof error.status === 'number') {
      // OpenAI answers an unknown model with a 404 too: the route is there, the model is not.
      if (error.status === 404 && error.code === 'model_not_found')
        return yes('exists (it does not know this model, which is fine)');
      if (error.status === 404 || error.status === 405)
        return {
          ok: false,
          title: `This endpoint has no Responses API: POST /responses answered ${error.status}.`,
          hint: 'Use Chat Completions with this provider.',
        };
      const json = error.error !== undefined || /json/i.test(error.headers?.get('content-type') ?? '');
      if (json && error.status >= 400 && error.status < 500)
        return yes(`exists (it refused this test request with ${error.status}, which is fine)`);
    }
    const classified = classifyError(error, {
      baseURL: connection.baseURL,
      model,
      apiKey: connection.apiKey,
      streaming: false,
    });
    return {
      ok: false,
      title: `Could not tell whether this endpoint speaks the Responses API: ${classified.title}`,
      hint: 'Chat Completions is the safe choice until it answers.',
    };
  }
}
