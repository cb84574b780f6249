/**
 * A benchmark page (bench/<name>/index.html and its module): built on its own, without the app's
 * config, into bench/page-dist/<name>, and served on a local port.
 */
import path from 'node:path';
import { build, type PluginOption } from 'vite';
import { serveDist } from '../tests/e2e/static-server';

export async function servePage(
  name: string,
  { plugins = [], headers = {} }: { plugins?: PluginOption[]; headers?: Record<string, string> } = {},
) {
  const outDir = path.resolve('bench/page-dist', name);
  await build({
    configFile: false,
    root: path.resolve('bench', name),
    base: './',
    logLevel: 'warn',
    plugins,
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return serveDist(outDir, headers);
}
