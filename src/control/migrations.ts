// The control plane's schema, as numbered migrations that run unchanged on PGlite and PostgreSQL.
import type { MigrationSet } from './migrate.ts';

export const controlMigrations: MigrationSet = {
  component: 'control',
  migrations: [
    {
      version: 1,
      name: 'audit',
      sql: `
CREATE FUNCTION bulwark_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_actor_idx ON audit (actor, id);
CREATE INDEX audit_action_idx ON audit (action, id);
CREATE INDEX audit_target_idx ON audit (target, id);
CREATE INDEX audit_at_idx ON audit (at);
-- Enforced in SQL so no code path (or operator with psql and the app's role) can rewrite history.
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION bulwark_reject_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION bulwark_reject_change();
`,
    },
    {
      version: 2,
      name: 'strategies',
      sql: `
CREATE TABLE strategies (
  name text PRIMARY KEY,
  live_version int,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE strategy_versions (
  name text NOT NULL REFERENCES strategies (name),
  version int NOT NULL,
  digest text NOT NULL,
  files jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (name, version),
  UNIQUE (name, digest)
);
ALTER TABLE strategies ADD FOREIGN KEY (name, live_version) REFERENCES strategy_versions (name, version);
-- Versions are immutable: a decision names the version that made it, forever.
CREATE TRIGGER strategy_versions_immutable BEFORE UPDATE OR DELETE ON strategy_versions
  FOR EACH ROW EXECUTE FUNCTION bulwark_reject_change();

CREATE TABLE strategy_shadows (
  name text NOT NULL,
  version int NOT NULL,
  deployed_at timestamptz NOT NULL DEFAULT now(),
  deployed_by text NOT NULL,
  PRIMARY KEY (name, version),
  FOREIGN KEY (name, version) REFERENCES strategy_versions (name, version)
);

CREATE TABLE strategy_deployments (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  version int NOT NULL,
  mode text NOT NULL CHECK (mode IN ('live', 'shadow')),
  action text NOT NULL CHECK (action IN ('deploy', 'undeploy', 'rollback')),
  previous_version int,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  FOREIGN KEY (name, version) REFERENCES strategy_versions (name, version)
);
CREATE INDEX strategy_deployments_name_idx ON strategy_deployments (name, id);
CREATE TRIGGER strategy_deployments_append_only BEFORE UPDATE OR DELETE ON strategy_deployments
  FOR EACH ROW EXECUTE FUNCTION bulwark_reject_change();
`,
    },
    {
      version: 3,
      name: 'lists',
      sql: `
CREATE TABLE lists (
  name text PRIMARY KEY,
  kind text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE TABLE list_values (
  list text NOT NULL REFERENCES lists (name) ON DELETE CASCADE,
  value text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  added_by text NOT NULL,
  PRIMARY KEY (list, value)
);
`,
    },
    {
      version: 4,
      name: 'api_keys',
      sql: `
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  scopes text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['ingest', 'read', 'admin']::text[]),
  hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  revoked_at timestamptz,
  revoked_by text
);
`,
    },
    {
      version: 5,
      name: 'labels_and_erasure',
      sql: `
CREATE TABLE labels (
  entity text NOT NULL,
  label text NOT NULL,
  expires_at timestamptz,
  set_at timestamptz NOT NULL DEFAULT now(),
  set_by text NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (entity, label)
);
CREATE TABLE label_events (
  id bigserial PRIMARY KEY,
  entity text NOT NULL,
  label text NOT NULL,
  action text NOT NULL CHECK (action IN ('set', 'clear')),
  expires_at timestamptz,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX label_events_entity_idx ON label_events (entity, id);

CREATE TABLE erasures (
  id bigserial PRIMARY KEY,
  entity text NOT NULL,
  what jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL
);
CREATE INDEX erasures_entity_idx ON erasures (entity, id);
CREATE TRIGGER erasures_append_only BEFORE UPDATE OR DELETE ON erasures
  FOR EACH ROW EXECUTE FUNCTION bulwark_reject_change();
`,
    },
    {
      version: 6,
      name: 'settings',
      sql: `
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);
`,
    },
  ],
};
