// starts_with(s, prefix).
import { T } from '../types.ts';
import { register } from './registry.ts';

export const startsWith = register({
  name: 'starts_with', params: [{ name: 's', bases: ['string'] }, { name: 'prefix', bases: ['string'] }], returns: () => T.bool,
  impl: (s: string, p: string) => s.startsWith(p),
  doc: 'True when the string begins with `prefix`.', example: 'starts_with(endpoint, "/api/v1/search")',
});
