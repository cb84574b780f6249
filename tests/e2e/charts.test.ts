/**
 * The charts as a learner reads them, in real Chromium against the built app: what the arrival
 * chart's y axis says and what it plots (live and for saved runs), the axis text's contrast in dark
 * mode (sampled from the canvas uPlot drew), and the gap histogram's axes, counts and caption.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { exportRun, useHarness } from './harness';

const h = useHarness();

/** WCAG contrast ratio of two [r, g, b] colours (0–255). */
function contrast(a: number[], b: number[]): number {
  const lum = ([r, g, bl]: number[]) =>
    [r!, g!, bl!]
      .map((v) => v / 255)
      .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4))
      .reduce((sum, x, i) => sum + x * [0.2126, 0.7152, 0.0722][i]!, 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
const rgb = (css: string) => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);

async function runTokenStats(page: Page): Promise<void> {
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  await expect.poll(() => run.isEnabled()).toBe(true);
}

/** The y value uPlot shows in its legend with the cursor on the last point of `figure`'s chart. */
async function lastLegendValue(figure: Locator): Promise<number> {
  const over = figure.locator('.u-over');
  const box = (await over.boundingBox())!;
  await over.hover({ position: { x: box.width - 1, y: box.height / 2 } });
  const value = figure.locator('.u-legend .u-series').nth(1).locator('.u-value');
  await expect.poll(() => value.textContent()).toMatch(/^\d/);
  return Number((await value.textContent())!.replace(/,/g, ''));
}

