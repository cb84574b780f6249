import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'generate',
  title: 'How LLMs generate',
  concept: [
    'A language model writes one token at a time. A token is a piece of text — often a word, part of a word, or punctuation. At each step the model reads the prompt plus every token it has written so far and produces a probability for every possible next token; one is picked, appended, and the loop runs again.',
    'That loop is autoregression, and it is why generation is sequential: token 5 cannot exist before tokens 1 to 4. It is also exactly what makes streaming possible — each token can be sent the moment it is chosen. Below, your prompt comes first, greyed: the model reads it as context but does not write it. Each generated token is then appended as its own chip, continuing the text. With `logprobs` the API also tells you how likely each chosen token was and which alternatives it beat; focus or hover a chip to see them.',
    'Which alternative wins is sampled. `temperature` reshapes the odds before the draw: low values favour the likeliest token, high values give the others more chances. A `seed` makes the draw repeatable (the simulator exactly, real providers on a best-effort basis), so two runs with the same seed and settings can be compared token by token.',
  ],
  defaultPrompt: 'The capital of France is',
  maxTokens: 60,
};
