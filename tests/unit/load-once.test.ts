import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../src/lib/load-once';

describe('loadOnce', () => {
  it('runs the load once and hands every caller the same promise', async () => {
    let calls = 0;
    const load = loadOnce(async () => ++calls);
    const first = load();
    expect(load()).toBe(first);
    expect(await first).toBe(1);
    expect(await load()).toBe(1);
    expect(calls).toBe(1);
  });

  it('forgets a failed load, so the next call asks again', async () => {
    let calls = 0;
    const load = loadOnce(async () => {
      if (++calls === 1) throw new Error('offline');
      return 'module';
    });
    await expect(load()).rejects.toThrow('offline');
    await expect(load()).resolves.toBe('module');
    expect(calls).toBe(2);
  });
});
