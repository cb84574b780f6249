/**
 * "Test connection": asks the provider for its models and explains a failure in plain words —
 * wrong key, host unreachable, CORS refused, model not found.
 */
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
  const client = createClient({ ...connection, maxRetries: 0 }, new WireLog());
  try {
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
