// lower(s): lower-case a string.
import { T } from '../types.ts';
import { register } from './registry.ts';

export const lower = register({
  name: 'lower', params: [{ name: 's', bases: ['string'] }], returns: () => T.string,
  impl: (s: string) => s.toLowerCase(),
  doc: 'Lower-cases a string.', example: 'lower(country) == "us"',
});
