/**
 * CompletionState: one non-streamed request (stream: false) — the baseline the comparison lab
 * measures streaming against. An abort is an outcome; an error keeps nothing but the error. It goes
 * by the connection's wire format: completeChat for Chat Completions, completeResponse for Responses.
 */
import type { LabError } from '../engine/errors';
import { completeChat, CompletionAborted, CompletionError } from '../engine/stream-chat';
import { completeResponse } from '../engine/stream-response';
import type { ChatRequest, Completion, Connection } from '../engine/types';

export type CompletionStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

export class CompletionState {
  #status = $state<CompletionStatus>('idle');
  #result = $state.raw<Completion | null>(null);
  #error = $state.raw<LabError | null>(null);
  #controller: AbortController | null = null;

  get status(): CompletionStatus {
    return this.#status;
  }
  get running(): boolean {
    return this.#status === 'running';
  }
  get result(): Completion | null {
    return this.#result;
  }
  get error(): LabError | null {
    return this.#error;
  }

  async start(request: ChatRequest, connection: Connection): Promise<void> {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    this.#status = 'running';
    this.#result = null;
    this.#error = null;
    try {
      const complete = connection.api === 'responses' ? completeResponse : completeChat;
      this.#result = await complete(request, { connection, signal: controller.signal });
      this.#status = 'done';
    } catch (error) {
      if (error instanceof CompletionAborted) this.#status = 'stopped';
      else {
        this.#error = error instanceof CompletionError ? error.error : null;
        this.#status = 'error';
      }
    } finally {
      if (this.#controller === controller) this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}
