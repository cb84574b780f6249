/** The stored chat keeps the message being typed, and older records load without one. */
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { loadConversation, saveConversation } from '../../src/lib/storage/conversation';
import { openStorage } from '../../src/lib/storage/store';

let n = 0;
const fresh = () => `conversation-draft-test-${++n}`;

describe('stored chat draft', () => {
  it('round-trips the unsent message, an empty box included', async () => {
    const storage = await openStorage(() => {}, fresh());
    const turns = [{ role: 'user' as const, content: 'hi' }];
    await saveConversation(storage, { system: 'S', turns, draft: 'What about closures?' });
    expect(await loadConversation(storage)).toEqual({ system: 'S', turns, draft: 'What about closures?' });
    await saveConversation(storage, { system: 'S', turns, draft: '' });
    expect((await loadConversation(storage))?.draft).toBe('');
  });

  it('upgrades a version 2 record, written before drafts were kept, with no draft', async () => {
    const name = fresh();
    const data = { system: 'S', turns: [{ role: 'user', content: 'hi' }] };
    await set('conversation:chat', { version: 2, data }, createStore(name, 'kv'));
    const storage = await openStorage(() => {}, name);
    const loaded = await loadConversation(storage);
    expect(loaded).toEqual(data);
    expect(loaded && 'draft' in loaded).toBe(false);
  });

  it('leaves out a draft that is not text', async () => {
    const name = fresh();
    const data = { system: 'S', turns: [], draft: { not: 'text' } };
    await set('conversation:chat', { version: 3, data }, createStore(name, 'kv'));
    const storage = await openStorage(() => {}, name);
    expect(await loadConversation(storage)).toEqual({ system: 'S', turns: [] });
  });
});
