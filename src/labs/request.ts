/** Builds a lab's request from its form fields: one user message with the prompt. */
import { chatRequest, type RequestParams } from '../lib/engine/request';
import type { ChatRequest } from '../lib/engine/types';

export function userRequest(
  model: string,
  prompt: string,
  params: RequestParams,
  extra: Partial<ChatRequest> = {},
): ChatRequest {
  return chatRequest(model, [{ role: 'user', content: prompt }], params, extra);
}
