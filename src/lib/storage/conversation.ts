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

export async function loadConversation(storage: Storage): Promise<SavedConversation | undefined> {
  return storage.read<SavedConversation>(KEY, VERSION);
}

export function saveConversation(storage: Storage, conversation: SavedConversation): Promise<void> {
  return storage.write(KEY, VERSION, conversation);
}
