// ends_with(s, suffix).
import { T } from '../types.ts';
import { register } from './registry.ts';

export const endsWith = register({
  name: 'ends_with', params: [{ name: 's', bases: ['string'] }, { name: 'suffix', bases: ['string'] }], returns: () => T.bool,
  impl: (s: string, p: string) => s.endsWith(p),
  doc: 'True when the string ends with `suffix`.', example: 'ends_with(email_domain(email), ".ru")',
});
