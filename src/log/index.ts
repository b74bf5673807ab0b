// Public face of the append-only event and decision log.
export { EventLog } from './event-log.ts';
export type { Durability, EventLogOptions, LogRecord, LogStats, Recovery } from './event-log.ts';
export { LogError } from './errors.ts';
export type { LogErrorCode } from './errors.ts';
export type { FrameFault } from './record.ts';
export { HEADER_BYTES, MAX_PAYLOAD_BYTES, segmentOf, offsetOf, toPosition } from './record.ts';
