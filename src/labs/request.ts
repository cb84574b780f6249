/** Builds a lab's request from its form fields. */
import type { Params } from '../lib/components/RequestControls.svelte';
import type { ChatRequest } from '../lib/engine/types';

export function userRequest(
  model: string,
  prompt: string,
  params: Params,
  extra: Partial<ChatRequest> = {},
): ChatRequest {
  return {
    model,
    messages: [{ role: 'user', content: prompt }],
    ...(params.maxTokens ? { max_tokens: params.maxTokens } : {}),
    ...(params.temperature !== null && params.temperature !== undefined
      ? { temperature: params.temperature }
      : {}),
    ...extra,
  };
}
