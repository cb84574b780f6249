/**
 * The simulator's reply to a whole conversation. A first message gets its built-in answer (or,
 * when it is the unfinished start of one, only the continuation). Later turns answer the latest
 * message and build on the earlier ones: follow-ups ("show an example", "shorter", "why?", "and in
 * JavaScript?", "what did I ask first?") are read against the topic of the earlier turns and name
 * it, and a reply is never the same text as an earlier one. Deterministic: the same conversation
 * always gets the same reply.
 */
import type { ChatMessage } from '../types';
import { answerFor, builtInFor, continuationOf } from './answers';

const quote = (s: string) => `“${s.trim()}”`;

/** The first sentence of a reply, without markdown emphasis or headings. */
function firstSentence(text: string): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, '')
    .replace(/[*#`>]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    // A follow-up's own lead-in is not part of what it said.
    .replace(/^Following on from [^,:]*[,:]\s*(\w)/, (_, c: string) => c.toUpperCase());
  return plain.match(/^.*?[.!?](\s|$)/)?.[0].trim() ?? plain.slice(0, 160);
}

const LANGUAGES: Record<string, { name: string; code: string }> = {
  python: {
    name: 'Python',
    code: 'def add_numbers(a, b):\n    return a + b\n\nprint(add_numbers(3, 5))  # 8',
  },
  javascript: {
    name: 'JavaScript',
    code: 'function addNumbers(a, b) {\n  return a + b;\n}\n\nconsole.log(addNumbers(3, 5)); // 8',
  },
  typescript: {
    name: 'TypeScript',
    code: 'function addNumbers(a: number, b: number): number {\n  return a + b;\n}\n\nconsole.log(addNumbers(3, 5)); // 8',
  },
  java: {
    name: 'Java',
    code: 'static int addNumbers(int a, int b) {\n    return a + b;\n}\n\nSystem.out.println(addNumbers(3, 5)); // 8',
  },
  rust: {
    name: 'Rust',
    code: 'fn add_numbers(a: i32, b: i32) -> i32 {\n    a + b\n}\n\nprintln!("{}", add_numbers(3, 5)); // 8',
  },
  go: {
    name: 'Go',
    code: 'func addNumbers(a, b int) int {\n\treturn a + b\n}\n\nfmt.Println(addNumbers(3, 5)) // 8',
  },
};
/** A language named outright, or a short name after "in" ("and in Go?"). */
const LANGUAGE = /\b(python|javascript|typescript|java|rust|golang)\b|\b(?:in|using) (go|js|ts)\b/i;
const ALIASES: Record<string, string> = { js: 'javascript', ts: 'typescript', golang: 'go' };

const WHY: Record<string, string> = {
  functions:
    'a function gives one piece of logic a name. You write it once, call it wherever you need it, test it on its own, and a fix inside it reaches every caller.',
  'function parameters':
    'parameters make one function work for many inputs: instead of writing `add_3_and_5`, you write `add_numbers(a, b)` once and pass different values each time.',
  'a Python example':
    'a small, concrete example shows the idea doing real work: you can run it, change the numbers and see what happens.',
  'machine learning':
    'some problems, such as recognising speech or spotting fraud, have patterns too subtle to write down as rules, but plenty of examples to learn them from.',
  counting: 'you asked for it, and a long, predictable answer makes the stream easy to watch.',
};

interface Turn {
  question: string;
  topic: string | undefined;
  /** The assistant's reply to it, '' when none was kept. */
  reply: string;
}

/** The earlier turns: each user message with the assistant reply that followed it. */
function turnsOf(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const m of messages) {
    if (m.role === 'user')
      turns.push({ question: m.content, topic: builtInFor(m.content)?.topic, reply: '' });
    else if (m.role === 'assistant' && turns.length) turns.at(-1)!.reply = m.content;
  }
  return turns;
}

/** An example is about what came before it: the subject is the latest turn on anything else. */
const subjectOf = (earlier: Turn[]): Turn | undefined =>
  [...earlier].reverse().find((t) => t.topic && t.topic !== 'a Python example') ??
  [...earlier].reverse().find((t) => t.topic);

/** The reply to a conversation's latest user message, using the turns before it. */
export function replyTo(messages: ChatMessage[]): string {
  const turns = turnsOf(messages);
  const latest = turns.at(-1)?.question ?? '';
  if (turns.length <= 1) return continuationOf(latest) ?? answerFor(latest);
  const reply = followUp(latest, turns.slice(0, -1));
  // A different question never gets an earlier reply word for word.
  if (!turns.some((t) => t.reply === reply)) return reply;
  return `You asked ${quote(latest)}, which I answered earlier. In short: ${firstSentence(reply)}`;
}

function followUp(latest: string, earlier: Turn[]): string {
  const ask = latest.toLowerCase();
  const subject = subjectOf(earlier);
  const topic = subject?.topic;
  const about = topic ? `your question about ${topic}` : `your question ${quote(earlier.at(-1)!.question)}`;
  const lastReply = subject?.reply || earlier.at(-1)!.reply;
  const own = builtInFor(latest);

  if (/what did i (first )?ask|my (first|previous|last) question|what was my (first )?question/.test(ask)) {
    const [first, ...rest] = earlier;
    const since = rest.length
      ? ` Since then you asked ${rest.length === 1 ? 'one more question' : `${rest.length} more questions`}: ${rest.map((t) => quote(t.question)).join(', ')}.`
      : '';
    return `Your first question was ${quote(first!.question)}${first!.topic ? `, about ${first!.topic}` : ''}.${since}`;
  }
  if (/shorter|summari[sz]e|tl;?dr|in short|briefly|one sentence|simpler/.test(ask)) {
    return `In short, going back to ${about}: ${firstSentence(lastReply)}`;
  }
  if (/^\s*(why|how come)\b/.test(ask)) {
    const reason =
      (topic && WHY[topic]) ?? `that is the point my last answer started from: ${firstSentence(lastReply)}`;
    return `Good question. Following on from ${about}: because ${reason}`;
  }
  const named = ask.match(LANGUAGE);
  const language = (named?.[1] ?? named?.[2])?.toLowerCase();
  if (language && !own?.topic.includes('parameters') && (own === undefined || /example/.test(ask))) {
    const lang = LANGUAGES[ALIASES[language] ?? language]!;
    return `Following on from ${about}, here is the same idea in ${lang.name}: a function that adds two numbers.

\`\`\`${lang.name.toLowerCase()}
${lang.code}
\`\`\`

It takes two parameters, \`a\` and \`b\`, and returns their sum.`;
  }
  if (own?.topic === 'function parameters') {
    return `Following on from ${about}, ${own.text.charAt(0).toLowerCase()}${own.text.slice(1)}`;
  }
  if (own?.topic === 'a Python example') {
    return `Following on from ${about}, here is a simple example in Python.\n\n${own.text.split('\n\n').slice(1).join('\n\n')}`;
  }
  if (own) return own.text;
  if (/example|show me|demonstrate/.test(ask)) {
    return `Following on from ${about}, here is an example in Python:

\`\`\`python
${LANGUAGES.python!.code}
\`\`\``;
  }
  return `You asked ${quote(latest)}. This offline simulator has no built-in answer for that, so I can only build on ${about}: ${firstSentence(lastReply)} Ask for an example, a shorter answer or why, or choose OpenAI or Custom in the connection panel for a real model.`;
}
