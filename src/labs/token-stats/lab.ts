import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'token-stats',
  title: 'Token stats',
  concept: [
    'Streaming has its own vocabulary of numbers. Time to first token (TTFT) is how long until the first text arrives — mostly queueing and reading the prompt. After that the model decodes at a roughly steady rate; the time per output token (TPOT) is the gap between tokens once it has started.',
    'Set `stream_options: {"include_usage": true}` and the API adds a final chunk with no choices and the exact prompt and completion token counts. Chunks are not tokens: a provider may pack several tokens in one chunk, and several chunks can arrive in one network read. The chart shows when each chunk arrived.',
  ],
  defaultPrompt: 'Write a short poem about coding.',
  maxTokens: 200,
};
