import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'basic-streaming',
  title: 'Basic streaming',
  concept: [
    'With `stream: true` the server does not wait for the whole answer. It keeps one HTTP response open and sends server-sent events: lines starting `data:`, each holding a chunk whose `choices[0].delta.content` is the text produced since the last one. The stream ends with `data: [DONE]`. Run it and watch those frames arrive in “The frames as they arrive”, under the output.',
    'Your code appends each delta to what it has so far. Watch the first words appear long before the answer is finished. Not every chunk carries text: the first only announces the role, the last only the finish reason — that is why the code checks `delta.content` before using it.',
  ],
  defaultPrompt: 'List 5 benefits of learning programming, briefly.',
  maxTokens: 200,
};
