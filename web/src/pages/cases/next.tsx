// "Next case": claim the most urgent case the reviewer may work (optionally in one queue) and open it.
import { useState } from 'react';
import { post } from '../../api.ts';
import { useAction } from '../../hooks.ts';
import { navigate } from '../../router.tsx';
import { Button, Kbd } from '../../ui.tsx';
import type { Case } from '../entities/types.ts';

/**
 * A review key pressed between "Next case" and the case page showing up (a fast reviewer, or a test) is kept
 * here for the case page to pick up, for a few seconds at most.
 */
let earlyKey: string | null = null;
let disarm: (() => void) | null = null;
function armEarlyKeys(): void {
  disarm?.();
  earlyKey = null;
  const l = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    if (['c', 'x', 'e', 'i'].includes(e.key) && earlyKey === null) earlyKey = e.key;
  };
  window.addEventListener('keydown', l);
  const timer = setTimeout(() => disarm?.(), 5000);
  disarm = () => { window.removeEventListener('keydown', l); clearTimeout(timer); disarm = null; };
}
/** The review key pressed while the case page was on its way, if any (once). */
export function takeEarlyKey(): string | null {
  const k = earlyKey;
  earlyKey = null;
  disarm?.();
  return k;
}

export function useNextCase() {
  const [none, setNone] = useState<string | null>(null);
  const act = useAction(async (queue?: string) => {
    setNone(null);
    const r = await post<{ case: Case } | null>('/v1/cases/next', queue ? { queue } : {});
    // The most urgent case may be the one on screen (an escalated case ranks high): the page reloads it instead.
    if (r && r.case) { armEarlyKeys(); navigate(`/cases/${r.case.id}`); }
    else setNone(queue ? `No case is waiting in ${queue}.` : 'No case is waiting in the queues you work.');
    return r;
  });
  return { next: act.run, pending: act.pending, error: act.error, none, clearNone: () => setNone(null) };
}

/** The primary "Next case" button with its keyboard hint (the hint is hidden from the accessible name). */
export function NextCaseButton({ onClick, pending, variant = 'primary' }: { onClick: () => void; pending: boolean; variant?: 'primary' | 'default' }) {
  return (
    <Button variant={variant} pending={pending} onClick={onClick} aria-keyshortcuts="n" title="Claim the most urgent case you may work (n)">
      Next case<span aria-hidden="true" className="ec-kbd-hint"><Kbd>n</Kbd></span>
    </Button>
  );
}
