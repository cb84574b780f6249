import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'compare',
  title: 'Streaming vs non-streaming',
  concept: [
    'Without streaming, the server generates the whole answer and only then sends it: the first character you can show arrives when the last one does. With streaming, the first characters arrive after the time to first token, while the rest is still being generated.',
    'The total time is about the same either way — the model does the same work. What changes is perceived latency: how long a person stares at nothing. Run the same prompt both ways and compare the time to first character.',
  ],
  defaultPrompt: 'Explain the concept of machine learning in 3 sentences.',
  maxTokens: 200,
};
