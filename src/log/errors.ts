// Errors the event log hands to its callers: one class, a stable code, a human message.

export type LogErrorCode =
  | 'BAD_OPTIONS' // open() called with unusable options
  | 'LOCKED' // another live writer holds the directory
  | 'CORRUPT' // a sealed segment or a record read back does not verify
  | 'MISSING_SEGMENT' // a gap in the segment sequence
  | 'BAD_POSITION' // a position that is not (or not yet) a record in this log
  | 'TOO_LARGE' // payload above the per-record limit
  | 'FAILED' // an earlier write or fsync failed; the log accepts no more appends
  | 'CLOSED'; // the log was closed

export class LogError extends Error {
  readonly code: LogErrorCode;
  constructor(code: LogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogError';
    this.code = code;
  }
}
