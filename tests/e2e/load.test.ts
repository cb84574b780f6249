/**
 * Load in Chromium: a 100,000-token answer and a burst of 5,000 chunks a second. The page must
 * stay responsive (typing in the prompt box works while the stream runs) and count exactly.
 */
import { describe, expect, it } from 'vitest';
import { KEY, connect, useHarness } from './harness';

const h = useHarness();

async function streamWhileTyping(model: string, expectedChunks: number) {
  const page = await h.open('#/token-stats');
  await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model });
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  await expect.poll(() => page.getByRole('region', { name: 'Output' }).textContent()).toMatch(/\S/);
  // Type while the stream is running; every keystroke needs the main thread.
  const prompt = page.getByRole('textbox', { name: 'Prompt' });
  await prompt.fill('');
  const streamingWhileTyping = await run.isDisabled();
  const started = Date.now();
  await prompt.pressSequentially('still typing', { delay: 0 });
  const typingMs = Date.now() - started;
  expect(await prompt.inputValue()).toBe('still typing');
  await expect.poll(() => run.isEnabled(), { timeout: 120_000 }).toBe(true);
  const stats = page.getByRole('table', { name: 'Statistics' });
  const row = async (name: string) =>
    (await stats.getByRole('row', { name: new RegExp(name) }).textContent()) ?? '';
  expect(await row('Chunks received')).toContain(`(${expectedChunks} with text)`);
  expect(await row('Completion tokens')).toContain(String(expectedChunks));
  // The live chart kept up and holds every chunk.
  await expect
    .poll(() => page.getByRole('slider', { name: /Chunk arrival chart/ }).getAttribute('data-points'))
    .toBe(String(expectedChunks));
  process.stdout.write(`load ${model}: typing 12 characters took ${typingMs} ms while streaming\n`);
  return { typingMs, streamingWhileTyping };
}

describe('load', () => {
  it('a 100,000-token answer: typing stays responsive and every chunk is counted', async () => {
    const { typingMs, streamingWhileTyping } = await streamWhileTyping('huge', 100_000);
    expect(streamingWhileTyping).toBe(true);
    expect(typingMs).toBeLessThan(3_000);
  }, 180_000);

  it('a burst of 5,000 chunks a second: typing stays responsive and every chunk is counted', async () => {
    const { typingMs, streamingWhileTyping } = await streamWhileTyping('burst', 5_000);
    expect(streamingWhileTyping).toBe(true);
    expect(typingMs).toBeLessThan(3_000);
  }, 60_000);
});
