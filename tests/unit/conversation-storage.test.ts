/** The stored chat keeps reasoning and tool calls, and still reads every shape it wrote before. */
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { loadConversation, saveConversation, type Turn } from '../../src/lib/storage/conversation';
import { openStorage } from '../../src/lib/storage/store';

let n = 0;
const fresh = () => `conversation-storage-test-${++n}`;

const REPLY: Turn = {
  role: 'assistant',
  content: 'It is sunny.',
  status: 'done',
  reasoning: 'The user asks about weather.',
  toolCalls: [{ id: 'call_1', name: 'get_weather', type: 'function', arguments: '{"city":"Paris"}' }],
};

describe('stored conversation', () => {
  it('round-trips an assistant turn with its reasoning and tool calls', async () => {
    const storage = await openStorage(() => {}, fresh());
    const turns: Turn[] = [{ role: 'user', content: 'Weather?' }, REPLY];
    await saveConversation(storage, { system: 'Be brief.', turns });
    expect(await loadConversation(storage)).toEqual({ system: 'Be brief.', turns });
  });

  it('upgrades a version 1 record, written before turns had reasoning, without losing a turn', async () => {
    const name = fresh();
    const v1 = {
      version: 1,
      data: {
        system: 'S',
        turns: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello', status: 'interrupted' },
        ],
      },
    };
    await set('conversation:chat', v1, createStore(name, 'kv'));
    const storage = await openStorage(() => {}, name);
    expect(await loadConversation(storage)).toEqual(v1.data);
  });

  it('drops malformed turns and leaves out malformed reasoning and tool calls', async () => {
    const name = fresh();
    const data = {
      system: 42,
      turns: [
        { role: 'tool', content: 'x' },
        { role: 'user', content: 'kept', reasoning: 'users have none' },
        {
          role: 'assistant',
          content: 'ok',
          status: 'weird',
          reasoning: { not: 'text' },
          toolCalls: [{ name: 'f', arguments: '{}' }, { name: 3 }, 'junk'],
        },
      ],
    };
    await set('conversation:chat', { version: 2, data }, createStore(name, 'kv'));
    const storage = await openStorage(() => {}, name);
    expect(await loadConversation(storage)).toEqual({
      system: '',
      turns: [
        { role: 'user', content: 'kept' },
        {
          role: 'assistant',
          content: 'ok',
          toolCalls: [{ id: '', name: 'f', type: 'function', arguments: '{}' }],
        },
      ],
    });
  });
});
