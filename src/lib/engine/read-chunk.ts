/**
 * What one parsed chat.completion.chunk says, whatever shape the provider gave it: pure, and never
 * throws on any value (fields of the wrong type are skipped).
 *
 * - Choice 0 is the choice whose `index` is 0 (no index counts as 0), wherever it sits in
 *   `choices`; with n > 1 a chunk may carry only other choices, in any order. Every other index is
 *   announced as `other_choice` the first time a stream shows it (the caller keeps the Set).
 * - Reasoning is the first non-empty of `reasoning_content` (DeepSeek), `reasoning` (OpenRouter,
 *   vLLM, Ollama) and `reasoning_details[]` (OpenRouter: `reasoning.text` and `reasoning.summary`
 *   items; encrypted items carry no text). OpenRouter puts the same text in `reasoning` and
 *   `reasoning_details`, so taking only the first keeps it from doubling. Reasoning is never
 *   content and content never reasoning.
 * - Tool-call pieces come from `tool_calls[]` (function shape, or the custom shape with free-form
 *   `input`; a missing index is the item's position) or, failing that, the legacy `function_call`
 *   as call 0.
 * - Events from one chunk come in this order: reasoning, content, tool calls, logprobs, refusal,
 *   finish, other choices, usage.
 */
import type { StreamEvent, TokenLogprob, Usage } from './types';

export interface RawLogprob {
  token?: string;
  logprob?: number;
  top_logprobs?: { token?: string; logprob?: number }[];
}

/** A choice's `logprobs.content`, keeping only well-formed entries. */
export function toLogprobs(raw: RawLogprob[] | null | undefined): TokenLogprob[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e) => typeof e?.token === 'string' && typeof e.logprob === 'number')
    .map((e) => ({
      token: e.token as string,
      logprob: e.logprob as number,
      top: (Array.isArray(e.top_logprobs) ? e.top_logprobs : [])
        .filter((a) => typeof a?.token === 'string' && typeof a.logprob === 'number')
        .map((a) => ({ token: a.token as string, logprob: a.logprob as number })),
    }));
}

/** A usage object, with its token details only where they are numbers; null without completion_tokens. */
export function toUsage(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Partial<Record<keyof Usage, unknown>>;
  if (typeof u.completion_tokens !== 'number') return null;
  const prompt = typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: u.completion_tokens,
    total_tokens: typeof u.total_tokens === 'number' ? u.total_tokens : prompt + u.completion_tokens,
  };
  const reasoning = field(u.completion_tokens_details, 'reasoning_tokens');
  if (typeof reasoning === 'number') usage.completion_tokens_details = { reasoning_tokens: reasoning };
  const cached = field(u.prompt_tokens_details, 'cached_tokens');
  if (typeof cached === 'number') usage.prompt_tokens_details = { cached_tokens: cached };
  return usage;
}

/** `raw[key]` when `raw` is an object, else undefined. */
export function field(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
}

const text = (raw: unknown): string => (typeof raw === 'string' ? raw : '');

/** The reasoning text in a delta and the field it came from; the first field with text wins. */
function reasoningOf(delta: unknown): { text: string; field: string } | null {
  for (const name of ['reasoning_content', 'reasoning'] as const) {
    const value = text(field(delta, name));
    if (value) return { text: value, field: name };
  }
  const details = field(delta, 'reasoning_details');
  if (!Array.isArray(details)) return null;
  let joined = '';
  for (const item of details as unknown[]) {
    const type = field(item, 'type');
    if (type === 'reasoning.text') joined += text(field(item, 'text'));
    else if (type === 'reasoning.summary') joined += text(field(item, 'summary'));
  }
  return joined ? { text: joined, field: 'reasoning_details' } : null;
}

type ToolCallEvent = Extract<StreamEvent, { kind: 'tool_call' }>;

