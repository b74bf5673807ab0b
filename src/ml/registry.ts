// Model registry in the control plane: immutable, numbered versions of each named model, every write audited.

import { createHash } from 'node:crypto';
import { appendAudit, ControlError } from '../control/index.ts';
import type { MigrationSet, Sql } from '../control/index.ts';
import type { GbdtModelJson } from './tree-model.ts';
import type { LogisticModelJson } from './logistic.ts';
import type { MonitorReference } from './monitor.ts';

export type ModelKind = 'gbdt' | 'logistic';
export interface ModelInput { name: string; type: 'number' | 'bool' }

/** What `bulwark model train/import` stores; everything but the version number is chosen by the writer. */
export interface NewModelVersion {
  name: string;
  kind: ModelKind;
  /** Features the model reads, in the order of its input row. */
  inputs: ModelInput[];
  /** sha256 of the training data (file bytes, label column, rows used); '' for imported models. */
  fingerprint: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** Training-data distribution of the inputs and the score: the baseline for drift monitoring. */
  reference: MonitorReference | null;
  model: GbdtModelJson | LogisticModelJson;
  /** Where it came from: 'train', 'import:xgboost', … */
  source: string;
  note?: string;
}

export interface StoredModelVersion extends NewModelVersion {
  version: number;
  createdAt: Date;
  createdBy: string;
}

export interface ModelVersionSummary {
  name: string; version: number; kind: ModelKind; source: string; inputs: number; createdAt: Date; createdBy: string;
  metrics: Record<string, unknown>;
}

export const MODEL_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export const modelMigrations: MigrationSet = {
  component: 'models',
  migrations: [
    {
      version: 1,
      name: 'model registry',
      sql: `
CREATE TABLE models (
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  version int NOT NULL CHECK (version > 0),
  kind text NOT NULL CHECK (kind IN ('gbdt', 'logistic')),
  inputs jsonb NOT NULL,
  fingerprint text NOT NULL,
  params jsonb NOT NULL,
  metrics jsonb NOT NULL,
  reference jsonb,
  model jsonb NOT NULL,
  model_sha256 text NOT NULL,
  source text NOT NULL,
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (name, version)
);`,
    },
  ],
};

interface ModelRow {
  name: string; version: number; kind: ModelKind; inputs: unknown; fingerprint: string; params: unknown; metrics: unknown;
  reference: unknown; model: unknown; model_sha256: string; source: string; note: string; created_at: Date; created_by: string;
}

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function fromRow(r: ModelRow): StoredModelVersion {
  return {
    name: r.name, version: Number(r.version), kind: r.kind, inputs: parsed<ModelInput[]>(r.inputs), fingerprint: r.fingerprint,
    params: parsed(r.params), metrics: parsed(r.metrics), reference: parsed<MonitorReference | null>(r.reference),
    model: parsed(r.model), source: r.source, note: r.note, createdAt: new Date(r.created_at), createdBy: r.created_by,
  };
}

/** Parses NAME or NAME@V (also NAME@vV). */
export function parseModelRef(ref: string): { name: string; version?: number } | null {
  const m = /^([a-z][a-z0-9_]{0,62})(?:@v?(\d+))?$/.exec(ref);
  if (!m) return null;
  return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, version: Number(m[2]) };
}

function checkNew(v: NewModelVersion): void {
  if (!MODEL_NAME.test(v.name)) throw new ControlError('invalid', `model name must match ${MODEL_NAME}; got ${JSON.stringify(v.name)}`);
  if (v.kind !== 'gbdt' && v.kind !== 'logistic') throw new ControlError('invalid', `model kind must be gbdt or logistic; got ${JSON.stringify(v.kind)}`);
  if (v.inputs.length === 0) throw new ControlError('invalid', 'a model needs at least one input feature');
  const names = new Set<string>();
  for (const i of v.inputs) {
    if (i.type !== 'number' && i.type !== 'bool') throw new ControlError('invalid', `input ${i.name}: type must be number or bool`);
    if (names.has(i.name)) throw new ControlError('invalid', `input ${i.name} appears twice`);
    names.add(i.name);
  }
  const width = v.model.featureNames.length;
  if (width !== v.inputs.length) throw new ControlError('invalid', `the model reads ${width} features but ${v.inputs.length} inputs are declared`);
}

/** Immutable versions: there is no update or delete; a new version is the only way to change a model. */
export class ModelRegistry {
  constructor(private readonly sql: Sql) {}

  async create(v: NewModelVersion, actor: string): Promise<StoredModelVersion> {
    checkNew(v);
    const modelText = JSON.stringify(v.model);
    const sha = createHash('sha256').update(modelText).digest('hex');
    return this.sql.tx(async (tx) => {
      // Serialises writers of one model name (two trainers finishing at once get 1 and 2, not a conflict).
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('bulwark.models'), hashtext($1))`, [v.name]);
      const [{ next }] = (await tx.query<{ next: number }>('SELECT coalesce(max(version), 0) + 1 AS next FROM models WHERE name = $1', [v.name])) as [{ next: number }];
      const version = Number(next);
      const [row] = await tx.query<ModelRow>(
        `INSERT INTO models (name, version, kind, inputs, fingerprint, params, metrics, reference, model, model_sha256, source, note, created_by)
         VALUES ($1, $2, $3, $4::text::jsonb, $5, $6::text::jsonb, $7::text::jsonb, $8::text::jsonb, $9::text::jsonb, $10, $11, $12, $13) RETURNING *`,
        [v.name, version, v.kind, JSON.stringify(v.inputs), v.fingerprint, JSON.stringify(v.params), JSON.stringify(v.metrics),
          v.reference ? JSON.stringify(v.reference) : null, modelText, sha, v.source, v.note ?? '', actor],
      );
      // The audit row carries what identifies the version, not the (possibly megabytes of) trees.
      await appendAudit(tx, {
        actor, action: 'model.create', target: `model:${v.name}@${version}`,
        after: { kind: v.kind, inputs: v.inputs.map((i) => i.name), fingerprint: v.fingerprint, model_sha256: sha, source: v.source, metrics: v.metrics, params: v.params },
      });
      return fromRow(row!);
    });
  }

  /** A version, or the newest when `version` is omitted; null when absent. */
  async get(name: string, version?: number): Promise<StoredModelVersion | null> {
    const rows = version === undefined
      ? await this.sql.query<ModelRow>('SELECT * FROM models WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])
      : await this.sql.query<ModelRow>('SELECT * FROM models WHERE name = $1 AND version = $2', [name, version]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Every version of every model (or of one), newest first within a name; without the model bodies. */
  async list(name?: string): Promise<ModelVersionSummary[]> {
    const rows = await this.sql.query<ModelRow & { n_inputs: number }>(
      `SELECT name, version, kind, source, jsonb_array_length(inputs) AS n_inputs, created_at, created_by, metrics
       FROM models ${name === undefined ? '' : 'WHERE name = $1'} ORDER BY name, version DESC`,
      name === undefined ? [] : [name],
    );
    return rows.map((r) => ({
      name: r.name, version: Number(r.version), kind: r.kind, source: r.source, inputs: Number(r.n_inputs),
      createdAt: new Date(r.created_at), createdBy: r.created_by, metrics: parsed(r.metrics),
    }));
  }
}
