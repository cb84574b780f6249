import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'chat',
  title: 'Chat',
  concept: [
    'The chat API is stateless: the model remembers nothing between requests. A conversation works because every request carries the whole history — the system prompt, then each user message and assistant reply so far. Longer conversations therefore cost more prompt tokens every turn.',
    'Replies stream in as markdown. Stop keeps what arrived and marks the reply as interrupted; it stays in the history (the next request includes it) and can be retried. The conversation is saved in this browser and survives a reload.',
    'Display pacing smooths a bursty stream for the eye (word by word or line by line) at the cost of added delay, and it hides how the text really arrived; raw, the default, shows every frame what has arrived. The figures under the conversation measure that cost for the latest reply; Live markdown explains them.',
  ],
  defaultPrompt: 'What is a function in programming?',
  maxTokens: 300,
};