/** The tool-call pieces in a delta: `tool_calls[]` (function or custom), or `function_call`. */
function toolCallsOf(delta: unknown, sdkChunk: number, t: number): ToolCallEvent[] {
  const calls = field(delta, 'tool_calls');
  const events: ToolCallEvent[] = [];
  if (Array.isArray(calls)) {
    (calls as unknown[]).forEach((item, position) => {
      if (typeof item !== 'object' || item === null) return;
      const rawIndex = field(item, 'index');
      const index = typeof rawIndex === 'number' ? rawIndex : position;
      // Later pieces of a custom call may leave out `type`; the `custom` object still says it.
      const type = field(item, 'type');
      const customBody = field(item, 'custom');
      const custom =
        type === 'custom' || (type !== 'function' && typeof customBody === 'object' && customBody !== null);
      const body = field(item, custom ? 'custom' : 'function');
      const event: ToolCallEvent = {
        kind: 'tool_call',
        t,
        sdkChunk,
        index,
        type: custom ? 'custom' : 'function',
        args: text(field(body, custom ? 'input' : 'arguments')),
      };
      const id = text(field(item, 'id'));
      const name = text(field(body, 'name'));
      if (id) event.id = id;
      if (name) event.name = name;
      events.push(event);
    });
  }
  const legacy = field(delta, 'function_call');
  if (!events.length && typeof legacy === 'object' && legacy !== null) {
    const event: ToolCallEvent = {
      kind: 'tool_call',
      t,
      sdkChunk,
      index: 0,
      type: 'function',
      args: text(field(legacy, 'arguments')),
    };
    const name = text(field(legacy, 'name'));
    if (name) event.name = name;
    events.push(event);
  }
  return events;
}

/**
 * Choice 0 of a chunk's `choices` (the first whose index is 0 or absent) and the other choice
 * indexes it carries, in the order listed.
 */
export function choicesOf(choices: unknown): { choice: unknown; others: number[] } {
  let choice: unknown;
  const others: number[] = [];
  if (!Array.isArray(choices)) return { choice, others };
  for (const item of choices as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const rawIndex = field(item, 'index');
    const index = typeof rawIndex === 'number' ? rawIndex : 0;
    if (index === 0) choice ??= item;
    else if (!others.includes(index)) others.push(index);
  }
  return { choice, others };
}

/**
 * What one parsed chunk says, whatever shape the provider gave it. `contentChunk` is the number
 * its content event gets, if it has one; `seen` holds the other choice indexes already announced
 * in this stream.
 */
export function* readChunk(
  raw: unknown,
  sdkChunk: number,
  contentChunk: number,
  t: number,
  seen: Set<number>,
): Generator<StreamEvent> {
  if (typeof raw !== 'object' || raw === null) return;
  const c = raw as { choices?: unknown; usage?: unknown; x_groq?: unknown };
  const { choice, others: indexes } = choicesOf(c.choices);
  const others = indexes.filter((index) => !seen.has(index));
  for (const index of others) seen.add(index);
  const delta = field(choice, 'delta');
  const reasoning = reasoningOf(delta);
  if (reasoning) yield { kind: 'reasoning', t, sdkChunk, ...reasoning };
  const content = text(field(delta, 'content'));
  if (content) yield { kind: 'content', t, sdkChunk, contentChunk, text: content };
  yield* toolCallsOf(delta, sdkChunk, t);
  const tokens = toLogprobs(field(field(choice, 'logprobs'), 'content') as RawLogprob[] | undefined);
  if (tokens.length) yield { kind: 'logprobs', t, sdkChunk, tokens };
  const refusal = text(field(delta, 'refusal'));
  if (refusal) yield { kind: 'refusal', t, sdkChunk, text: refusal };
  const reason = field(choice, 'finish_reason');
  if (typeof reason === 'string') yield { kind: 'finish', t, sdkChunk, reason };
  for (const index of others) yield { kind: 'other_choice', t, sdkChunk, index };
  // Usage arrives in its own chunk (OpenAI), on the finish chunk (some providers), or under x_groq.
  const usage = toUsage(c.usage) ?? toUsage(field(c.x_groq, 'usage'));
  if (usage) yield { kind: 'usage', t, sdkChunk, usage };
}
