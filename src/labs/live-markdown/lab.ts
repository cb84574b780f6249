import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'live-markdown',
  title: 'Live markdown',
  concept: [
    'Models often answer in markdown. Rendering it while it streams is harder than it looks: halfway through, a `**bold` has no closing stars, a code fence is still open and a table has half a row. A good renderer shows the unfinished tail sensibly and never re-renders the parts that are already complete.',
    'Model output is untrusted: everything rendered here passes an HTML sanitizer first, and remote images are not loaded until you ask. A cursor marks the live end; when the stream ends the final render drops it.',
    'Display pacing: text rarely arrives as evenly as it is generated. A network read often carries several chunks at once, and proxies and gateways batch them, so raw painting (the default here, so every timing on the page stays honest) shows jumps between still frames. Chat UIs therefore smooth the stream: word by word at a steady rate that speeds up when a backlog builds (never more than 500 ms behind), or line by line. The smoothing costs something, measured live under Output: it adds delay between a character arriving and being shown (p50 and p95 over characters), it can only make the first visible token later, and it hides the true arrival pattern — burstiness, the coefficient of variation of characters revealed per frame and the share of frames that revealed nothing, is then about the smoother, not the network.',
  ],
  defaultPrompt: 'What are the key principles of good software design?\n\nFormat your response in markdown.',
  maxTokens: 300,
};
