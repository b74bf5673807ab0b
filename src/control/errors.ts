// Errors of the control plane: a code the HTTP layer maps to a status, and a message for humans.

export type ControlErrorCode = 'not_found' | 'conflict' | 'invalid';

export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// Names end up in URLs, audit targets and strategy references, so keep them plain.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ControlError('invalid', `${what} name must be 1-128 characters of letters, digits, '_', '.', ':' or '-', starting with a letter or digit; got ${JSON.stringify(name)}`);
  }
}

export function checkText(what: string, value: unknown, max = 4096): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new ControlError('invalid', `${what} must be a non-empty string of at most ${max} characters`);
  }
}

// Every write names who did it: the audit log is useless without an actor.
export function checkActor(actor: unknown): asserts actor is string {
  checkText('actor', actor, 256);
}

/** SQLSTATE of a driver error (both pg and PGlite expose `code`). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
