// contains(s, part): substring test; for a list, membership.
import { T } from '../types.ts';
import { register } from './registry.ts';

export const contains = register({
  name: 'contains', params: [{ name: 's', bases: ['string', 'list'] }, { name: 'part', bases: ['string'] }], returns: () => T.bool,
  impl: (s: string | string[], part: string) => s.includes(part),
  doc: 'True when the string contains `part`; for a list of strings, when one item equals `part`.', example: 'contains(lower(text), "free coins")',
});
