import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { baseURLProblem, keyScope, publicURL, urlProblem } from '../../src/lib/engine/endpoint';
import { probeConnection } from '../../src/lib/engine/probe';
import { pythonSnippet, typescriptSnippet } from '../../src/lib/engine/snippets';
import { streamChat } from '../../src/lib/engine/stream-chat';
import { networkFetch } from '../../src/lib/engine/worker-fetch';
import { exportRun } from '../../src/lib/run-file/format';
import { streamMetrics } from '../../src/lib/metrics/metrics';

describe('the base URL rule (the CSP connect-src, in code)', () => {
  it.each([
    'https://api.openai.com/v1',
    'https://example.com:8443/v1',
    'http://localhost:11434/v1',
    'http://localhost/v1',
    'http://127.0.0.1:1234/v1',
  ])('allows %s', (url) => {
    expect(baseURLProblem(url)).toBeNull();
  });

  it.each([
    ['http://example.com/v1', /only to localhost or 127\.0\.0\.1/],
    ['http://127.0.0.2:8080/v1', /only to localhost or 127\.0\.0\.1/],
    ['http://[::1]:8080/v1', /only to localhost or 127\.0\.0\.1/],
    ['http://localhost.example.com/v1', /only to localhost or 127\.0\.0\.1/],
    ['ftp://example.com/v1', /must start with https/],
    ['javascript:alert(1)', /must start with https/],
    ['ws://localhost:8080/v1', /must start with https/],
    ['example.com/v1', /not a full URL/],
    ['https://user:sk-secret@example.com/v1', /user name or password/],
    ['https://example.com/v1?api-key=sk-secret', /query string/],
    ['https://example.com/v1#sk-secret', /fragment/],
  ])('refuses %s, saying why', (url, why) => {
    expect(baseURLProblem(url)).toMatch(why);
  });

  it('lets request URLs with a query string through, but not credentials', () => {
    expect(urlProblem('https://example.com/v1/models?limit=5')).toBeNull();
    expect(urlProblem('https://a:b@example.com/v1/models')).toMatch(/user name or password/);
  });
});

describe('publicURL', () => {
  it.each([
    ['https://user:sk-pass@host.example/v1?api-key=sk-q#sk-h', 'https://host.example/v1'],
    ['https://host.example/v1?api-version=2024', 'https://host.example/v1'],
    ['http://localhost:11434/v1', 'http://localhost:11434/v1'],
    ['https://host.example', 'https://host.example'],
    ['https://host.example/', 'https://host.example/'],
    ['not a url?key=sk-x', 'not a url'],
    ['weird://sk-user@host?x', 'weird://host'],
    ['', ''],
  ])('%s shows as %s', (url, shown) => {
    expect(publicURL(url)).toBe(shown);
  });

  it('keeps secrets in a base URL out of exports and both code snippets', () => {
    const url = 'https://user:sk-pass123@host.example/v1?api-key=sk-query123';
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    const exported = JSON.stringify(
      exportRun({
        lab: 'basic',
        startedAt: 0,
        request,
        baseURL: url,
        stream: true,
        chunks: [],
        metrics: streamMetrics({ arrivals: [], usage: null }),
        usage: null,
        finishReason: null,
        error: null,
        text: '',
      }),
    );
    const code =
      pythonSnippet(request, { baseURL: url, stream: true }) +
      typescriptSnippet(request, { baseURL: url, stream: true });
    for (const text of [exported, code]) {
      expect(text).toContain('https://host.example/v1');
      expect(text).not.toMatch(/sk-pass123|sk-query123|user:/);
    }
  });
});

describe('keyScope', () => {
  it('is the provider and the origin: path changes keep it, host, port or scheme change it', () => {
    const a = keyScope('custom', 'http://127.0.0.1:1234/v1');
    expect(keyScope('custom', 'http://127.0.0.1:1234/other/v1')).toBe(a);
    expect(keyScope('custom', 'http://127.0.0.1:1235/v1')).not.toBe(a);
    expect(keyScope('custom', 'http://localhost:1234/v1')).not.toBe(a);
    expect(keyScope('openai', 'http://127.0.0.1:1234/v1')).not.toBe(a);
    expect(keyScope('custom', 'not a url')).toBe('');
  });
});

describe('the network fetch refuses what the rule refuses', () => {
  /** A real server on every interface, reachable as http://127.0.0.2 — a host the rule refuses. */
  async function listener() {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    const { port } = server.address() as AddressInfo;
    return {
      port,
      hits: () => hits,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }

  it('sends nothing to a plain-http host that is not loopback, through fetch, probe or a run', async () => {
    const server = await listener();
    try {
      const baseURL = `http://127.0.0.2:${server.port}/v1`;
      // The same server answers on the allowed loopback name: the refusal is the rule, not the host.
      expect((await networkFetch()(`http://127.0.0.1:${server.port}/v1/models`)).status).toBe(200);
      expect(server.hits()).toBe(1);

      await expect(
        networkFetch()(`${baseURL}/models`, { headers: { authorization: 'Bearer sk-x' } }),
      ).rejects.toThrow(/Refused to connect: Plain http is allowed only to localhost/);
      const connection = { baseURL, apiKey: 'sk-x', fetch: networkFetch(), maxRetries: 0, stallMs: 5000 };
      expect((await probeConnection(connection, 'm')).title).toMatch(/only to localhost/);
      // A run goes through the same fetch: the SDK's request is refused before it leaves.
      const events = [];
      for await (const e of streamChat(
        { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
        { connection },
      ))
        events.push(e);
      const error = events.find((e) => e.kind === 'error');
      expect(error?.kind === 'error' && error.error.title).toMatch(/Refused to connect to 127\.0\.0\.2/);
      expect(server.hits()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
