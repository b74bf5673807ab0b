// email_domain(e): the lower-cased domain of an e-mail address.
import { T } from '../types.ts';
import { register } from './registry.ts';

export function emailDomain(e: string): string {
  const at = e.lastIndexOf('@');
  return at < 0 ? '' : e.slice(at + 1).trim().toLowerCase();
}

export const email_domain = register({
  name: 'email_domain', params: [{ name: 'email', bases: ['string'] }], returns: () => T.string,
  impl: emailDomain,
  derive: { entities: ['Email'], personalResult: false },
  doc: 'The domain of an e-mail address, lower-cased. Computed before the address is pseudonymised, so it works on personal data.',
  example: 'email_domain(email) in list disposable_domains',
});
