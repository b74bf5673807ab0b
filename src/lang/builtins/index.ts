// Loads every built-in into the registry.
import './lower.ts';
import './trim.ts';
import './length.ts';
import './contains.ts';
import './starts_with.ts';
import './ends_with.ts';
import './email_domain.ts';
import './email_canonical.ts';
import './ip_prefix.ts';
import './phone_digits.ts';
import './math.ts';
import './time.ts';
export { allBuiltins, builtin, type Builtin } from './registry.ts';
export { emailCanonical } from './email_canonical.ts';
export { emailDomain } from './email_domain.ts';
export { ipPrefix } from './ip_prefix.ts';
export { phoneDigits } from './phone_digits.ts';
