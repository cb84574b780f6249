/**
 * RequestFormState: the form a single-prompt lab opens with — its prompt, the request parameters
 * and the request they make: one user message, built by engine/request like every other request.
 * The model and the lab's own fields are read through getters, so the request follows them.
 */
import { chatRequest, type RequestParams } from '../engine/request';
import type { ChatRequest } from '../engine/types';

export interface FormDefaults {
  defaultPrompt: string;
  maxTokens: number;
}

export class RequestFormState {
  #prompt = $state('');
  #params = $state<RequestParams>({ maxTokens: null, temperature: null });
  readonly #model: () => string;
  readonly #extra: () => Partial<ChatRequest>;
  readonly #request = $derived.by(() =>
    chatRequest(this.#model(), [{ role: 'user', content: this.#prompt }], this.#params, this.#extra()),
  );

  constructor(defaults: FormDefaults, model: () => string, extra: () => Partial<ChatRequest> = () => ({})) {
    this.#prompt = defaults.defaultPrompt;
    this.#params = { maxTokens: defaults.maxTokens, temperature: null };
    this.#model = model;
    this.#extra = extra;
  }

  get prompt(): string {
    return this.#prompt;
  }
  set prompt(value: string) {
    this.#prompt = value;
  }
  get params(): RequestParams {
    return this.#params;
  }
  set params(value: RequestParams) {
    this.#params = value;
  }
  /** The request Run sends and Show code prints. */
  get request(): ChatRequest {
    return this.#request;
  }
}
