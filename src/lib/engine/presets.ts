/**
 * Presets for common OpenAI-compatible providers: the base URL each one serves the API at, and what
 * it is known to do that this app cares about — usage in the stream, log probabilities, where
 * reasoning text arrives, whether a browser may call it (CORS), and the fix when CORS blocks it.
 *
 * Invariants:
 * - Plain data, checked against each provider's documentation when written; what was not
 *   confirmed says 'unknown' rather than a guess. Providers change: the notes say "known to".
 * - A preset only fills the connection panel's fields: OpenAI stays its own provider, every
 *   other preset is the Custom provider with the preset's base URL. No preset carries a key.
 */
import { baseURLFor, type Endpoint } from './providers';

/** Whether a provider is known to do something: 'partly' when it depends on the model or upstream. */
export type Support = 'yes' | 'no' | 'partly' | 'unknown';

/** Whether a page in a browser may call it: 'flag' when the server must be told to allow the page's origin. */
export type CorsSupport = 'yes' | 'no' | 'flag' | 'unknown';

export interface ProviderPreset {
  id: string;
  name: string;
  provider: 'openai' | 'custom';
  baseURL: string;
  /** `stream_options.include_usage`: a last chunk with the token usage. */
  includeUsage: Support;
  logprobs: Support;
  /** Where reasoning text arrives and what it is called ('unknown' when not confirmed). */
  reasoning: string;
  cors: CorsSupport;
  /** What to do when the browser blocks the request (CORS). */
  corsFix: string;
  /** Anything else worth knowing before the first request. */
  note: string;
}

const PROXY_FIX =
  'Not confirmed for browsers. If the request is blocked (CORS), call it through a proxy you run on localhost, ' +
  'which adds the Access-Control-Allow-Origin header; never put the key in a page others load.';

