// ip_prefix(ip): the network an address is in — /24 for IPv4, /64 for IPv6.
import { T } from '../types.ts';
import { register } from './registry.ts';

export function ipPrefix(ip: string): string {
  const s = ip.trim();
  if (s.includes(':')) {
    // Expand :: and keep the first four hextets.
    const [head, tail] = s.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
    return groups.slice(0, 4).map((g) => (g.replace(/^0+/, '') || '0').toLowerCase()).join(':') + '::/64';
  }
  const last = s.lastIndexOf('.');
  return last < 0 ? s : `${s.slice(0, last)}.0/24`;
}

export const ip_prefix = register({
  name: 'ip_prefix', params: [{ name: 'ip', bases: ['string'] }], returns: (a) => ({ ...a[0]!, base: 'string', entity: null }),
  impl: ipPrefix,
  derive: { entities: ['Ip'], personalResult: true },
  doc: 'The network of an IP address: the /24 of an IPv4 address (203.0.113.0/24), the /64 of an IPv6 address. Computed before pseudonymisation; the result is itself personal (hashed).',
  example: 'count(signup by ip_prefix(ip) over 1h) > 50',
});
