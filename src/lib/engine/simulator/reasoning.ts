/**
 * What `sim-thinking` thinks before it answers: a think-aloud written for each of the labs' default
 * prompts (chosen by keywords, like answers.ts), a general one, and one built from the plan when the
 * answer is a tool call or a structured object.
 *
 * Invariant: more effort never thinks less. minimal is the first sentence, low the first paragraph,
 * medium (the default) two paragraphs, high every paragraph plus a final check.
 */
import type { ReasoningEffort } from '../types';

interface Thought {
  match: RegExp;
  paragraphs: string[];
}

const THOUGHTS: Thought[] = [
  {
    match: /count/i,
    paragraphs: [
      'The user wants me to count from 1 to 20, one number per line. That is simple, but the format matters: each number on its own line, nothing else on those lines.',
      'Should I add anything around the list? A short lead-in like "Sure! Here you go:" is friendly and does not get in the way. No commas, no bullets, no numbering markers, because the numbers themselves are the content.',
      'Let me make sure I do not skip or repeat a number: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, then 11 through 20. Twenty lines in all. The last line is 20 and there is nothing after it.',
    ],
  },
  {
    match: /capital of france/i,
    paragraphs: [
      'The prompt is an unfinished sentence: "The capital of France is". The natural continuation is the name of the city, Paris.',
      'Is there any ambiguity? France has had one capital for a very long time, apart from brief wartime periods, so Paris is the answer. Completing the sentence as a full statement reads better than just the single word.',
      'I will restate it as a complete sentence so it stands on its own: "The capital of France is Paris." Short, factual, no hedging needed.',
    ],
  },
  {
    match: /machine learning/i,
    paragraphs: [
      'The user asks for machine learning explained in exactly three sentences, so I need to be concise and count my sentences.',
      'What are the three ideas worth one sentence each? First, what it is: software that learns patterns from examples rather than hand-written rules. Second, how: a model is shown inputs with known answers and its parameters are adjusted until its predictions match. Third, why it matters: it generalises to new data, for things like speech, search ranking and fraud detection.',
      'I should avoid jargon like "gradient descent" or "loss function" since the request sounds introductory. Let me check the count once more: definition, training, use. Three sentences.',
    ],
  },
  {
    match: /benefits of learning programming|learning programming/i,
    paragraphs: [
      'The user wants five benefits of learning programming, briefly. A numbered list of five short items fits best.',
      'Which five? Problem solving is the classic one. Career options, since programming helps well beyond software jobs. Automating one\u2019s own chores. Understanding the technology around us. And teamwork, because code is read and reviewed by others.',
      'Each item should be one line: a bold label and a short explanation. "Briefly" means no sub-points and no long introduction. I will open with one sentence and then the list.',
    ],
  },
  {
    match: /software design/i,
    paragraphs: [
      'The user asks for the key principles of good software design, formatted in markdown. So headings, lists, maybe a code block and a table would all be appropriate.',
      'Which principles? Separation of concerns, DRY, KISS, YAGNI and single responsibility are the ones most people mean. For each, a short idea and why it helps. A small code example would make single responsibility concrete; two Python classes with one job each would do.',
      'A summary table mapping each principle to what it protects against would tie it together, and a closing note that these are trade-offs rather than laws keeps it honest. I could link to the SOLID article for further reading.',
    ],
  },
  {
    match: /neural network|deep learning/i,
    paragraphs: [
      'The user wants the benefits of neural networks and deep learning for AI applications. A short intro and a numbered list of benefits would work well.',
      'The main benefits: strong results on perception tasks like images, speech and translation; features learned from data instead of engineered by hand; performance that keeps improving with more data and compute; transfer learning; and one toolkit that works across many fields.',
      'To be balanced I should mention the trade-offs at the end: training is expensive in data and compute, and the models are hard to interpret. One sentence is enough for that.',
    ],
  },
  {
    match: /poem/i,
    paragraphs: [
      'A short poem about coding. Rhyming couplets would feel light and playful, maybe two stanzas of four lines.',
      'What images belong in it? Late-night typing, a missing bracket, a stubborn bug, coffee, loops and functions, and the satisfaction of tests turning green at the end. That gives the poem a small arc from struggle to relief.',
      'Let me check the rhymes: flight and night, bug and shrug, call and all, green and seen. The meter does not need to be perfect but the lines should be roughly the same length.',
    ],
  },
  {
    match: /function/i,
    paragraphs: [
      'The user asks what a function is in programming. This sounds like a beginner question, so a plain explanation without code-heavy detail is best.',
      'The key parts: a named, reusable block of code; it takes inputs called parameters; it can return a value. And the why: write logic once, use it in many places, and programs become shorter and easier to test.',
      'I could add an example, but the question is conceptual and a chat reply should stay short. I will bold "parameters" and "return value" so the two terms stand out.',
    ],
  },
];

const GENERAL: string[] = [
  'Let me work out what is being asked before I answer. The request is open-ended, so a short, clear reply is better than a long one.',
  'This is the offline simulator, so there is no real model here: the most useful answer explains what the learner is seeing and how to connect a real provider. I should mention the wire format, the tokenizer, and where the timing comes from.',
  'I will keep the structure simple: what this is, how it streams, and how to switch to a real model. Bold the important words so the answer is easy to scan.',
];

const FINAL_CHECK =
  'Before answering, a last check: does the answer do exactly what was asked, in the requested format and length? Is anything stated that I am not sure of? Is there anything I can cut without losing meaning? I think the plan holds. Time to write the answer.';

/** The think-aloud paragraphs for a prompt answered with text. */
export function thoughtsFor(prompt: string): string[] {
  return THOUGHTS.find((t) => t.match.test(prompt))?.paragraphs ?? GENERAL;
}

/** `paragraphs` cut to the effort asked for (medium when none). */
export function reasoningText(paragraphs: string[], effort: ReasoningEffort = 'medium'): string {
  const first = paragraphs[0] ?? '';
  switch (effort) {
    case 'minimal':
      return /^.*?[.?!]["”]?(?=\s+[A-Z]|$)/s.exec(first)?.[0] ?? first;
    case 'low':
      return first;
    case 'medium':
      return paragraphs.slice(0, 2).join('\n\n');
    case 'high':
      return [...paragraphs, FINAL_CHECK].join('\n\n');
  }
}
