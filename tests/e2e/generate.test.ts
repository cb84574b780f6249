/**
 * How LLMs generate, end to end in Chromium: the prompt shown apart from what the model generates,
 * a token's detail kept inside the viewport and in step with Reset / Next token, and the
 * temperature and seed a learner experiments with.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEY, connect, useHarness } from './harness';

const h = useHarness();

const idle = (page: Page) =>
  expect.poll(() => page.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
const generated = (page: Page) => page.getByRole('group', { name: 'Generated tokens' }).getByRole('button');
const promptGroup = (page: Page) => page.getByRole('group', { name: 'Prompt tokens' });
const detail = (page: Page) => page.getByRole('region', { name: 'Token details' });
/** Each chip's visible text is its first text node (a screen-reader note may follow it). */
const chipTexts = (page: Page) =>
  page
    .locator('[aria-label="Generated tokens"] .chip, [aria-label^="Prompt tokens"] .chip')
    .evaluateAll((els) => els.map((e) => (e.firstChild?.textContent ?? '').replace(/·/g, ' ')));

async function runSimulated(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => generated(page).count()).toBeGreaterThan(0);
  await idle(page);
}

describe('How LLMs generate', () => {
  it('shows the prompt as grey context tokens and generates only the continuation', async () => {
    const page = await h.open('#/generate');
    // Greedy, so the simulator's continuation is its most likely one whatever it samples.
    await page.getByLabel('Temperature').fill('0');
    await runSimulated(page);
    const prompt = promptGroup(page).locator('.chip');
    // The prompt is split by the app's tokenizer, not shown as one block.
    await expect.poll(() => prompt.count()).toBe(5);
    const texts = await chipTexts(page);
    expect(texts.slice(0, 5).join('')).toBe('The capital of France is');
    const continuation = texts.slice(5).join('');
    expect(continuation).toBe(' Paris.');
    // Prompt tokens are context, not chips to inspect as generated.
    expect(await promptGroup(page).getByRole('button').count()).toBe(0);
    expect(await promptGroup(page).getAttribute('aria-label')).toMatch(/not generated/);

    // Each generated token shows its simulated probability and alternatives.
    await generated(page).first().focus();
    await expect.poll(() => detail(page).textContent()).toMatch(/probability \d+(\.\d)?%/);
    expect(await detail(page).textContent()).toContain('simulated values');
    expect(await detail(page).getByRole('row').count()).toBeGreaterThan(2);

    // Stepping through generation starts from the prompt alone.
    await page.getByRole('button', { name: 'Reset' }).click();
    expect(await generated(page).count()).toBe(0);
    expect(await prompt.count()).toBe(5);
  });

  it("shows a real model's output in full, even when it starts with the prompt", async () => {
    const page = await h.open('#/generate');
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    // The test server always answers "Hello from the test server."
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Hello from');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => generated(page).count()).toBeGreaterThan(0);
    await idle(page);
    const texts = await generated(page).evaluateAll((els) => els.map((e) => e.firstChild?.textContent ?? ''));
    expect(texts.join('').replace(/·/g, ' ')).toBe('Hello from the test server.');
    await expect.poll(() => promptGroup(page).textContent()).toBe('Hello·from');
  });

  it('keeps the token detail inside the viewport for a chip at the bottom edge', async () => {
    const page = await h.open('#/generate');
    await page.setViewportSize({ width: 1280, height: 420 });
    await runSimulated(page);
    const chip = generated(page).last();
    // The pointer rests at the viewport's top-left, over the lab's text: left where Run was
    // clicked, Chromium's hover update after the scroll below could land on another chip and open
    // its detail over this one.
    await page.mouse.move(1, 1);
    // Scroll so that the chip sits at the very bottom of the viewport; again until it stays there,
    // as text above it (the Try-this check on the run) may still be arriving on a busy machine.
    const bottom = async () => {
      await chip.evaluate((el) => {
        const r = el.getBoundingClientRect();
        window.scrollBy(0, r.bottom - window.innerHeight + 4);
      });
      const b = (await chip.boundingBox())!;
      return b.y + b.height;
    };
    await expect.poll(bottom).toBeGreaterThan(400);
    const chipBox = (await chip.boundingBox())!;
    await chip.hover();
    await expect.poll(() => detail(page).textContent()).toMatch(/Token \d+ of \d+/);
    const box = (await detail(page).boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(420);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    // It opened above the chip, not over it.
    expect(box.y + box.height).toBeLessThanOrEqual(chipBox.y);

    // On a phone, a chip near the right edge keeps its detail on screen too.
    await page.setViewportSize({ width: 390, height: 844 });
    await chip.focus();
    await expect.poll(() => detail(page).textContent()).toMatch(/Token \d+ of \d+/);
    const phone = (await detail(page).boundingBox())!;
    expect(phone.x).toBeGreaterThanOrEqual(0);
    expect(phone.x + phone.width).toBeLessThanOrEqual(390);
    expect(phone.y).toBeGreaterThanOrEqual(0);
    expect(phone.y + phone.height).toBeLessThanOrEqual(844);
  });

  it('the token detail follows Reset and Next token instead of showing a token no longer there', async () => {
    const page = await h.open('#/generate');
    await runSimulated(page);
    const total = await generated(page).count();
    await generated(page).last().focus();
    await expect.poll(() => detail(page).textContent()).toContain(`Token ${total} of ${total}`);

    await page.getByRole('button', { name: 'Reset' }).click();
    expect(await generated(page).count()).toBe(0);
    expect(await detail(page).count()).toBe(0);

    await page.getByRole('button', { name: 'Next token' }).click();
    expect(await generated(page).count()).toBe(1);
    expect(await detail(page).count()).toBe(0);
    await page.getByRole('button', { name: 'Next token' }).click();
    // Hovering a chip shows that chip, never the one focused before Reset.
    await generated(page).nth(1).hover();
    await expect.poll(() => detail(page).textContent()).toContain(`Token 2 of ${total}`);
    // Play replays the rest.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => generated(page).count()).toBe(total);
  });

  it('sends the seed and temperature, and shows each alternative at temperature 1 and at T', async () => {
    const page = await h.open('#/generate');
    await page.getByLabel('Temperature').fill('0.5');
    await page.getByLabel('Seed').fill('7');
    // Show code prints what Run sends.
    const code = page.locator('details', { hasText: 'Show code' });
    await page.getByText('Show code').click();
    await expect.poll(() => code.locator('pre').textContent()).toMatch(/seed=7/);

    await runSimulated(page);
    const table = page.getByRole('table', { name: /alternatives this run received/ });
    const header = await table.getByRole('row').first().textContent();
    expect(header).toMatch(/at T = 1.*at T = 0\.5/);
    // The shares at T = 0.5 follow softmax(logprob / T) of the shares at T = 1.
    const rows = await table
      .getByRole('row')
      .evaluateAll((trs) =>
        trs
          .slice(1)
          .map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => parseFloat(td.textContent!))),
      );
    expect(rows.length).toBeGreaterThan(1);
    // It explains the least certain step, where the temperature makes a difference.
    expect(Math.max(...rows.map(([one]) => one!))).toBeLessThan(99);
    const squares = rows.map(([one]) => one! ** 2);
    const total = squares.reduce((a, b) => a + b, 0);
    rows.forEach(([, atT], i) => expect(Math.abs(atT! - (100 * squares[i]!) / total)).toBeLessThan(0.2));

    // Moving the temperature updates the table at once, before any new run.
    await page.getByLabel('Temperature').fill('2');
    await expect.poll(() => table.getByRole('row').first().textContent()).toMatch(/at T = 2/);

    // The seed reaches the wire: a Custom endpoint receives it with the temperature.
    await connect(page, { provider: 'Custom', baseURL: h.api.baseURL, key: KEY, model: 'test-model' });
    await page.getByRole('button', { name: 'Run' }).click();
    await idle(page);
    const sent = h.api.requests.filter((r) => r.url === '/v1/chat/completions').at(-1)!.body;
    expect(sent).toMatchObject({ seed: 7, temperature: 2 });
  });
});
