// phone_digits(p): a phone number reduced to its digits, so formats compare equal.
import { T } from '../types.ts';
import { register } from './registry.ts';

export function phoneDigits(p: string): string {
  let d = p.replace(/[^0-9]/g, '');
  if (d.startsWith('00')) d = d.slice(2); // international prefix 00 ≡ +
  return d;
}

export const phone_digits = register({
  name: 'phone_digits', params: [{ name: 'phone', bases: ['string'] }], returns: (a) => ({ ...a[0]!, base: 'string', entity: null }),
  impl: phoneDigits,
  derive: { entities: ['Phone'], personalResult: true },
  doc: 'The digits of a phone number (+1 (415) 555-0100 → 14155550100; a leading 00 is dropped). Computed before pseudonymisation; the result is itself personal (hashed).',
  example: 'distinct(signup.account by phone_digits(phone) over 30d) > 2',
});