export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    name: 'OpenAI',
    provider: 'openai',
    baseURL: 'https://api.openai.com/v1',
    includeUsage: 'yes',
    logprobs: 'partly',
    reasoning:
      'Not sent on Chat Completions. The Responses API streams reasoning summaries (response.reasoning_summary_text.delta) for reasoning models.',
    cors: 'yes',
    corsFix: 'Not needed.',
    note: 'Log probabilities: chat models yes, reasoning models (o-series, gpt-5) no. Every request is billed.',
  },
  {
    id: 'openrouter',
    name: 'OpenRouter',
    provider: 'custom',
    baseURL: 'https://openrouter.ai/api/v1',
    includeUsage: 'yes',
    logprobs: 'partly',
    reasoning:
      'delta.reasoning (and delta.reasoning_details), for reasoning models; ask with reasoning: { effort }.',
    cors: 'yes',
    corsFix: 'Not needed: OpenRouter accepts requests from browsers.',
    note: 'Usage, with its cost, arrives in the last chunk. What a model accepts depends on the upstream provider OpenRouter routes it to.',
  },
  {
    id: 'groq',
    name: 'Groq',
    provider: 'custom',
    baseURL: 'https://api.groq.com/openai/v1',
    includeUsage: 'unknown',
    logprobs: 'no',
    reasoning:
      'For reasoning models, reasoning_format picks it: "parsed" puts it in a reasoning field, "raw" leaves <think> tags in the content, "hidden" drops it.',
    cors: 'unknown',
    corsFix: PROXY_FIX,
    note: 'Groq answers 400 to logprobs, top_logprobs, logit_bias and n other than 1.',
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    provider: 'custom',
    baseURL: 'https://api.deepseek.com',
    includeUsage: 'yes',
    logprobs: 'partly',
    reasoning: 'delta.reasoning_content, from deepseek-reasoner.',
    cors: 'unknown',
    corsFix: PROXY_FIX,
    note: 'deepseek-reasoner answers an error to logprobs and top_logprobs and ignores temperature and top_p; deepseek-chat takes them.',
  },
  {
    id: 'together',
    name: 'Together AI',
    provider: 'custom',
    baseURL: 'https://api.together.xyz/v1',
    includeUsage: 'unknown',
    logprobs: 'unknown',
    reasoning: 'unknown',
    cors: 'unknown',
    corsFix: PROXY_FIX,
    note: 'Open models behind one OpenAI-compatible API; use Test connection for the model list.',
  },
  {
    id: 'fireworks',
    name: 'Fireworks AI',
    provider: 'custom',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    includeUsage: 'unknown',
    logprobs: 'unknown',
    reasoning: 'unknown',
    cors: 'unknown',
    corsFix: PROXY_FIX,
    note: 'Model names are paths such as accounts/fireworks/models/…; use Test connection for the list.',
  },
  {
    id: 'mistral',
    name: 'Mistral',
    provider: 'custom',
    baseURL: 'https://api.mistral.ai/v1',
    includeUsage: 'unknown',
    logprobs: 'unknown',
    reasoning: 'unknown',
    cors: 'unknown',
    corsFix: PROXY_FIX,
    note: 'Mistral’s API follows the Chat Completions shape but is its own; a field it does not take is a 400 the panel can learn from.',
  },
  {
    id: 'gemini',
    name: 'Gemini (OpenAI endpoint)',
    provider: 'custom',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    includeUsage: 'unknown',
    logprobs: 'unknown',
    reasoning:
      'reasoning_effort is accepted by thinking models; thoughts are sent only when asked for (extra_body google.thinking_config.include_thoughts).',
    cors: 'unknown',
    corsFix: PROXY_FIX,
    note: 'Google’s OpenAI-compatible layer over the Gemini API, with a Gemini API key.',
  },
  {
    id: 'ollama',
    name: 'Ollama',
    provider: 'custom',
    baseURL: 'http://localhost:11434/v1',
    includeUsage: 'yes',
    logprobs: 'unknown',
    reasoning: 'delta.reasoning (not reasoning_content), from thinking models.',
    cors: 'flag',
    corsFix:
      'Ollama allows pages served from localhost or 127.0.0.1 by default. For this app on any other origin, restart it with that origin allowed: OLLAMA_ORIGINS=https://your-app-origin ollama serve.',
    note: 'Local: no key needed (any text works). Pull a model first (ollama pull …).',
  },
  {
    id: 'lm-studio',
    name: 'LM Studio',
    provider: 'custom',
    baseURL: 'http://localhost:1234/v1',
    includeUsage: 'unknown',
    logprobs: 'unknown',
    reasoning: 'unknown',
    cors: 'flag',
    corsFix:
      'Turn on "Enable CORS" in the local server’s settings, or start it with lms server start --cors.',
    note: 'Local: no key needed. Load a model in LM Studio before the first request.',
  },
  {
    id: 'vllm',
    name: 'vLLM',
    provider: 'custom',
    baseURL: 'http://localhost:8000/v1',
    includeUsage: 'yes',
    logprobs: 'yes',
    reasoning: 'delta.reasoning_content, when the server runs with a --reasoning-parser for the model.',
    cors: 'yes',
    corsFix:
      'Allowed from any origin by default (--allowed-origins defaults to *). If the server was started with --allowed-origins, add this app’s origin to it.',
    note: 'Needs a key only if started with --api-key.',
  },
  {
    id: 'llama-cpp',
    name: 'llama.cpp server',
    provider: 'custom',
    baseURL: 'http://localhost:8080/v1',
    includeUsage: 'unknown',
    logprobs: 'unknown',
    reasoning: 'delta.reasoning_content, depending on its --reasoning-format setting.',
    cors: 'yes',
    corsFix:
      'llama-server sends CORS headers for any origin by default; if it was started with a narrower origin list, add this app’s origin.',
    note: 'Serves the one model it was started with; needs a key only if started with --api-key.',
  },
];

const trimmed = (url: string) => url.trim().replace(/\/+$/, '');

/** The preset whose provider and base URL `endpoint` has, or null. */
export function presetFor(endpoint: Endpoint): ProviderPreset | null {
  const url = trimmed(baseURLFor(endpoint));
  return PRESETS.find((p) => p.provider === endpoint.provider && trimmed(p.baseURL) === url) ?? null;
}

/** The endpoint a preset fills in; the Custom base URL is kept for OpenAI, which has its own. */
export function endpointOf(preset: ProviderPreset, current: Endpoint): Endpoint {
  return preset.provider === 'openai'
    ? { provider: 'openai', customBaseURL: current.customBaseURL }
    : { provider: 'custom', customBaseURL: preset.baseURL };
}
