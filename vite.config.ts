import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Marks the entry script low priority. It only waits for the static shell to paint before asking
 * for the app (src/main.ts), so the first paint needs nothing from it; fetched at high priority (a
 * module script's default), Lighthouse's simulation counts it as render-blocking.
 */
function lowPriorityEntry(): Plugin {
  return {
    name: 'low-priority-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace('<script type="module" crossorigin', '$& fetchpriority="low"'),
    },
  };
}

/**
 * Puts the one stylesheet (app.css and every component's styles, ~5 KiB gzipped) into index.html
 * as a <style>, so the first paint waits for no stylesheet request. The CSP allows inline styles
 * (style-src 'unsafe-inline', in index.html and public/_headers); scripts stay 'self' only.
 */
function inlineEntryStyles(): Plugin {
  return {
    name: 'inline-entry-styles',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        let out = html;
        for (const [name, file] of Object.entries(bundle ?? {})) {
          if (file.type !== 'asset' || !name.endsWith('.css')) continue;
          const link = new RegExp(`<link rel="stylesheet"[^>]*href="\\./${name}"[^>]*>`);
          if (!link.test(out)) continue;
          out = out.replace(link, () => `<style>${String(file.source)}</style>`);
          // A lazy chunk may list the same stylesheet among what it loads (a component it shares
          // with the entry, such as Term, put in a common chunk): then the file must stay.
          const needed = Object.values(bundle!).some(
            (c) => c.type === 'chunk' && !c.isEntry && c.viteMetadata?.importedCss.has(name),
          );
          if (!needed) delete bundle![name];
        }
        return out;
      },
    },
  };
}

/** What every end-to-end file shares: real Chromium, streams that take seconds. */
const e2e = {
  environment: 'node',
  testTimeout: 60_000,
  expect: { poll: { timeout: 30_000 } },
  hookTimeout: 60_000,
} as const;

/**
 * End-to-end files that must have the machine to themselves: the arrival-time test blocks its
 * page's main thread 200 ms a frame and bounds how late chunks are stamped; with a second browser
 * streaming beside it, both contending for the two cores in the same bursts, it failed those
 * bounds on a fresh clone. (With one process spinning one core, `npm run test:busy`, it passes.)
 * The load test streams 100,000 tokens and a burst.
 */
const E2E_ALONE = ['tests/e2e/measure.test.ts', 'tests/e2e/load.test.ts'];

export default defineConfig({
  // Relative asset URLs: the build works from any sub-path of any static host.
  base: './',
  plugins: [svelte(), inlineEntryStyles(), lowPriorityEntry()],
  // One stylesheet (every component's styles, ~5 KiB gzipped), inlined into index.html: a lab's
  // chunk then brings no stylesheet to request, and loading it appends no <link> to wait for.
  // No modulepreload: Vite's helper would append a <link rel="modulepreload"> per dependency of
  // each dynamic import, synchronously (the entry's ten, ~27 ms on this machine: a long task under
  // Lighthouse's 4× slowdown); each import() fetches its static imports itself.
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    cssCodeSplit: false,
    modulePreload: false,
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
          // Polls wait for an outcome; a busy machine may take longer, never shorter.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 30_000,
          // Both cores: vitest's default in a run leaves one idle on a 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        resolve: { conditions: ['browser'] },
        test: {
          name: 'component',
          environment: 'jsdom',
          include: ['tests/component/**/*.test.ts'],
          setupFiles: ['tests/component/setup.ts'],
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 30_000,
          // Both cores: vitest's default in a run leaves one idle on a 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          ...e2e,
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: E2E_ALONE,
          // Two files at a time: they mostly wait on streams, so two browsers share two cores well.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          ...e2e,
          name: 'e2e-alone',
          include: E2E_ALONE,
          // After the others, one file at a time, with the machine to itself.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
