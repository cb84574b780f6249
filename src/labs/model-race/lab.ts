import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'model-race',
  title: 'Model race',
  concept: [
    'The same prompt, sent at the same moment to two to four models or providers, each lane streaming into its own output. One chart overlays their arrivals, and a table compares time to headers, TTFT, TPOT, decode rate, total time, tokens and, where you enter a price, cost. A lane that fails (a CORS block, a wrong key, a 429) fails on its own; the others run on.',
    'One run of each is one sample, and streaming timings are noisy: the network, the provider’s queue and your own machine all move them. Benchmark mode repeats each lane’s request (Repeat), one after another or several at once (Concurrency), and shows each metric’s spread: p50, p90, p99, min, max and a 95% confidence interval for the median. The verdict says whether two lanes differ by more than that noise.',
  ],
  defaultPrompt: 'Explain in three sentences why the sky is blue.',
  maxTokens: 120,
};
