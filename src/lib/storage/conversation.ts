/**
 * The persisted chat: system prompt, turns and the message being typed, versioned like every
 * stored record.
 *
 * Invariants:
 * - Every record this app ever wrote still loads: version 0 (unversioned), 1 (no reasoning or
 *   tool calls) and 2 (no draft) upgrade to the current shape; a record without a draft loads
 *   with none, and the chat offers its default question.
 * - What is read back is checked field by field: a malformed turn is dropped, a malformed optional
 *   field (reasoning, a tool call) is left out, never trusted.
 */
import type { Storage } from './store';

export type TurnStatus = 'done' | 'interrupted' | 'failed';

/** A tool call an assistant turn asked for, as stored. */
export interface StoredToolCall {
  id: string;
  name: string;
  type: 'function' | 'custom';
  /** The argument text as it arrived (a custom tool's input); not necessarily valid JSON. */
  arguments: string;
}

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  /** Assistant turns only: whether the reply arrived whole. */
  status?: TurnStatus;
  /** Assistant turns only: the reasoning that came before the answer. Never sent back. */
  reasoning?: string;
  /** Assistant turns only: tool calls the reply asked for. */
  toolCalls?: StoredToolCall[];
}

export interface SavedConversation {
  system: string;
  turns: Turn[];
  /** What the learner had typed in the message box and not sent yet ('' for an empty box). */
  draft?: string;
}

const KEY = 'conversation:chat';
/** 2: assistant turns keep reasoning and tool calls. 3: the unsent message (draft). */
const VERSION = 3;

const STATUSES: readonly unknown[] = ['done', 'interrupted', 'failed'] satisfies TurnStatus[];

function toolCall(data: unknown): StoredToolCall | null {
  const c = data as Partial<StoredToolCall> | null;
  if (!c || typeof c !== 'object') return null;
  if (typeof c.name !== 'string' || typeof c.arguments !== 'string') return null;
  return {
    id: typeof c.id === 'string' ? c.id : '',
    name: c.name,
    type: c.type === 'custom' ? 'custom' : 'function',
    arguments: c.arguments,
  };
}

function turn(data: unknown): Turn | null {
  const t = data as Partial<Turn> | null;
  if (!t || (t.role !== 'user' && t.role !== 'assistant') || typeof t.content !== 'string') return null;
  const out: Turn = { role: t.role, content: t.content };
  if (t.role === 'user') return out;
  if (STATUSES.includes(t.status)) out.status = t.status;
  if (typeof t.reasoning === 'string' && t.reasoning) out.reasoning = t.reasoning;
  if (Array.isArray(t.toolCalls)) {
    const calls = t.toolCalls.map(toolCall).filter((c) => c !== null);
    if (calls.length) out.toolCalls = calls;
  }
  return out;
}

/** Checks a record of any version this app wrote (0: before records were versioned). */
function validate(data: unknown): SavedConversation | undefined {
  const old = data as Partial<SavedConversation> | null;
  if (!old || !Array.isArray(old.turns)) return undefined;
  const out: SavedConversation = {
    system: typeof old.system === 'string' ? old.system : '',
    turns: old.turns.map(turn).filter((t) => t !== null),
  };
  if (typeof old.draft === 'string') out.draft = old.draft;
  return out;
}

export async function loadConversation(storage: Storage): Promise<SavedConversation | undefined> {
  const data = await storage.read<unknown>(KEY, VERSION, validate);
  return validate(data);
}

export function saveConversation(storage: Storage, conversation: SavedConversation): Promise<void> {
  return storage.write(KEY, VERSION, conversation);
}
