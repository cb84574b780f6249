import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'word-detection',
  title: 'Word detection',
  concept: [
    'Because a stream arrives in pieces, your code can react before the answer is finished — for example, flag a word the moment it appears. The catch: chunk boundaries do not respect words. “neural” can arrive as “Ne” in one chunk and “ural” in the next.',
    'So never search each chunk on its own: search the text accumulated so far (or keep a small tail of the previous chunk). Each watch word below is reported once, case-insensitively, when it completes, with the chunk index and the time since the request was sent.',
  ],
  defaultPrompt: 'Explain the benefits of neural networks and deep learning for AI applications.',
  maxTokens: 200,
};
