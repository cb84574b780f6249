/** Chat: steps and a check over the history the learner's conversation sent. */
import { plural, seconds, type GuideCheck } from '../../lib/components/guide';

export const steps = [
  'Send the suggested first message, then the follow-ups: each reply streams in as markdown.',
  'Ask a question that only makes sense with the earlier turns ("and in Python?").',
  'Press Clear history and ask the same follow-up again: what does the model know now?',
] as const;

export interface ChatFacts {
  /** Messages in the conversation, not counting the system prompt. */
  turns: number;
  /** Whether a system prompt is sent first. */
  system: boolean;
  /** The last reply's first text, ms. */
  lastTtftMs: number | null;
  replying: boolean;
}

export function check(f: ChatFacts): GuideCheck | null {
  if (f.replying || f.turns < 2) return null;
  const sent = f.turns - 1 + (f.system ? 1 : 0);
  const first = f.lastTtftMs === null ? '' : ` Its first text came at ${seconds(f.lastTtftMs)}.`;
  return {
    question: `Your last request sent ${plural(sent, 'message')} to get one reply.${first} Why does every turn send the whole conversation again?`,
    why: 'The Chat Completions API is stateless: the server keeps nothing between requests, so the model knows only what this request carries. The app keeps the history and sends the system prompt plus every turn each time, which is why long chats cost more prompt tokens; Clear history simply empties that list.',
  };
}
