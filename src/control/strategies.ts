// Strategy versions (immutable, deduplicated by digest) and their live/shadow deployments.
import { createHash } from 'node:crypto';
import { appendAudit } from './audit.ts';
import { ControlError, checkActor, checkName } from './errors.ts';
import type { Sql } from './sql.ts';

export type DeployMode = 'live' | 'shadow';

export interface StrategyVersionInfo {
  name: string;
  version: number;
  digest: string;
  created_at: Date;
  created_by: string;
}

export interface StrategyVersion extends StrategyVersionInfo {
  files: Record<string, string>;
}

export interface CreatedVersion {
  version: number;
  digest: string;
  created_at: Date;
  /** false when identical content already existed and that version was returned. */
  created: boolean;
}

export interface StrategySummary {
  name: string;
  live: number | null;
  shadows: number[];
}

export interface DeploymentRecord {
  id: number;
  name: string;
  version: number;
  mode: DeployMode;
  action: 'deploy' | 'undeploy' | 'rollback';
  previous_version: number | null;
  at: Date;
  actor: string;
}

const MAX_FILES = 256;
const MAX_BYTES = 4 * 1024 * 1024;

/** sha256 over files sorted by name, each length-prefixed so no two bundles share an encoding. */
export function strategyDigest(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    const body = Buffer.from(files[name]!, 'utf8');
    h.update(`${Buffer.byteLength(name)}:${name}\n${body.length}:`);
    h.update(body);
    h.update('\n');
  }
  return h.digest('hex');
}

function checkFiles(files: unknown): asserts files is Record<string, string> {
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new ControlError('invalid', 'files must be an object of file name to source text');
  }
  const entries = Object.entries(files);
  if (entries.length === 0 || entries.length > MAX_FILES) throw new ControlError('invalid', `a strategy needs 1 to ${MAX_FILES} files`);
  let bytes = 0;
  for (const [name, body] of entries) {
    if (name === '' || name.length > 256) throw new ControlError('invalid', `file name ${JSON.stringify(name)} must be 1-256 characters`);
    if (typeof body !== 'string') throw new ControlError('invalid', `file ${name} must be a string`);
    bytes += Buffer.byteLength(body);
  }
  if (bytes > MAX_BYTES) throw new ControlError('invalid', `strategy files exceed ${MAX_BYTES} bytes`);
}

function checkVersion(version: unknown): asserts version is number {
  if (!Number.isInteger(version) || (version as number) < 1) throw new ControlError('invalid', 'version must be a positive integer');
}

interface HistoryRow extends Omit<DeploymentRecord, 'id'> {
  id: string | number;
}

const toRecord = (r: HistoryRow): DeploymentRecord => ({ ...r, id: Number(r.id) });

export class Strategies {
  constructor(private readonly sql: Sql) {}

