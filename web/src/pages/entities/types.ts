// Shapes of the entity, enforcement and case endpoints these pages read (see docs/api.md, src/cases/moderation.ts).
import type { Decision, Verdict } from '../../api.ts';

export interface Persona {
  entity: string;
  state_id: string;
  features: { name: string | null; signature: string; value: number | null }[];
  labels: { label: string; expires_at: number | null }[];
  signals: { name: string; value: number; updated_at?: number | string | null; source?: string | null; [k: string]: unknown }[];
  /** linked(account, "...") measures when the engine keeps its link graph, else null */
  linked?: Record<string, number | null> | null;
  lists: string[];
  decisions: Decision[];
  label_history: { id: number; entity: string; label: string; action: 'set' | 'clear'; expires_at: string | null; at: string; actor: string; reason: string }[];
}

export type EnforcementKind = 'ban' | 'suspend' | 'restrict' | 'warn' | 'remove_content';

export interface Enforcement {
  id: number; entity: string; kind: EnforcementKind; capability: string | null; content: string | null; reason: string;
  source: string; case_id: number | null; strike_id: number | null; starts_at: string; expires_at: string | null;
  created_at: string; created_by: string; lifted_at: string | null; lifted_by: string | null; lift_reason: string | null;
}
export interface Enforcements { entity: string; active: Enforcement[]; history: Enforcement[] }

export interface Strike {
  id: number; entity: string; reason: string; case_id: number | null; created_at: string; created_by: string;
  expires_at: string; removed_at: string | null; removed_by: string | null; remove_reason: string | null;
}
export interface Strikes { entity: string; active: Strike[]; history: Strike[] }

export interface LinkNode { id: string; type: string; label: string; hop: number; verdict: Verdict | null; decisions: number }
export interface Links { nodes: LinkNode[]; edges: { source: string; target: string; weight: number }[] }

export interface EntityMatch { entity: string; type: string; id: string; features: number; decisions: number }

export type CaseStatus = 'open' | 'claimed' | 'pending_info' | 'closed';
export interface Case {
  id: number; kind: 'review' | 'appeal'; queue: string; entity: string; status: CaseStatus; source: string;
  score: number; priority: number; opened_at: string; opened_by: string; due_at: string; updated_at: string;
  assignee: string | null; claimed_at: string | null; outcome: 'confirmed' | 'cleared' | 'upheld' | 'overturned' | null;
  reason: string | null; closed_at: string | null; closed_by: string | null; overturned_at: string | null;
  appeal_of: number | null; enforcement_id: number | null; excluded_reviewer: string | null; related: string[]; summary: string;
}

/** One enforcement in words: "ban", "suspend (30d)", "restrict buy". */
export function enforcementText(e: Pick<Enforcement, 'kind' | 'capability' | 'content' | 'starts_at' | 'expires_at'>): string {
  let s: string = e.kind;
  if (e.kind === 'restrict' && e.capability) s += ` ${e.capability}`;
  if (e.kind === 'remove_content' && e.content) s += ` ${e.content}`;
  return s;
}

const PSEUDONYM = /^~?p_[A-Za-z0-9_-]{22}$/;

/**
 * A personal entity (IP, e-mail, phone...) as Bulwark names it: only by its pseudonym, "Ip:~p_…" in cases
 * and "Ip:p_…" in the links graph. There is no raw value to look up.
 */
export const isPseudonym = (entity: string): boolean => {
  const id = entity.slice(entity.indexOf(':') + 1);
  return id.startsWith('~') || PSEUDONYM.test(id);
};

/** The entity with a pseudonym marked by "~" (as cases name personal entities), so its page can ask for it as such. */
export const markPseudonym = (entity: string): string => {
  const i = entity.indexOf(':');
  const id = entity.slice(i + 1);
  return PSEUDONYM.test(id) && !id.startsWith('~') ? `${entity.slice(0, i)}:~${id}` : entity;
};
