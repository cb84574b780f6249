/**
 * The headers a static host should send (public/_headers for Netlify and Cloudflare Pages,
 * public/vercel.json for Vercel) against the one policy in index.html's CSP <meta>: they may
 * differ only by frame-ancestors, which a <meta> cannot set, so the two can never drift apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** A policy as directive name -> sorted sources, so order and spacing do not matter. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!.toLowerCase(), sources.sort()]),
  );
}

function metaPolicy(): string {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(read('index.html'));
  if (!meta) throw new Error('index.html has no Content-Security-Policy <meta>');
  return meta[1]!;
}

/** The `/*` block of a _headers file, as header name (lower case) -> value. */
function netlifyHeaders(): Record<string, string> {
  const out: Record<string, string> = {};
  let inAll = false;
  for (const line of read('public/_headers').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    const colon = line.indexOf(':');
    if (inAll) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function vercelHeaders(): Record<string, string> {
  const config = JSON.parse(read('public/vercel.json')) as {
    headers: { source: string; headers: { key: string; value: string }[] }[];
  };
  const all = config.headers.find((h) => h.source === '/(.*)');
  return Object.fromEntries((all?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]));
}

describe.each([
  ['public/_headers', netlifyHeaders],
  ['public/vercel.json', vercelHeaders],
])('host headers in %s', (_, headers) => {
  it("send index.html's Content-Security-Policy plus frame-ancestors 'none', and nothing else different", () => {
    const { 'frame-ancestors': ancestors, ...rest } = directives(headers()['content-security-policy'] ?? '');
    expect(ancestors).toEqual(["'none'"]);
    expect(rest).toEqual(directives(metaPolicy()));
  });

  it('forbid framing, sniffing, referrers and shared browsing contexts, and keep to HTTPS', () => {
    expect(headers()).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(headers()['strict-transport-security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
  });
});

it('the _headers file and vercel.json send the same headers', () => {
  expect(vercelHeaders()).toEqual(netlifyHeaders());
});
