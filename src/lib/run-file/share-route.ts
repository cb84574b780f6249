/**
 * The hash route of a shared run, `#/shared/<payload>` (share.ts makes and reads the payload).
 * Apart from share.ts so the app can recognise a share link without loading the share code.
 */
export const SHARE_ROUTE = '#/shared/';

/** The payload of a share link's hash, or null when the hash is not a share link. */
export function sharedPayload(hash: string): string | null {
  return hash.startsWith(SHARE_ROUTE) ? hash.slice(SHARE_ROUTE.length) : null;
}
