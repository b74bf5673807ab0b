// length(x): characters in a string or items in a list.
import { T } from '../types.ts';
import { register } from './registry.ts';

export const length = register({
  name: 'length', params: [{ name: 'x', bases: ['string', 'list'] }], returns: () => T.number,
  impl: (x: string | string[]) => x.length,
  doc: 'Number of characters in a string, or of items in a list of strings.', example: 'length(link_domains) >= 2',
});
