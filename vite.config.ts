import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { normalizePath, type Plugin } from 'vite';
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

/**
 * What the first load runs, as one chunk: the Svelte runtime's entry (src/main.ts's `mount`),
 * App (header, tabs, settings and storage) and the default lab's component
 * (DEFAULT_LAB in src/labs/index.ts), with everything they import statically. Split as the
 * bundler splits by default, that was 22 files after the entry, asked for in rounds, each found
 * only once the one importing it had arrived (there is no modulepreload, below): on a slow network
 * a round trip each before the first lab can show. One chunk is one request after the entry.
 * Lighthouse's simulated LCP went from 2.23-2.40 s (6 audits) to 1.55-1.68 s (12 audits). A
 * link to another lab loads the default lab's own code too (about 5 KiB gzipped). The other labs,
 * the SDK, the simulator, the markdown view, the charts, the connection panel and Show code's
 * code writers keep chunks of their own, loaded when first needed.
 * `tests/e2e/first-load.test.ts` checks that the first lab comes in this one file.
 */
const FIRST_LOAD =
  /[\\/]src[\\/]App\.svelte$|[\\/]src[\\/]labs[\\/]generate[\\/]Generate\.svelte$|[\\/]node_modules[\\/]svelte[\\/]src[\\/]index-client\.js$/;

/**
 * V8's explicit compile hint (Chromium 136+; to other engines a comment), the first line of the
 * first-load chunk: compile every function in it while the file streams in, on a background
 * thread. Without it V8 pre-parses each function and compiles it on the main thread when the mount
 * first calls it, inside the mount's steps: the compile made those steps long tasks under
 * Lighthouse's 4× slowdown. In 24 alternating audits each (bench/lighthouse.run.ts), the long-task
 * time past 50 ms attributed to our scripts went from a median of 21-54 ms to 0; what remains of
 * TBT is the browser's own navigation and HTML parsing. The cost: functions the first load never
 * calls are compiled too (nearly two thirds of the chunk's bytes never run on a first load),
 * off the main thread.
 */
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

const SDK_BYTES = '/node_modules/openai/internal/utils/bytes.mjs';
const OUR_BYTES = normalizePath(fileURLToPath(new URL('./src/lib/engine/sdk-bytes.ts', import.meta.url)));
/** A module id as a path with forward slashes, without the query a development server adds. */
const pathOf = (id: string) => normalizePath(id.replace(/\?.*$/, ''));

/**
 * Puts src/lib/engine/sdk-bytes.ts in place of the SDK's byte helpers: the SDK decodes each SSE
 * line through TextDecoder, and in Chromium those strings lengthened every major GC pause of a long
 * stream by 10–35 ms (the module says how). The build fails if the SDK's module is bundled, or the
 * SDK is bundled without ours, so an SDK upgrade that moves the helpers cannot quietly undo the swap.
 */
export function sdkBytes(): Plugin {
  return {
    name: 'sdk-bytes',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !pathOf(importer).includes('/node_modules/openai/')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && pathOf(resolved.id).endsWith(SDK_BYTES) ? OUR_BYTES : null;
    },
    generateBundle(_, bundle) {
      const ids = Object.values(bundle)
        .flatMap((file) => (file.type === 'chunk' ? file.moduleIds : []))
        .map(pathOf);
      const sdk = ids.some((id) => id.includes('/node_modules/openai/'));
      if (ids.some((id) => id.endsWith(SDK_BYTES)) || (sdk && !ids.includes(OUR_BYTES)))
        this.error(
          `${SDK_BYTES} is bundled, or the SDK is without ${OUR_BYTES}: did the SDK move its helpers?`,
        );
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
 * page's main thread 400 ms a frame and bounds how late chunks are stamped; with a second browser
 * streaming beside it, both contending for the two cores in the same bursts, it failed those
 * bounds on a fresh clone. (With one process spinning one core, `npm run test:busy`, it passes.)
 * The load test streams 100,000 tokens and a burst.
 */
const E2E_ALONE = ['tests/e2e/measure.test.ts', 'tests/e2e/load.test.ts'];

export default defineConfig({
  // Relative asset URLs: the build works from any sub-path of any static host.
  base: './',
  plugins: [svelte(), sdkBytes(), inlineEntryStyles(), lowPriorityEntry()],
  // The SDK goes through the plugins in development too (sdkBytes), not through the dependency
  // bundler, which runs none of them; the development server then serves its modules one by one.
  optimizeDeps: { exclude: ['openai'] },
  // One stylesheet (every component's styles, ~5 KiB gzipped), inlined into index.html: a lab's
  // chunk then brings no stylesheet to request, and loading it appends no <link> to wait for.
  // No modulepreload: Vite's helper would append a <link rel="modulepreload"> per dependency of
  // each dynamic import, synchronously (the entry's ten, ~27 ms on this machine: a long task under
  // Lighthouse's 4× slowdown); each import() fetches its static imports itself, and what the first
  // load needs is one chunk (FIRST_LOAD), so it has none to fetch.
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    cssCodeSplit: false,
    modulePreload: false,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: 'first-load', test: FIRST_LOAD }] },
        // postBanner: a `banner` line does not survive the minifier here.
        postBanner: (chunk) => (chunk.name === 'first-load' ? COMPILE_HINT : ''),
      },
    },
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
