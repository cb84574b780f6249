/**
 * Builds and serves bench/page: the markdown renderer on its own, without the app or its CSP,
 * so tests and benchmarks can drive it directly in Chromium (window.bench).
 */
import path from 'node:path';
import { build } from 'vite';
import { serveDist } from './static-server';

export async function serveRendererPage(): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = path.resolve('bench/page-dist');
  await build({
    configFile: false,
    root: path.resolve('bench/page'),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return serveDist(outDir);
}
