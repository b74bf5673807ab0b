// Scores detected groups against simulator ground truth: precision and recall of group members per campaign kind.
import type { GraphGroup, OrganisedKind } from './organised.ts';

/** The campaign kind each detector is accountable for. */
export const DETECTOR_KINDS: { name: GraphGroup['detector']; kind: Exclude<OrganisedKind, 'linked_ring'> }[] = [
  { name: 'engagement-lockstep', kind: 'click_farm' },
  { name: 'seller-rings', kind: 'brushing' },
  { name: 'coupon-households', kind: 'coupon_abuse' },
  { name: 'ban-evasion', kind: 'ban_evasion' },
];

export interface DetectorScore {
  name: string;
  kind: string;
  precision: number;
  recall: number;
  groups: number;
  /** accounts the detector put in groups */
  flagged: number;
  /** of those, attacker accounts of the kind */
  correct: number;
  /** attacker accounts of the kind in the labels */
  labelled: number;
  /** flagged accounts that are attackers of another kind (not counted as correct) */
  otherAttackers: number;
}

/**
 * `attackers` maps account id → campaign kind for every account labelled role "attacker" (an account in two
 * campaigns keeps both kinds). Precision: flagged members that are attackers of the detector's kind; recall: the
 * kind's attacker accounts that were flagged.
 */
export function scoreGroups(groups: GraphGroup[], attackers: Map<string, Set<string>>): DetectorScore[] {
  return DETECTOR_KINDS.map(({ name, kind }) => {
    const flagged = new Set<string>();
    let n = 0;
    for (const g of groups) if (g.detector === name) { n++; for (const a of g.accounts) flagged.add(a); }
    let correct = 0, other = 0, labelled = 0;
    for (const a of flagged) {
      const k = attackers.get(a);
      if (k?.has(kind)) correct++;
      else if (k) other++;
    }
    for (const k of attackers.values()) if (k.has(kind)) labelled++;
    return {
      name, kind, groups: n, flagged: flagged.size, correct, labelled, otherAttackers: other,
      precision: flagged.size === 0 ? 0 : round4(correct / flagged.size),
      recall: labelled === 0 ? 0 : round4(correct / labelled),
    };
  });
}

/** Reads entity labels (`{"entity":"account:…","kind","role"}` lines) into account → kinds for attackers. */
export function attackerAccounts(labelLines: Iterable<Record<string, unknown>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const l of labelLines) {
    const e = l['entity'];
    if (typeof e !== 'string' || !e.startsWith('account:') || l['role'] !== 'attacker' || typeof l['kind'] !== 'string') continue;
    const id = e.slice('account:'.length);
    let s = out.get(id);
    if (!s) out.set(id, (s = new Set()));
    s.add(l['kind']);
  }
  return out;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
