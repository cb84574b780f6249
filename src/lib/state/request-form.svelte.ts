/**
 * RequestFormState: the form a single-prompt lab opens with — its prompt, the request parameters
 * and the request they make: one user message, built by engine/request like every other request.
 * The model, the endpoint's dialect (which fields it takes) and the lab's own fields are read
 * through getters, so the request follows them.
 */
import type { Dialect } from '../engine/dialect';
import { chatRequest, DEFAULT_PARAMS, type RequestParams } from '../engine/request';
import type { ChatRequest } from '../engine/types';

export interface FormDefaults {
  defaultPrompt: string;
  maxTokens: number;
}

export class RequestFormState {
  #prompt = $state('');
  #params = $state<RequestParams>(DEFAULT_PARAMS);
  readonly #model: () => string;
  readonly #dialect: () => Dialect;
  readonly #extra: () => Partial<ChatRequest>;
  readonly #request = $derived.by(() =>
    chatRequest(
      this.#model(),
      [{ role: 'user', content: this.#prompt }],
      this.#params,
      this.#dialect(),
      this.#extra(),
    ),
  );

  constructor(
    defaults: FormDefaults,
    model: () => string,
    dialect: () => Dialect,
    extra: () => Partial<ChatRequest> = () => ({}),
  ) {
    this.#prompt = defaults.defaultPrompt;
    this.#params = { ...DEFAULT_PARAMS, maxTokens: defaults.maxTokens };
    this.#model = model;
    this.#dialect = dialect;
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
  /** Which request fields the endpoint and model take (the controls offer only those). */
  get dialect(): Dialect {
    return this.#dialect();
  }
  /** The request Run sends and Show code prints. */
  get request(): ChatRequest {
    return this.#request;
  }
}
