// email_canonical(e): one form per mailbox — lower case, and dot/plus folding where the provider ignores them.
import { T } from '../types.ts';
import { register } from './registry.ts';

// Providers that ignore dots in the local part, and their aliases.
const DOT_BLIND: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };
// Providers that deliver local+tag to local (sub-addressing).
const PLUS_TAGS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'fastmail.com', 'protonmail.com', 'proton.me', 'yahoo.com']);

export function emailCanonical(e: string): string {
  const s = e.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at < 0) return s;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (PLUS_TAGS.has(domain)) {
    const plus = domain === 'yahoo.com' ? local.indexOf('-') : local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  const alias = DOT_BLIND[domain];
  if (alias) { domain = alias; local = local.replaceAll('.', ''); }
  return `${local}@${domain}`;
}

export const email_canonical = register({
  name: 'email_canonical', params: [{ name: 'email', bases: ['string'] }], returns: (a) => ({ ...a[0]!, base: 'string' }),
  impl: emailCanonical,
  derive: { entities: ['Email'], personalResult: true },
  doc: 'Canonical form of an e-mail address: lower case; for providers that ignore them, dots and +tags in the local part are removed (j.o.h.n+promo@gmail.com → john@gmail.com). Computed before pseudonymisation; the result is itself personal (hashed).',
  example: 'distinct(signup.account by email_canonical(email) over 30d) > 3',
});
