// Linked entities (shared devices, IPs, cards...) as a small graph around the entity; click a node to open it.
import type React from 'react';
import { Graph, type GraphNode } from '../../graph.tsx';
import { useApi } from '../../hooks.ts';
import { navigate } from '../../router.tsx';
import { Empty, ErrorBox, Loading } from '../../ui.tsx';
import { VERDICT_COLORS } from '../../charts.tsx';
import { entityPath } from '../../format.ts';
import { markPseudonym, type Links } from './types.ts';

const SHAPES: Record<string, NonNullable<GraphNode['shape']>> = {
  Account: 'ellipse', Creator: 'ellipse', Device: 'round-rectangle', Ip: 'diamond', Card: 'hexagon', Email: 'round-tag', Phone: 'round-tag', Address: 'barrel', Content: 'triangle',
};
/** Shared identifiers first: they are what links accounts. */
const TYPE_ORDER = ['Device', 'Ip', 'Card', 'Email', 'Phone', 'Address', 'Account'];
const typeRank = (t: string) => { const i = TYPE_ORDER.indexOf(t); return i < 0 ? TYPE_ORDER.length : i; };
const VERDICT_RANK: Record<string, number> = { block: 4, review: 3, challenge: 2, allow: 1 };

/** A small picture of a node shape for the legend. */
function ShapeIcon({ shape }: { shape: NonNullable<GraphNode['shape']> }) {
  const c = '#7b8594';
  const path: Record<string, React.ReactNode> = {
    ellipse: <circle cx="6" cy="6" r="5" fill={c} />,
    'round-rectangle': <rect x="1" y="1" width="10" height="10" rx="2" fill={c} />,
    diamond: <path d="M6 0 12 6 6 12 0 6z" fill={c} />,
    hexagon: <path d="M3 1h6l3 5-3 5H3L0 6z" fill={c} />,
    triangle: <path d="M6 1 11.5 11H.5z" fill={c} />,
    'round-tag': <path d="M1 2h7l3 4-3 4H1z" fill={c} />,
    barrel: <rect x="1" y="2" width="10" height="8" rx="4" fill={c} />,
  };
  return <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">{path[shape]}</svg>;
}
const NO_VERDICT = '#a3adbb';

export function LinksGraph({ type, id, height = 340 }: { type: string; id: string; height?: number }) {
  const links = useApi<Links>(`/v1/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}/links`);
  if (links.error && links.error.status === 404 && links.error.body.code !== 'unknown_entity_type') {
    return <Empty title="Linked entities are not available">This server has no links endpoint yet (GET /v1/entities/:type/:id/links).</Empty>;
  }
  if (links.error && !links.data) return <ErrorBox error={links.error} retry={links.reload} />;
  if (!links.data) return <Loading what="Finding linked entities" />;
  const { nodes, edges } = links.data;
  const others = nodes.filter((n) => n.hop !== 0);
  if (others.length === 0) {
    return <Empty title="No linked entities">No other entity has appeared in the same events (devices, IPs, cards, e-mails) within the state Bulwark keeps.</Empty>;
  }
  const maxDecisions = Math.max(1, ...nodes.map((n) => n.decisions));
  const gnodes: GraphNode[] = nodes.map((n) => ({
    id: n.id,
    label: n.label || n.id,
    hop: n.hop,
    color: n.verdict ? VERDICT_COLORS[n.verdict] : NO_VERDICT,
    weight: n.decisions / maxDecisions,
    shape: SHAPES[n.type] ?? 'barrel',
  }));
  const types = [...new Set(nodes.map((n) => n.type))].sort((a, b) => typeRank(a) - typeRank(b) || a.localeCompare(b));
  const hop1 = others.filter((n) => n.hop === 1)
    .sort((a, b) => typeRank(a.type) - typeRank(b.type) || (VERDICT_RANK[b.verdict ?? ''] ?? 0) - (VERDICT_RANK[a.verdict ?? ''] ?? 0) || b.decisions - a.decisions);
  return (
    <>
      <Graph nodes={gnodes} edges={edges} height={height} label={`${nodes.length - 1} entities linked to ${type}:${id}`}
        onSelect={(nid) => { if (nodes.find((n) => n.id === nid)?.hop !== 0) navigate(entityPath(markPseudonym(nid))); }} />
      <div className="ec-graph-legend small">
        {(['allow', 'challenge', 'review', 'block'] as const).map((v) => <span key={v}><i style={{ background: VERDICT_COLORS[v] }} />{v}</span>)}
        <span><i style={{ background: NO_VERDICT }} />no decision</span>
        <span className="muted">(worst verdict seen; size = decisions)</span>
      </div>
      <div className="ec-graph-legend small">
        {types.map((t) => <span key={t} className="row" style={{ gap: 4 }}><ShapeIcon shape={SHAPES[t] ?? 'barrel'} />{t} <span className="muted">{nodes.filter((n) => n.type === t).length}</span></span>)}
      </div>
      <div className="ec-linked-list small">
        <span className="muted">Direct links ({hop1.length}): </span>
        {hop1.slice(0, 12).map((n) => (
          <a key={n.id} href={entityPath(markPseudonym(n.id))} onClick={(e) => { e.preventDefault(); navigate(entityPath(markPseudonym(n.id))); }} className="entity" title={`${n.decisions} decisions${n.verdict ? `, worst ${n.verdict}` : ''}`}>
            {n.id}
          </a>
        ))}
        {hop1.length > 12 && <span className="muted">+{hop1.length - 12} more in the graph</span>}
      </div>
    </>
  );
}
