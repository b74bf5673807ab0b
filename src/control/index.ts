// Public face of the control plane: strategies, lists, keys, labels, settings and audit on SQL.
// Components built on it (cases/) pass their own MigrationSet to openControl({ migrations }) and
// write through control.sql.tx(...) with appendAudit(tx, …) in the same transaction.
export { openControl } from './control.ts';
export type { Control, ControlOptions } from './control.ts';
export { ControlError } from './errors.ts';
export type { ControlErrorCode } from './errors.ts';
export type { Backend, Row, Sql } from './sql.ts';
export { migrate } from './migrate.ts';
export type { Migration, MigrationSet } from './migrate.ts';
export { controlMigrations } from './migrations.ts';
export { appendAudit } from './audit.ts';
export type { AuditEntry, AuditLog, AuditQuery, AuditWrite } from './audit.ts';
export { strategyDigest } from './strategies.ts';
export type {
  CreatedVersion,
  DeployMode,
  DeploymentRecord,
  Strategies,
  StrategySummary,
  StrategyVersion,
  StrategyVersionInfo,
} from './strategies.ts';
export { parseListText } from './lists.ts';
export type { ListChange, ListInfo, Lists } from './lists.ts';
export { SCOPES } from './keys.ts';
export type { ApiKeyInfo, ApiKeys, Scope } from './keys.ts';
export type { LabelEvent, Labels, ManualLabel } from './labels.ts';
export type { Erasure, ErasureRecord, Secrets, Settings } from './settings.ts';
