// Keyed pseudonymisation of personal data, with a bounded cache so repeated values cost one HMAC.
import { createHmac } from 'node:crypto';

export function pseudonymiser(key: Buffer, cacheSize = 200_000): (v: string) => string {
  const cache = new Map<string, string>();
  return (v: string) => {
    let h = cache.get(v);
    if (h !== undefined) return h;
    h = 'p_' + createHmac('sha256', key).update(v).digest('base64url').slice(0, 22);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(v, h);
    return h;
  };
}
