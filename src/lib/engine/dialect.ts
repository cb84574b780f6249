/**
 * Dialect: which request fields an endpoint and model take, decided in one place. engine/request
 * builds every request through a Dialect, so what is sent, shown as code and recorded in a run
 * file already fits the model.
 *
 * The decision, from (provider, model, what the endpoint taught us):
 * - OpenAI, and the simulator that mimics it: the output limit goes as `max_completion_tokens`
 *   (every current OpenAI model takes it; reasoning models take only it), and reasoning models get
 *   no `temperature` (they refuse anything but the default).
 * - Custom providers: `max_tokens`, the name every OpenAI-compatible server knows.
 * - Any provider: `reasoning_effort` applies to reasoning models only (engine/models.ts).
 * - What an endpoint refused with a 400 and the learner then fixed (`fixFor`) overrides the above
 *   for that endpoint and model (`EndpointFacts`, kept by storage/endpoint-facts.ts).
 * - Which wire format a request goes by unless the learner picks one (`defaultApi`): Responses for
 *   OpenAI's reasoning models (the only way to see their reasoning summaries), Chat Completions
 *   otherwise and on every Custom endpoint (the format every compatible server speaks).
 *
 * Invariant: EndpointFacts hold only parameter names, never a key or a URL.
 */
import type { LabError } from './errors';
import { isReasoningModel } from './models';
import type { Provider } from './providers';
import type { Api, ChatRequest } from './types';

/** The two names the output-token limit goes by. */
export type TokenLimitField = 'max_tokens' | 'max_completion_tokens';

/** Parameters a request may leave out when an endpoint refuses them (wire names). */
export const OMITTABLE = [
  'temperature',
  'reasoning_effort',
  'stop',
  'logprobs',
  'top_logprobs',
  'stream_options',
] as const;
export type OmittableParam = (typeof OMITTABLE)[number];

/** What one endpoint was found to take for one model, learned from its 400s. */
export interface EndpointFacts {
  /** The limit's name this endpoint takes, when it refused the other one. */
  tokenLimit?: TokenLimitField;
  /** Parameters it refused: left out from now on. */
  omit: OmittableParam[];
}

export const NO_FACTS: EndpointFacts = { omit: [] };

/** What a request to this endpoint and model sends. */
export interface Dialect {
  /** The name the output-token limit goes by. */
  tokenLimit: TokenLimitField;
  /** Parameters never sent, whatever the form or the lab asks. */
  omit: readonly OmittableParam[];
  /** The model is a reasoning model that may be sent `reasoning_effort`. */
  reasoningEffort: boolean;
}

/** The dialect of `model` at an endpoint of `provider`, after what the endpoint taught (`facts`). */
export function dialectFor(provider: Provider, model: string, facts: EndpointFacts = NO_FACTS): Dialect {
  const openaiLike = provider !== 'custom';
  const reasoning = isReasoningModel(model);
  const omit = new Set<OmittableParam>(facts.omit);
  if (openaiLike && reasoning) omit.add('temperature');
  return {
    tokenLimit: facts.tokenLimit ?? (openaiLike ? 'max_completion_tokens' : 'max_tokens'),
    omit: OMITTABLE.filter((p) => omit.has(p)),
    reasoningEffort: reasoning && !omit.has('reasoning_effort'),
  };
}

/**
 * The wire format for `model` at an endpoint of `provider` when the learner leaves the choice to
 * the app: OpenAI and the simulator (which mimics it) use Responses for reasoning models and
 * Chat Completions for the rest; a Custom endpoint uses Chat Completions.
 */
export function defaultApi(provider: Provider, model: string): Api {
  return provider !== 'custom' && isReasoningModel(model) ? 'responses' : 'chat';
}

/**
 * The fields of `request` the Responses API has no place for, by their wire names: what a lab's
 * form asked for that goes unsent when the request goes by Responses (engine/request.ts
 * `responseParams` leaves them out). Usage needs no asking there: response.completed carries it.
 */
export function notSentWithResponses(request: ChatRequest): string[] {
  return [
    ...(request.stop?.length ? ['stop'] : []),
    ...(request.seed !== undefined ? ['seed'] : []),
    ...(request.include_usage ? ['stream_options.include_usage'] : []),
    ...(request.include_obfuscation !== undefined ? ['stream_options.include_obfuscation'] : []),
  ];
}

/** A one-click way past a 400: what the button says, and the facts to remember once it is clicked. */
export interface ParamFix {
  label: string;
  facts: EndpointFacts;
}

/** Words providers use when they refuse a parameter itself (not just its value's size). */
const REFUSED =
  /unsupported|not supported|does not support|unrecognized|unknown|not allowed|not permitted|extra (?:fields|inputs)|invalid (?:parameter|argument)/i;

const isOmittable = (name: string): name is OmittableParam => (OMITTABLE as readonly string[]).includes(name);

/**
 * The fix for a 400 that names a parameter the endpoint does not take, given what is already
 * known about it (`facts`): the other name for the token limit, or leaving the parameter out.
 * Null when the error names no parameter, names one the request cannot go without (model,
 * messages...), or refuses only a value (e.g. "max_tokens is too large").
 */
export function fixFor(
  error: Pick<LabError, 'kind' | 'param' | 'detail'>,
  facts: EndpointFacts,
): ParamFix | null {
  if (error.kind !== 'bad_request' || !error.param || !REFUSED.test(error.detail)) return null;
  // "stream_options.include_usage" and "messages[0]" name a field inside a parameter.
  const name = error.param.split(/[.[]/)[0] ?? '';
  if (name === 'max_tokens' || name === 'max_completion_tokens') {
    const other: TokenLimitField = name === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
    return { label: `Retry with ${other}`, facts: { ...facts, tokenLimit: other } };
  }
  if (!isOmittable(name)) return null;
  return {
    label: `Retry without ${name}`,
    facts: { ...facts, omit: OMITTABLE.filter((p) => p === name || facts.omit.includes(p)) },
  };
}

/** The learned facts in words for the learner ("uses max_completion_tokens; no temperature"). */
export function describeFacts(facts: EndpointFacts): string {
  return [
    ...(facts.tokenLimit ? [`uses ${facts.tokenLimit}`] : []),
    ...facts.omit.map((p) => `no ${p}`),
  ].join('; ');
}

/** True when nothing has been learned. */
export const noFacts = (facts: EndpointFacts): boolean => !facts.tokenLimit && facts.omit.length === 0;
