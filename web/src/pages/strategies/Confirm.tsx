// A confirmation for actions that change what live traffic gets (promote, roll back, stop a shadow).
// In-page rather than window.confirm, so it reads like the console and tests can press its buttons.
import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from '../../ui.tsx';

export interface ConfirmRequest { title: string; body: ReactNode; /** What confirming does, as a tooltip on the Confirm button. */ action: string; danger?: boolean; run: () => Promise<unknown> }

export function ConfirmDialog({ request, pending, onCancel, onConfirm }: { request: ConfirmRequest; pending: boolean; onCancel: () => void; onConfirm: () => void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onCancel(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="bw-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onCancel(); }}>
      <div className="bw-modal" role="alertdialog" aria-modal="true" aria-labelledby="bw-confirm-title" aria-describedby="bw-confirm-body">
        <h2 id="bw-confirm-title">{request.title}</h2>
        <div id="bw-confirm-body" className="bw-modal-body">{request.body}</div>
        <div className="row bw-modal-actions">
          <span className="spacer" />
          <Button onClick={onCancel} disabled={pending}>Cancel</Button>
          <button ref={confirmRef} className={`btn ${request.danger ? 'danger' : 'primary'}`} disabled={pending} onClick={onConfirm} title={request.action}>
            {pending && <span className="spinner small" aria-hidden="true" />}
            Confirm
          </button>
        </div>
      </div>
    </div>
  );
}
