import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'early-stop',
  title: 'Early stop',
  concept: [
    'Streaming lets you stop an answer you no longer need. When the text so far contains the stop phrase, the request is aborted: the HTTP connection is closed, the server notices and stops generating, and you stop paying for tokens that were never produced.',
    'An aborted stream never reaches its final usage chunk, so the API reports no token counts; the count shown here is a local tokenizer estimate. Compare with the API’s own `stop` parameter, which ends generation on the server before the stop text is sent and still reports usage.',
  ],
  defaultPrompt: 'Count from 1 to 20, writing each number on a new line.',
  maxTokens: 500,
};
