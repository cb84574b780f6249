/** The persisted chat: system prompt and turns, versioned like every stored record. */
import type { Storage } from './store';

export type TurnStatus = 'done' | 'interrupted' | 'failed';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  /** Assistant turns only: whether the reply arrived whole. */
  status?: TurnStatus;
}

export interface SavedConversation {
  system: string;
  turns: Turn[];
}

const KEY = 'conversation:chat';
const VERSION = 1;

/** Upgrades an older record (version 0: stored before records were versioned). */
function upgrade(data: unknown): SavedConversation | undefined {
  const old = data as Partial<SavedConversation> | null;
  if (!old || !Array.isArray(old.turns)) return undefined;
  return {
    system: typeof old.system === 'string' ? old.system : '',
    turns: old.turns.filter(
      (t) => (t?.role === 'user' || t?.role === 'assistant') && typeof t.content === 'string',
    ),
  };
}

export async function loadConversation(storage: Storage): Promise<SavedConversation | undefined> {
  return storage.read<SavedConversation | undefined>(KEY, VERSION, upgrade);
}

export function saveConversation(storage: Storage, conversation: SavedConversation): Promise<void> {
  return storage.write(KEY, VERSION, conversation);
}
