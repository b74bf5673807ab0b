// trim(s): strip leading and trailing white space.
import { T } from '../types.ts';
import { register } from './registry.ts';

export const trim = register({
  name: 'trim', params: [{ name: 's', bases: ['string'] }], returns: () => T.string,
  impl: (s: string) => s.trim(),
  doc: 'Removes white space at both ends of a string.', example: 'trim(lower(user_agent)) == ""',
});
