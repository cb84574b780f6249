/**
 * Where model traffic may go, and how a base URL may be shown or kept.
 *
 * Invariants:
 * - `urlProblem` is the code twin of index.html's CSP `connect-src` (`https:`,
 *   `http://localhost:*`, `http://127.0.0.1:*`). A `<meta>` CSP does not reach the network
 *   worker, so every network fetch the engine makes checks this rule first (worker-fetch.ts and
 *   net-worker.ts); nothing else decides it.
 * - `publicURL` is the only form of a base URL that is stored, exported or printed: no userinfo,
 *   no query string, no fragment — the places a key could hide in a URL.
 * - `keyScope` names what a key belongs to: its provider and its base URL's origin. A key is only
 *   ever sent to the scope it was entered for.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Why a request to `url` is refused, in words for the connection panel; null when it may go.
 * The CSP's connect-src rule: https to any host, or http to localhost / 127.0.0.1 (any port);
 * never a URL carrying a user name or password.
 */
export function urlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'The base URL is not a full URL: it should look like https://host/v1.';
  }
  if (parsed.username || parsed.password) {
    return 'The base URL must not contain a user name or password: put the key in the API key field.';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return null;
  if (parsed.protocol === 'http:') {
    return `Plain http is allowed only to localhost or 127.0.0.1: use https:// for ${parsed.host}.`;
  }
  return `The base URL must start with https:// (or http://localhost): ${parsed.protocol} is not allowed.`;
}

/** `urlProblem`, and a base URL also takes no query string or fragment (where keys get pasted). */
export function baseURLProblem(url: string): string | null {
  const problem = urlProblem(url);
  if (problem) return problem;
  const { search, hash } = new URL(url.trim());
  return search || hash
    ? 'The base URL must not have a query string or #fragment: put the key in the API key field.'
    : null;
}

/** Throws a TypeError, as fetch does for a refused request, when `url` breaks the rule. */
export function assertAllowedURL(url: string): void {
  const problem = urlProblem(url);
  if (problem) throw new TypeError(`Refused to connect: ${problem}`);
}

/**
 * `url` without anything secret: userinfo, query string and fragment are dropped. Text that is
 * not a URL is cut at the first `?` or `#` and loses anything up to an `@` in its authority.
 */
export function publicURL(url: string): string {
  try {
    const parsed = new URL(url.trim());
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    const text = parsed.toString();
    // URL() adds a "/" to a bare origin; keep what the user typed otherwise.
    return url.trim().endsWith('/') || parsed.pathname !== '/' ? text : text.replace(/\/$/, '');
  } catch {
    return url
      .trim()
      .replace(/[?#].*$/s, '')
      .replace(/^([a-z][\w+.-]*:\/\/)[^/]*@/i, '$1');
  }
}

/** The provider and base-URL origin a key belongs to; '' (matching nothing) for a bad URL. */
export function keyScope(provider: string, baseURL: string): string {
  try {
    const { origin } = new URL(baseURL.trim());
    return origin === 'null' ? '' : `${provider} ${origin}`;
  } catch {
    return '';
  }
}
