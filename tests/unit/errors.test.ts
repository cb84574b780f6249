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

  it('masks the key in any letter case, whatever its shape', () => {
    const key = 'local-Token-0123456789';
    const out = maskSecrets(`echo ${key.toUpperCase()} and ${key.toLowerCase()}`, key);
    expect(out.toLowerCase()).not.toContain('token-0123');
    expect(out).toBe('echo LOC…6789 and loc…6789');
  });

  it('shows at most the first three and last four characters', () => {
    expect(maskKey('sk-1234567890abcdef')).toBe('sk-…cdef');
    expect(maskKey('short')).toBe('•••••');
  });
});
