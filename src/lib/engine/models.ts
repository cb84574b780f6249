/**
 * What a model's name says about it: the one place that decides whether a model is a reasoning
 * model (one that thinks before it answers, and so refuses or ignores some sampling parameters).
 *
 * Names only: no request is made. A name this does not know reads as a classic chat model, and
 * the endpoint's own 400 (engine/dialect.ts `fixFor`) corrects what the name could not tell.
 */

/** Reasoning model names beyond OpenAI's: DeepSeek R1, Qwen QwQ, and the simulator's. */
const REASONING_NAMES = /thinking|reasoner|reasoning|deepseek-r1|qwq/;

/**
 * True for reasoning models: OpenAI's o-series (o1, o3-mini, o4-mini...) and gpt-5 family (gpt-5, gpt-5-mini,
 * gpt-5.1..., but not gpt-5-chat*, a classic chat model), and any name with thinking / reasoner / reasoning,
 * DeepSeek R1 or QwQ in it (sim-thinking, deepseek-reasoner, qwen3-...-thinking). A provider
 * prefix (`openai/o3`, as OpenRouter names models) is ignored.
 */
export function isReasoningModel(model: string): boolean {
  const name = model.trim().toLowerCase();
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (/^o\d/.test(base)) return true;
  if (/^gpt-5(?!\d)/.test(base) && !/^gpt-5[\w.]*-chat/.test(base)) return true;
  return REASONING_NAMES.test(name);
}
