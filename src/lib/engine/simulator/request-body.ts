/**
 * The request bodies the simulator reads: a Chat Completions body, which everything that decides
 * an answer reads, and a Responses body, translated into one (`chatBodyOf`) so both APIs get the
 * same answer to the same question.
 *
 * Translation: `instructions` becomes a system message before `input` (a string is one user
 * message; items are messages whose content is a string or input_text / output_text parts;
 * 'developer' counts as system; other items, such as function call outputs, carry no text the
 * simulator answers from). `max_output_tokens` is the token limit, `reasoning.effort` the effort,
 * flat function tools and a named `tool_choice` take Chat Completions' nesting, `text.format`
 * json_schema is the response_format, `include: ['message.output_text.logprobs']` asks for
 * logprobs. Fields Responses has no place for (stop, seed, stream_options) stay unset.
 */
import type { ChatMessage, ChatRequest, ReasoningEffort, ToolDefinition } from '../types';
import type { ToolChoice } from './tools';

export type Body = Pick<
  ChatRequest,
  | 'model'
  | 'messages'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'reasoning_effort'
  | 'tools'
  | 'response_format'
  | 'temperature'
  | 'logprobs'
  | 'top_logprobs'
> & {
  stream?: boolean;
  stop?: string | string[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  seed?: number | null;
  stream_options?: { include_usage?: boolean; include_obfuscation?: boolean };
};

type InputPart = { type: string; text?: string };
type InputItem = { type?: string; role?: string; content?: string | InputPart[] };

/** The part of a `POST /responses` body the simulator reads. */
export interface ResponsesBody {
  model?: string;
  input?: string | InputItem[];
  instructions?: string | null;
  max_output_tokens?: number | null;
  reasoning?: { effort?: string | null; summary?: 'auto' | 'concise' | 'detailed' | null } | null;
  tools?: { type: string; name?: string; description?: string | null; parameters?: unknown }[];
  tool_choice?: string | { type: string; name?: string };
  parallel_tool_calls?: boolean | null;
  text?: {
    format?: { type: string; name?: string; schema?: Record<string, unknown>; strict?: boolean | null };
  };
  temperature?: number | null;
  top_logprobs?: number | null;
  include?: string[] | null;
  background?: boolean | null;
  stream?: boolean | null;
  metadata?: Record<string, string> | null;
}

const EFFORTS: ReasoningEffort[] = ['minimal', 'low', 'medium', 'high'];
const ROLES: Record<string, ChatMessage['role']> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
};

/** The conversation in `instructions` and `input`, as chat messages. */
function messagesOf(body: ResponsesBody): ChatMessage[] {
  const system: ChatMessage[] = body.instructions ? [{ role: 'system', content: body.instructions }] : [];
  if (typeof body.input === 'string') return [...system, { role: 'user', content: body.input }];
  const items = (body.input ?? []).filter(
    (i) => (i.type ?? 'message') === 'message' && i.role && ROLES[i.role],
  );
  return [
    ...system,
    ...items.map((i) => ({
      role: ROLES[i.role!]!,
      content:
        typeof i.content === 'string'
          ? i.content
          : (i.content ?? [])
              .filter((p) => p.type === 'input_text' || p.type === 'output_text')
              .map((p) => p.text ?? '')
              .join(''),
    })),
  ];
}

function toolsOf(body: ResponsesBody): ToolDefinition[] | undefined {
  if (!body.tools) return undefined;
  return body.tools
    .filter((t) => t.type === 'function' && t.name)
    .map((t) => ({
      type: 'function',
      function: {
        name: t.name!,
        ...(t.description ? { description: t.description } : {}),
        parameters: (t.parameters ?? {}) as Record<string, unknown>,
      },
    }));
}

function toolChoiceOf(choice: ResponsesBody['tool_choice']): ToolChoice | undefined {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (typeof choice === 'object' && choice.type === 'function' && choice.name)
    return { type: 'function', function: { name: choice.name } };
  return undefined;
}

/** The Chat Completions body asking what the Responses body asks. */
export function chatBodyOf(body: ResponsesBody): Body {
  const effort = EFFORTS.find((e) => e === body.reasoning?.effort);
  const format = body.text?.format;
  return {
    model: body.model ?? 'gpt-4o-mini',
    messages: messagesOf(body),
    stream: body.stream === true,
    ...(typeof body.max_output_tokens === 'number' ? { max_completion_tokens: body.max_output_tokens } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
    ...(body.tools ? { tools: toolsOf(body) } : {}),
    ...(body.tool_choice !== undefined ? { tool_choice: toolChoiceOf(body.tool_choice) } : {}),
    ...(typeof body.parallel_tool_calls === 'boolean'
      ? { parallel_tool_calls: body.parallel_tool_calls }
      : {}),
    ...(format?.type === 'json_schema' && format.schema
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: format.name ?? 'response',
              schema: format.schema,
              strict: format.strict ?? undefined,
            },
          },
        }
      : {}),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(body.include?.includes('message.output_text.logprobs') ? { logprobs: true } : {}),
    ...(typeof body.top_logprobs === 'number' ? { top_logprobs: body.top_logprobs } : {}),
  };
}

/** The request fields a Response object repeats, with OpenAI's defaults where the body has none. */
export function echoOf(body: ResponsesBody): Record<string, unknown> {
  return {
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: true,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_logprobs: body.top_logprobs ?? 0,
    top_p: 1,
    truncation: 'disabled',
    metadata: body.metadata ?? {},
  };
}
