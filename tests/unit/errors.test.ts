import { describe, expect, it } from 'vitest';
import { maskKey, maskSecrets } from '../../src/lib/engine/errors';

describe('maskSecrets', () => {
  it('never leaves the key in a message', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
    const out = maskSecrets(`Incorrect API key provided: ${key}. Try again (${key}).`, key);
    expect(out).not.toContain(key);
    expect(out).not.toContain('klmnopqrst');
    expect(out).toContain(maskKey(key));
  });

  it('masks anything shaped like an OpenAI key, even another one', () => {
    const out = maskSecrets('old key sk-abcd1234efgh5678ijkl was revoked', 'sk-other');
    expect(out).not.toContain('efgh5678');
  });

  it('shows at most the first three and last four characters', () => {
    expect(maskKey('sk-1234567890abcdef')).toBe('sk-…cdef');
    expect(maskKey('short')).toBe('•••••');
  });
});
