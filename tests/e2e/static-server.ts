/**
 * Serves the production build from a sub-path (/streaming-lab/), the way a static host would,
 * which proves the build works with relative asset URLs. With `gzip` (first-load audits), text
 * files go gzip-compressed (level 9, once per file) to a client that accepts it, with
 * `content-length` and `vary: accept-encoding`, as a real host sends them.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export const SUB_PATH = '/streaming-lab/';

export async function serveDist(
  dir = path.resolve('dist'),
  /** Sent with every file, as a host configured with public/_headers would. */
  headers: Record<string, string> = {},
  { gzip = false }: { gzip?: boolean } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const gzipped = new Map<string, Buffer>();
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!pathname.startsWith(SUB_PATH)) {
      res.writeHead(404).end('not under the sub-path');
      return;
    }
    const rel = pathname.slice(SUB_PATH.length) || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const type = TYPES[path.extname(file)];
    const sent: Record<string, string> = { ...headers, 'content-type': type ?? 'application/octet-stream' };
    if (gzip) {
      sent.vary = 'accept-encoding';
      if (type && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }));
        body = gzipped.get(file)!;
        sent['content-encoding'] = 'gzip';
      }
      sent['content-length'] = String(body.length);
    }
    res.writeHead(200, sent).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SUB_PATH}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
