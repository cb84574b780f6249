/**
 * ConversationState: the chat lab's history and its streaming reply.
 *
 * Invariants:
 * - Every request carries the system prompt and the whole history (the API is stateless).
 * - A reply that is stopped or fails stays in the history, marked interrupted or failed, with
 *   the text that arrived; it can be retried. Nothing the user wrote is ever dropped.
 * - The history is saved after every change and, while a reply streams, about once a second,
 *   so a reload loses at most a second of a reply (which then shows as interrupted).
 * - The message being typed (the draft) is saved with the history on every change, so a reload
 *   restores it; null until one is typed or loaded (the chat then offers its default question).
 * - An assistant turn keeps its reasoning and tool calls (shown, saved, restored), but what is sent
 *   back in later turns is role and content only: reasoning is never sent back.
 */
import type { Dialect } from '../engine/dialect';
import { chatRequest, type RequestParams } from '../engine/request';
import type { ChatMessage, ChatRequest, Connection } from '../engine/types';
import {
  loadConversation,
  saveConversation,
  type SavedConversation,
  type StoredToolCall,
  type Turn,
  type TurnStatus,
} from '../storage/conversation';
import type { Storage } from '../storage/store';
import { RunState, type ToolCall } from './run.svelte';

export const DEFAULT_SYSTEM = 'You are a helpful coding tutor. Keep responses concise.';
const SAVE_EVERY_MS = 1000;

export interface ReplyParams extends RequestParams {
  model: string;
  /** Which fields the endpoint and model take (SettingsState.dialect). */
  dialect: Dialect;
}

export class ConversationState {
  #system = $state(DEFAULT_SYSTEM);
  #turns = $state.raw<Turn[]>([]);
  #draft = $state<string | null>(null);
  /** While a reply streams: the history as last saved, with the partial reply (a draft save keeps it). */
  #streamed: Turn[] | null = null;
  #storage: Storage | null = null;
  #loaded = $state(false);
  readonly reply = new RunState('chat');

  get system(): string {
    return this.#system;
  }
  set system(value: string) {
    this.#system = value;
    void this.#save();
  }
  /** The unsent message as last saved or loaded; null if there is none. */
  get draft(): string | null {
    return this.#draft;
  }
  set draft(value: string) {
    if (value === this.#draft) return;
    this.#draft = value;
    void this.#save();
  }
  get turns(): Turn[] {
    return this.#turns;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get replying(): boolean {
    return this.reply.running;
  }
  /** The last turn, if it is a reply that can be retried. */
  get retryable(): boolean {
    const last = this.#turns.at(-1);
    return last?.role === 'assistant' && last.status !== 'done' && !this.replying;
  }

  async load(storage: Storage): Promise<void> {
    this.#storage = storage;
    const saved = await loadConversation(storage);
    if (saved) {
      this.#system = saved.system;
      this.#turns = saved.turns;
      this.#draft = saved.draft ?? null;
    }
    this.#loaded = true;
  }

  /** What the next request sends: system prompt, then every turn with text. */
  messages(turns: readonly Turn[] = this.#turns): ChatMessage[] {
    const history = turns
      .filter((t) => t.content !== '')
      .map((t): ChatMessage => ({ role: t.role, content: t.content }));
    return this.#system ? [{ role: 'system', content: this.#system }, ...history] : history;
  }

  request(params: ReplyParams, turns: readonly Turn[] = this.#turns): ChatRequest {
    return chatRequest(params.model, this.messages(turns), params, params.dialect);
  }

  async send(message: string, params: ReplyParams, connection: Connection): Promise<void> {
    if (!message.trim() || this.replying) return;
    this.#turns = [...this.#turns, { role: 'user', content: message }];
    await this.#save();
    await this.#stream(params, connection);
  }

  /** Sends the history again without the last, unfinished reply. */
  async retry(params: ReplyParams, connection: Connection): Promise<void> {
    if (!this.retryable) return;
    this.#turns = this.#turns.slice(0, -1);
    await this.#stream(params, connection);
  }

  stop(): void {
    this.reply.stop();
  }

  /** Clears the turns; the system prompt stays. */
  async clear(): Promise<void> {
    this.reply.stop();
    this.#turns = [];
    this.#streamed = null;
    await this.#save();
  }

  async #stream(params: ReplyParams, connection: Connection): Promise<void> {
    const base = this.#turns;
    let lastSave = performance.now();
    await this.reply.start(this.request(params, base), connection, {
      onEvent: (event, text) => {
        if (event.kind !== 'content' && event.kind !== 'reasoning' && event.kind !== 'tool_call') return;
        if (performance.now() - lastSave < SAVE_EVERY_MS) return;
        lastSave = performance.now();
        // Reasoning and tool calls as last published (at most a frame behind the text).
        this.#streamed = [...base, this.#replyTurn(text, 'interrupted')];
        void this.#save();
      },
    });
    const status =
      this.reply.status === 'done' ? 'done' : this.reply.status === 'stopped' ? 'interrupted' : 'failed';
    this.#turns = [...base, this.#replyTurn(this.reply.text, status)];
    this.#streamed = null;
    await this.#save();
  }

  /** The reply as a turn: its text, and its reasoning and tool calls when it had any. */
  #replyTurn(content: string, status: TurnStatus): Turn {
    const turn: Turn = { role: 'assistant', content, status };
    if (this.reply.reasoning) turn.reasoning = this.reply.reasoning;
    if (this.reply.toolCalls.length) turn.toolCalls = this.reply.toolCalls.map(storedCall);
    return turn;
  }

  async #save(turns: Turn[] = this.#streamed ?? this.#turns): Promise<void> {
    if (!this.#storage) return;
    const conversation: SavedConversation = { system: this.#system, turns: turns.map((t) => ({ ...t })) };
    if (this.#draft !== null) conversation.draft = this.#draft;
    await saveConversation(this.#storage, conversation);
  }
}

function storedCall(call: ToolCall): StoredToolCall {
  return { id: call.id, name: call.name, type: call.type, arguments: call.args };
}
