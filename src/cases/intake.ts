// Which entity a rule-raised case is about, and which other entities of the event it names.
import type { Decision } from '../engine/index.ts';
import type { EventInfo, PreparedEvent } from '../lang/index.ts';

export interface CaseSubject {
  entity: string;
  /** Other entities the event names; personal ones carry their pseudonym (marked with "~"). */
  related: string[];
}

/**
 * The case is about the event's `account` when it is an entity field; otherwise the first non-personal
 * entity field in declaration order (personal fields arrive pseudonymised and could not be enforced on).
 * Null when the event names no such entity: the decision is logged and no case opens.
 */
export function caseSubject(info: EventInfo | undefined, ev: PreparedEvent): CaseSubject | null {
  if (!info) return null;
  const fields = [...info.fields.values()].filter((f) => f.type.entity && typeof ev[f.name] === 'string' && ev[f.name] !== '');
  const main = fields.find((f) => f.name === 'account' && !f.type.personal) ?? fields.find((f) => !f.type.personal);
  if (!main) return null;
  const entity = `${main.type.entity}:${ev[main.name] as string}`;
  const related = [...new Set(fields.filter((f) => f !== main).map((f) => `${f.type.entity}:${f.type.personal ? '~' : ''}${ev[f.name] as string}`))].filter((e) => e !== entity);
  return { entity, related };
}

/** The rule hits that raise a case (fired with a queue clause) and the queue the case goes to: the first named. */
export function raisingRules(d: Decision): { queue: string; rules: Decision['rules'] } | null {
  const rules = d.rules.filter((r) => r.queue !== null);
  if (rules.length === 0) return null;
  return { queue: rules[0]!.queue!, rules };
}
