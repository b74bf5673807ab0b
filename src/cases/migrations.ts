// The moderation schema (queues, cases, enforcement, strikes, appeals, webhooks, people) as numbered migrations.
import type { MigrationSet } from '../control/index.ts';

export const casesMigrations: MigrationSet = {
  component: 'cases',
  migrations: [
    {
      version: 1,
      name: 'moderation',
      sql: `
CREATE TABLE queues (
  name text PRIMARY KEY,
  description text NOT NULL DEFAULT '',
  kind text NOT NULL DEFAULT 'review' CHECK (kind IN ('review', 'appeal')),
  sla_seconds int NOT NULL DEFAULT 86400 CHECK (sla_seconds > 0),
  severity int NOT NULL DEFAULT 2 CHECK (severity BETWEEN 1 AND 5),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
INSERT INTO queues (name, description, kind, sla_seconds, severity, created_by) VALUES
  ('appeals', 'appeals against enforcement', 'appeal', 172800, 3, 'system'),
  ('escalations', 'cases escalated by a reviewer', 'review', 43200, 4, 'system'),
  ('manual', 'cases opened by hand or through the API', 'review', 86400, 2, 'system');

CREATE TABLE policy_reasons (
  code text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('violation', 'benign')),
  title text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
INSERT INTO policy_reasons (code, kind, title, created_by) VALUES
  ('spam', 'violation', 'Spam and spammy redirection', 'system'),
  ('fake_account', 'violation', 'Fake or mass-registered account', 'system'),
  ('takeover', 'violation', 'Account takeover', 'system'),
  ('fake_engagement', 'violation', 'Fake engagement (likes, follows, views, click farms)', 'system'),
  ('brushing', 'violation', 'Brushing: fake orders and reviews', 'system'),
  ('coupon_abuse', 'violation', 'Coupon and incentive abuse', 'system'),
  ('referral_abuse', 'violation', 'Referral and growth fraud', 'system'),
  ('scalping', 'violation', 'Scalping', 'system'),
  ('scraping', 'violation', 'Scraping and API abuse', 'system'),
  ('gift_fraud', 'violation', 'Live-stream gift fraud', 'system'),
  ('ban_evasion', 'violation', 'Ban evasion by a repeat offender', 'system'),
  ('underage', 'violation', 'Underage user', 'system'),
  ('false_positive', 'benign', 'No violation: the signals were wrong', 'system'),
  ('legitimate_activity', 'benign', 'Unusual but legitimate activity', 'system'),
  ('insufficient_evidence', 'benign', 'Not enough evidence to act', 'system');

-- Repeat offenders: the ladder says which enforcement the n-th active strike of a reason brings.
CREATE TABLE strike_policies (
  reason text PRIMARY KEY REFERENCES policy_reasons (code),
  strike_days int NOT NULL CHECK (strike_days > 0),
  ladder jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);
INSERT INTO strike_policies (reason, strike_days, ladder, updated_by) VALUES
  ('spam', 90, '[{"strikes": 3, "kind": "suspend", "duration_days": 30}, {"strikes": 5, "kind": "ban"}]', 'system'),
  ('fake_engagement', 180, '[{"strikes": 2, "kind": "ban"}]', 'system'),
  ('coupon_abuse', 180, '[{"strikes": 2, "kind": "restrict", "capability": "buy", "duration_days": 90}, {"strikes": 3, "kind": "ban"}]', 'system'),
  ('brushing', 365, '[{"strikes": 2, "kind": "restrict", "capability": "sell", "duration_days": 180}, {"strikes": 3, "kind": "ban"}]', 'system'),
  ('scalping', 180, '[{"strikes": 2, "kind": "restrict", "capability": "buy", "duration_days": 30}]', 'system');

CREATE TABLE cases (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('review', 'appeal')),
  queue text NOT NULL REFERENCES queues (name),
  entity text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'claimed', 'pending_info', 'closed')),
  source text NOT NULL CHECK (source IN ('rule', 'api', 'manual', 'graph', 'appeal')),
  score int NOT NULL DEFAULT 0,
  priority double precision NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  opened_by text NOT NULL,
  due_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  assignee text,
  claimed_at timestamptz,
  outcome text CHECK (outcome IN ('confirmed', 'cleared', 'upheld', 'overturned')),
  reason text REFERENCES policy_reasons (code),
  closed_at timestamptz,
  closed_by text,
  overturned_at timestamptz,
  appeal_of bigint REFERENCES cases (id),
  enforcement_id bigint,
  excluded_reviewer text,
  related jsonb NOT NULL DEFAULT '[]',
  summary text NOT NULL DEFAULT ''
);
-- One open review case per entity: new evidence joins it instead of flooding the queue.
CREATE UNIQUE INDEX cases_one_open_per_entity ON cases (entity) WHERE kind = 'review' AND status <> 'closed';
CREATE INDEX cases_queue_idx ON cases (queue, status, priority DESC);
CREATE INDEX cases_entity_idx ON cases (entity, id);

CREATE TABLE case_evidence (
  id bigserial PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  added_by text NOT NULL,
  source text NOT NULL,
  event_id text,
  event_type text,
  event_ts bigint,
  verdict text,
  score int,
  strategy text,
  queue text,
  rules jsonb NOT NULL DEFAULT '[]',
  note text
);
CREATE UNIQUE INDEX case_evidence_event_idx ON case_evidence (case_id, event_id) WHERE event_id IS NOT NULL;

-- The rules that raised a case (fired with a queue), for per-rule precision.
CREATE TABLE case_rules (
  case_id bigint NOT NULL REFERENCES cases (id),
  rule text NOT NULL,
  PRIMARY KEY (case_id, rule)
);
CREATE INDEX case_rules_rule_idx ON case_rules (rule);

CREATE TABLE case_actions (
  id bigserial PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  reason text,
  note text,
  detail jsonb
);
CREATE INDEX case_actions_case_idx ON case_actions (case_id, id);
CREATE TRIGGER case_actions_append_only BEFORE UPDATE OR DELETE ON case_actions
  FOR EACH ROW EXECUTE FUNCTION bulwark_reject_change();

CREATE TABLE enforcements (
  id bigserial PRIMARY KEY,
  entity text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ban', 'suspend', 'restrict', 'warn', 'remove_content')),
  capability text CHECK (capability IN ('post', 'message', 'buy', 'sell', 'live', 'withdraw')),
  content text,
  reason text NOT NULL REFERENCES policy_reasons (code),
  source text NOT NULL CHECK (source IN ('rule', 'reviewer', 'graph', 'strike_policy', 'api')),
  case_id bigint REFERENCES cases (id),
  strike_id bigint,
  starts_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  lifted_at timestamptz,
  lifted_by text,
  lift_reason text,
  CHECK ((kind = 'restrict') = (capability IS NOT NULL))
);
CREATE INDEX enforcements_entity_idx ON enforcements (entity, id);

CREATE TABLE strikes (
  id bigserial PRIMARY KEY,
  entity text NOT NULL,
  reason text NOT NULL REFERENCES policy_reasons (code),
  case_id bigint REFERENCES cases (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  expires_at timestamptz NOT NULL,
  removed_at timestamptz,
  removed_by text,
  remove_reason text
);
CREATE INDEX strikes_entity_idx ON strikes (entity, id);

-- Ground truth for backtests, evaluation and training: every review outcome, never edited.
CREATE TABLE review_labels (
  id bigserial PRIMARY KEY,
  entity text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('abuse', 'benign')),
  reason text NOT NULL,
  source text NOT NULL CHECK (source IN ('review', 'appeal', 'api')),
  case_id bigint REFERENCES cases (id),
  rules text[] NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL
);
CREATE INDEX review_labels_entity_idx ON review_labels (entity, id);
CREATE TRIGGER review_labels_append_only BEFORE UPDATE OR DELETE ON review_labels
  FOR EACH ROW EXECUTE FUNCTION bulwark_reject_change();

CREATE TABLE webhooks (
  id bigserial PRIMARY KEY,
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
-- A transactional outbox: a delivery row commits with the change it reports, so none is lost.
CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  webhook_id bigint NOT NULL REFERENCES webhooks (id),
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status int,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id),
  at timestamptz NOT NULL DEFAULT now(),
  status int,
  error text,
  duration_ms int NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

CREATE TABLE users (
  username text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('admin', 'analyst', 'reviewer', 'viewer')),
  queues text[],
  password text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  disabled_at timestamptz
);
CREATE TABLE sessions (
  hash text PRIMARY KEY,
  username text NOT NULL REFERENCES users (username),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (username);
`,
    },
  ],
};