  /** Stores a new immutable version, or returns the existing one with the same content. */
  async create(input: { name: string; files: Record<string, string>; actor: string }): Promise<CreatedVersion> {
    const { name, files, actor } = input;
    checkName('strategy', name);
    checkActor(actor);
    checkFiles(files);
    const digest = strategyDigest(files);
    return this.sql.tx(async (tx) => {
      await tx.query('INSERT INTO strategies (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
      // Row lock: concurrent uploads of one strategy number their versions one after another.
      await tx.query('SELECT name FROM strategies WHERE name = $1 FOR UPDATE', [name]);
      const [same] = await tx.query<{ version: number; created_at: Date }>(
        'SELECT version, created_at FROM strategy_versions WHERE name = $1 AND digest = $2',
        [name, digest],
      );
      if (same) return { version: same.version, digest, created_at: same.created_at, created: false };
      const [row] = await tx.query<{ version: number; created_at: Date }>(
        `INSERT INTO strategy_versions (name, version, digest, files, created_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3::text::jsonb, $4 FROM strategy_versions WHERE name = $1
         RETURNING version, created_at`,
        [name, digest, JSON.stringify(files), actor],
      );
      await appendAudit(tx, {
        actor,
        action: 'strategy.create',
        target: `strategy:${name}`,
        after: { version: row!.version, digest, files: Object.keys(files).sort() },
      });
      return { version: row!.version, digest, created_at: row!.created_at, created: true };
    });
  }

  /** Every strategy with its live and shadow versions (what a decision node loads at start). */
  async names(): Promise<StrategySummary[]> {
    const rows = await this.sql.query<{ name: string; live: number | null; shadows: number[] | null }>(
      `SELECT s.name, s.live_version AS live,
              (SELECT array_agg(version ORDER BY version) FROM strategy_shadows sh WHERE sh.name = s.name) AS shadows
       FROM strategies s ORDER BY s.name`,
    );
    return rows.map((r) => ({ name: r.name, live: r.live, shadows: r.shadows ?? [] }));
  }

  /** Versions of one strategy, oldest first, without their files. */
  async list(name: string): Promise<StrategyVersionInfo[]> {
    return this.sql.query<StrategyVersionInfo>(
      'SELECT name, version, digest, created_at, created_by FROM strategy_versions WHERE name = $1 ORDER BY version',
      [name],
    );
  }

  async get(name: string, version: number): Promise<StrategyVersion | null> {
    const [row] = await this.sql.query<StrategyVersion>(
      'SELECT name, version, digest, files, created_at, created_by FROM strategy_versions WHERE name = $1 AND version = $2',
      [name, version],
    );
    return row ?? null;
  }

  async live(name: string): Promise<StrategyVersion | null> {
    const [row] = await this.sql.query<StrategyVersion>(
      `SELECT v.name, v.version, v.digest, v.files, v.created_at, v.created_by
       FROM strategies s JOIN strategy_versions v ON v.name = s.name AND v.version = s.live_version
       WHERE s.name = $1`,
      [name],
    );
    return row ?? null;
  }

  async shadows(name: string): Promise<StrategyVersion[]> {
    return this.sql.query<StrategyVersion>(
      `SELECT v.name, v.version, v.digest, v.files, v.created_at, v.created_by
       FROM strategy_shadows sh JOIN strategy_versions v ON v.name = sh.name AND v.version = sh.version
       WHERE sh.name = $1 ORDER BY v.version`,
      [name],
    );
  }

  /** Deployment history, newest first. */
  async history(name: string): Promise<DeploymentRecord[]> {
    const rows = await this.sql.query<HistoryRow>(
      `SELECT id, name, version, mode, action, previous_version, at, actor
       FROM strategy_deployments WHERE name = $1 ORDER BY id DESC`,
      [name],
    );
    return rows.map(toRecord);
  }

  /** Makes a version live (replacing the live one; promoting it if it ran in shadow) or adds it as a shadow. */
  async deploy(name: string, version: number, mode: DeployMode, actor: string): Promise<DeploymentRecord> {
    checkName('strategy', name);
    checkVersion(version);
    checkActor(actor);
    if (mode !== 'live' && mode !== 'shadow') throw new ControlError('invalid', `mode must be 'live' or 'shadow'`);
    return this.sql.tx(async (tx) => {
      const state = await this.lock(tx, name);
      await this.requireVersion(tx, name, version);
      if (mode === 'live') {
        if (state.live === version) throw new ControlError('conflict', `${name} v${version} is already live`);
        return this.setLive(tx, name, version, 'deploy', state, actor);
      }
      if (state.live === version) throw new ControlError('conflict', `${name} v${version} is live; it cannot also run in shadow`);
      if (state.shadows.includes(version)) throw new ControlError('conflict', `${name} v${version} already runs in shadow`);
      await tx.query('INSERT INTO strategy_shadows (name, version, deployed_by) VALUES ($1, $2, $3)', [name, version, actor]);
      const rec = await this.record(tx, name, version, 'shadow', 'deploy', null, actor);
      await appendAudit(tx, {
        actor,
        action: 'strategy.deploy',
        target: `strategy:${name}`,
        before: state,
        after: { live: state.live, shadows: [...state.shadows, version].sort((a, b) => a - b) },
      });
      return rec;
    });
  }

  /** Stops a shadow version. The live version is only ever replaced (deploy or rollback), never left empty. */
  async undeploy(name: string, version: number, actor: string): Promise<DeploymentRecord> {
    checkName('strategy', name);
    checkVersion(version);
    checkActor(actor);
    return this.sql.tx(async (tx) => {
      const state = await this.lock(tx, name);
      if (!state.shadows.includes(version)) throw new ControlError('not_found', `${name} v${version} does not run in shadow`);
      await tx.query('DELETE FROM strategy_shadows WHERE name = $1 AND version = $2', [name, version]);
      const rec = await this.record(tx, name, version, 'shadow', 'undeploy', null, actor);
      await appendAudit(tx, {
        actor,
        action: 'strategy.undeploy',
        target: `strategy:${name}`,
        before: state,
        after: { live: state.live, shadows: state.shadows.filter((v) => v !== version) },
      });
      return rec;
    });
  }

  /**
   * Makes the previously live version live again. Live changes form a stack: deploy pushes,
   * rollback pops, so repeated rollbacks walk back through earlier versions.
   */
  async rollback(name: string, actor: string): Promise<DeploymentRecord> {
    checkName('strategy', name);
    checkActor(actor);
    return this.sql.tx(async (tx) => {
      const state = await this.lock(tx, name);
      const rows = await tx.query<{ version: number; action: string }>(
        `SELECT version, action FROM strategy_deployments WHERE name = $1 AND mode = 'live' ORDER BY id`,
        [name],
      );
      const stack: number[] = [];
      for (const r of rows) {
        if (r.action === 'rollback') stack.pop();
        else stack.push(r.version);
      }
      const target = stack[stack.length - 2];
      if (target === undefined) throw new ControlError('conflict', `${name} has no previous live version to roll back to`);
      return this.setLive(tx, name, target, 'rollback', state, actor);
    });
  }

  private async setLive(
    tx: Sql,
    name: string,
    version: number,
    action: 'deploy' | 'rollback',
    state: { live: number | null; shadows: number[] },
    actor: string,
  ): Promise<DeploymentRecord> {
    await tx.query('UPDATE strategies SET live_version = $2 WHERE name = $1', [name, version]);
    // Promotion: a version that goes live stops running in shadow.
    await tx.query('DELETE FROM strategy_shadows WHERE name = $1 AND version = $2', [name, version]);
    const rec = await this.record(tx, name, version, 'live', action, state.live, actor);
    await appendAudit(tx, {
      actor,
      action: `strategy.${action}`,
      target: `strategy:${name}`,
      before: state,
      after: { live: version, shadows: state.shadows.filter((v) => v !== version) },
    });
    return rec;
  }

  private async record(
    tx: Sql,
    name: string,
    version: number,
    mode: DeployMode,
    action: DeploymentRecord['action'],
    previous: number | null,
    actor: string,
  ): Promise<DeploymentRecord> {
    const [row] = await tx.query<HistoryRow>(
      `INSERT INTO strategy_deployments (name, version, mode, action, previous_version, actor)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, name, version, mode, action, previous_version, at, actor`,
      [name, version, mode, action, previous, actor],
    );
    return toRecord(row!);
  }

  // Locks the strategy row so deployments of one strategy apply one at a time.
  private async lock(tx: Sql, name: string): Promise<{ live: number | null; shadows: number[] }> {
    const [row] = await tx.query<{ live_version: number | null }>('SELECT live_version FROM strategies WHERE name = $1 FOR UPDATE', [name]);
    if (!row) throw new ControlError('not_found', `no strategy named ${name}`);
    const shadows = await tx.query<{ version: number }>('SELECT version FROM strategy_shadows WHERE name = $1 ORDER BY version', [name]);
    return { live: row.live_version, shadows: shadows.map((s) => s.version) };
  }

  private async requireVersion(tx: Sql, name: string, version: number): Promise<void> {
    const [row] = await tx.query('SELECT 1 FROM strategy_versions WHERE name = $1 AND version = $2', [name, version]);
    if (!row) throw new ControlError('not_found', `${name} has no version ${version}`);
  }
}
