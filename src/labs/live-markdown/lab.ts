import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'live-markdown',
  title: 'Live markdown',
  concept: [
    'Models often answer in markdown. Rendering it while it streams is harder than it looks: halfway through, a `**bold` has no closing stars, a code fence is still open and a table has half a row. A good renderer shows the unfinished tail sensibly and never re-renders the parts that are already complete.',
    'Model output is untrusted: everything rendered here passes an HTML sanitizer first, and remote images are not loaded until you ask. A cursor marks the live end; when the stream ends the final render drops it.',
  ],
  defaultPrompt: 'What are the key principles of good software design?\n\nFormat your response in markdown.',
  maxTokens: 300,
};