/** The background actually behind `el`: the first ancestor with an opaque background. */
async function backgroundBehind(el: Locator): Promise<number[]> {
  return rgb(
    await el.evaluate((node) => {
      for (let n: Element | null = node; n; n = n.parentElement) {
        const bg = getComputedStyle(n).backgroundColor;
        if (!/rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') return bg;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    }),
  );
}

/**
 * uPlot draws its ticks and labels on a canvas: sample the axis area left of the plot (the y tick
 * labels and title) and below it (the x ones), past the tick marks, lay the opaque pixels over the page's background
 * `bg`, and return each axis's strongest contrast: the ink the learner sees (antialiased edges
 * only ever come out fainter).
 */
async function axisInk(figure: Locator, bg: number[]): Promise<Record<'x' | 'y', number>> {
  const ink = await figure.evaluate((fig) => {
    const canvas = fig.querySelector<HTMLCanvasElement>('.uplot canvas')!;
    const over = fig.querySelector<HTMLElement>('.u-over')!;
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const ctx = canvas.getContext('2d')!;
    const left = Math.floor(over.offsetLeft * scale);
    const bottom = Math.ceil((over.offsetTop + over.offsetHeight) * scale);
    // Skip the tick marks next to the plot (10 px, drawn in the grid's colour): only the text.
    const skip = Math.ceil(12 * scale);
    const areas = {
      y: ctx.getImageData(0, 0, Math.max(1, left - skip), canvas.height),
      x: ctx.getImageData(
        left,
        bottom + skip,
        canvas.width - left,
        Math.max(1, canvas.height - bottom - skip),
      ),
    };
    return Object.fromEntries(
      Object.entries(areas).map(([axis, img]) => {
        const pixels: number[][] = [];
        for (let i = 0; i < img.data.length; i += 4)
          if (img.data[i + 3]! >= 250) pixels.push([img.data[i]!, img.data[i + 1]!, img.data[i + 2]!]);
        return [axis, pixels];
      }),
    );
  });
  const best = (pixels: number[][] | undefined) => {
    expect(pixels?.length, 'the axis has opaque text pixels').toBeGreaterThan(50);
    return Math.max(...pixels!.map((p) => contrast(p, bg)));
  };
  return { x: best(ink.x), y: best(ink.y) };
}

describe('charts', () => {
  it('the arrival chart plots what its y axis says: the last point is the run’s character count, live and saved', async () => {
    const page = await h.open('#/token-stats');
    // One read per chunk: chunks batched into one read share a time, and the cursor at that time
    // reads the first of them, so "the last point" would depend on the simulator's dice.
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await page.getByLabel('Simulated network batching (0–1)').fill('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Connection', exact: true }).click();
    await runTokenStats(page);
    const run = (await exportRun(page)) as { chunks: { t: number; text: string }[]; text: string };
    const chars = run.chunks.reduce((n, c) => n + c.text.length, 0);
    expect(chars).toBe(run.text.length);
    // Several characters per chunk, so plotting chunks (or tokens) could not pass as characters.
    expect(chars).toBeGreaterThan(run.chunks.length);

    const live = page.locator('figure.arrival').first();
    const slider = live.getByRole('slider', { name: /Chunk arrival chart/ });
    await expect.poll(() => slider.getAttribute('data-points')).toBe(String(run.chunks.length));
    expect(await slider.getAttribute('data-y-label')).toBe('characters received');
    expect(await slider.getAttribute('aria-label')).toContain('characters received');
    // Batching off still leaves two chunks at one time now and then (a blocked page runs two
    // simulator timers back to back; the clock is rounded to 0.1 ms): the cursor at the last time
    // reads the first of them, so the legend shows the total up to that one.
    const lastAt = run.chunks.findIndex((c) => c.t === run.chunks.at(-1)!.t);
    const atLastTime = run.chunks.slice(0, lastAt + 1).reduce((n, c) => n + c.text.length, 0);
    expect(await lastLegendValue(live)).toBe(atLastTime);
    // The keyboard reading of the last point says the same number, in the same unit.
    await slider.focus();
    await page.keyboard.press('End');
    expect(await slider.getAttribute('aria-valuetext')).toMatch(
      new RegExp(`^chunk ${run.chunks.length} at .* ms, ${chars} characters received$`),
    );

    // The data table beside the chart lists the same y values, under the same name.
    await live.getByText('Data table').click();
    const table = live.locator('details table');
    // The table is rendered once its disclosure opens: wait for it rather than read it mid-render.
    const column = () =>
      table
        .locator('thead th')
        .allTextContents()
        .then((headers) => headers.indexOf('characters received'));
    await expect.poll(column).toBeGreaterThan(0);
    expect(
      await table
        .locator('tbody tr')
        .last()
        .locator('td')
        .nth(await column())
        .textContent(),
    ).toBe(String(chars));

    // The saved-runs overlay: same label, same unit, same last value for the same run.
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByRole('button', { name: 'Save to library' }).click();
    const saved = page.getByRole('region', { name: 'Saved runs' });
    for (const box of await saved.getByRole('checkbox', { name: 'Compare' }).all()) await box.check();
    const overlay = saved.getByRole('figure');
    const overlaySlider = overlay.getByRole('slider', { name: /Chunk arrival chart/ });
    // Several lines share one x array: chunks that arrived in one network read (same time) are one
    // point there, at the total after the last of them.
    const times = new Set(run.chunks.map((c) => c.t)).size;
    await expect.poll(() => overlaySlider.getAttribute('data-points')).toBe(String(times));
    expect(await overlaySlider.getAttribute('data-y-label')).toBe('characters received');
    expect(await lastLegendValue(overlay)).toBe(chars);
  });

  it('in dark mode (and after a switch to light) the axis text of both charts reads against the page (contrast ≥ 4.5:1)', async () => {
    const page = await h.open('#/token-stats', (p) => p.emulateMedia({ colorScheme: 'dark' }));
    await runTokenStats(page);
    const figure = page.locator('figure.arrival').first();
    const bg = await backgroundBehind(figure);
    expect(contrast(bg, [0, 0, 0])).toBeLessThan(2); // the dark theme is on

    await expect.poll(() => figure.getByRole('slider').getAttribute('data-points')).not.toBe('0');
    for (const [axis, best] of Object.entries(await axisInk(figure, bg)))
      expect(best, `${axis} axis text contrast (dark)`).toBeGreaterThanOrEqual(4.5);

    // The histogram's axis text is SVG: its computed fill against the same background.
    await figure.getByRole('button', { name: 'Gap distribution' }).click();
    const texts = figure.getByRole('img', { name: /Histogram of the \d+ gaps/ }).locator('text');
    await expect.poll(() => texts.count()).toBeGreaterThan(4);
    for (const fill of await texts.evaluateAll((all) => all.map((t) => getComputedStyle(t).fill)))
      expect(contrast(rgb(fill), bg), `histogram text ${fill}`).toBeGreaterThanOrEqual(4.5);

    // The learner's system switches to light mode: the chart redraws its axes in the light ink.
    await figure.getByRole('button', { name: 'Arrivals' }).click();
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await backgroundBehind(figure);
    expect(contrast(light, [255, 255, 255])).toBeLessThan(1.2);
    await expect
      .poll(async () => Math.min(...Object.values(await axisInk(figure, light))))
      .toBeGreaterThanOrEqual(4.5);
  });

  it('the gap histogram has labelled axes and a count on each bar, and only its own caption', async () => {
    const page = await h.open('#/token-stats');
    await runTokenStats(page);
    const run = (await exportRun(page)) as { chunks: unknown[] };
    const figure = page.locator('figure.arrival').first();
    const caption = figure.locator('figcaption');
    const hover = figure.getByText('Hover the chart');
    await expect.poll(() => caption.textContent()).toMatch(/Chunk arrivals.*each dot is a chunk/s);
    expect(await hover.isVisible()).toBe(true);

    await figure.getByRole('button', { name: 'Gap distribution' }).click();
    const hist = figure.getByRole('img', { name: /Histogram of the \d+ gaps/ });
    await hist.waitFor();
    // The arrival view's words are gone; the caption now describes the histogram.
    expect(await caption.textContent()).not.toMatch(/each dot is a chunk|dashed lines/);
    expect(await caption.textContent()).toMatch(/Gap distribution/);
    expect(await hover.count()).toBe(0);
    expect(await figure.getByRole('slider').isVisible()).toBe(false);

    expect(await hist.locator('text.label[data-axis="x"]').textContent()).toBe('gap between chunks (ms)');
    expect(await hist.locator('text.label[data-axis="y"]').textContent()).toBe('number of gaps');
    const xTicks = await hist.locator('text.tick[data-axis="x"]').allTextContents();
    const yTicks = await hist.locator('text.tick[data-axis="y"]').allTextContents();
    expect(xTicks.length).toBeGreaterThanOrEqual(2);
    expect(xTicks[0]).toBe('0');
    expect(yTicks[0]).toBe('0');
    expect(yTicks.map(Number).every((n) => Number.isInteger(n))).toBe(true);
    // One count per drawn bar, and the counts cover every gap: chunks − 1.
    const counts = (await hist.locator('text.count').allTextContents()).map(Number);
    expect(counts.length).toBe(await hist.locator('rect.binbar').count());
    expect(counts.reduce((a, b) => a + b, 0)).toBe(run.chunks.length - 1);
    for (const t of await hist.locator('text').all()) expect(await t.isVisible()).toBe(true);

    await figure.getByRole('button', { name: 'Arrivals' }).click();
    await expect.poll(() => caption.textContent()).toMatch(/each dot is a chunk/);
    expect(await hist.count()).toBe(0);
  });
});
