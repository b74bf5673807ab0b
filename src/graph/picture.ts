// Draws one detected group as an SVG: member accounts on a circle, the identifiers and targets they share around
// it, and every link the graph holds between them (for docs and for reviewers' case attachments).
import type { GraphFeed } from './feed.ts';
import type { GraphGroup } from './organised.ts';

const COLOURS: Record<string, string> = {
  account: '#d94841', device: '#3b6fb6', card: '#2e8b57', address: '#8e5bb5', email: '#e08a1e', ip: '#6b7b8c',
  coupon: '#c2185b', seller: '#00838f', content: '#5d4037', creator: '#d94841', prefix: '#9aa5b1',
};

export function groupPicture(feed: GraphFeed, group: GraphGroup, options: { width?: number; identifierTypes?: string[] } = {}): string {
  const W = options.width ?? 900;
  const types = options.identifierTypes ?? ['device', 'card', 'address', 'email', 'coupon'];
  const accounts = group.accounts;
  // identifiers linked to two or more members, found from the members' links
  const shared = new Map<string, { type: string; id: string; members: number[] }>();
  const links: [number, string][] = [];
  const view = feed.graph.toBipartite('account', types, { hubs: 'keep' });
  const rowOf = new Map<string, number>();
  for (let r = 0; r < view.graph.rows; r++) rowOf.set(view.row(r).id, r);
  accounts.forEach((a, i) => {
    const r = rowOf.get(a);
    if (r === undefined) return;
    for (let e = view.graph.rowOffsets[r]!; e < view.graph.rowOffsets[r + 1]!; e++) {
      const col = view.col(view.graph.rowTargets[e]!);
      const key = `${col.type}:${col.id}`;
      let s = shared.get(key);
      if (!s) shared.set(key, (s = { type: col.type, id: col.id, members: [] }));
      s.members.push(i);
      links.push([i, key]);
    }
  });
  const ids = [...shared.entries()].filter(([, s]) => s.members.length >= 2).sort((x, y) => (x[1].type < y[1].type ? -1 : x[1].type > y[1].type ? 1 : y[1].members.length - x[1].members.length));
  const cx = W / 2, cy = W / 2 + 30, rIn = W * 0.22, rOut = W * 0.38;
  const accPos = accounts.map((_, i) => polar(cx, cy, rIn, i / accounts.length));
  const idPos = new Map(ids.map(([k], j) => [k, polar(cx, cy, rOut, (j + 0.5) / ids.length)]));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W + 80}" viewBox="0 0 ${W} ${W + 80}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="20" y="30" font-size="18" font-weight="bold">${esc(`${group.kind} · ${group.size} accounts · score ${group.score} · ${group.detector}`)}</text>`);
  out.push(`<text x="20" y="52" font-size="12" fill="#444">${esc(wrap(group.explanation, 140)[0]!)}</text>`);
  const more = wrap(group.explanation, 140).slice(1, 3);
  more.forEach((line, i) => out.push(`<text x="20" y="${68 + 14 * i}" font-size="12" fill="#444">${esc(line)}</text>`));
  for (const [i, key] of links) {
    const p = idPos.get(key);
    if (!p) continue;
    const a = accPos[i]!;
    out.push(`<line x1="${a[0].toFixed(1)}" y1="${a[1].toFixed(1)}" x2="${p[0].toFixed(1)}" y2="${p[1].toFixed(1)}" stroke="${COLOURS[shared.get(key)!.type] ?? '#999'}" stroke-opacity="0.45" stroke-width="1.2"/>`);
  }
  for (const [key, s] of ids) {
    const p = idPos.get(key)!;
    const r = 6 + Math.min(14, s.members.length);
    out.push(`<rect x="${(p[0] - r).toFixed(1)}" y="${(p[1] - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" rx="3" fill="${COLOURS[s.type] ?? '#999'}"><title>${esc(`${key} (${s.members.length} members)`)}</title></rect>`);
    const label = s.type === 'coupon' ? s.id : `${s.type} ${s.id.length > 14 ? `${s.id.slice(0, 12)}…` : s.id}`;
    const [lx, ly] = polar(cx, cy, rOut + r + 14, (ids.findIndex(([k]) => k === key) + 0.5) / ids.length);
    out.push(`<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" font-size="11" text-anchor="middle" fill="#222">${esc(label)} (${s.members.length})</text>`);
  }
  accounts.forEach((a, i) => {
    const [x, y] = accPos[i]!;
    out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="7" fill="${COLOURS.account}" stroke="#fff" stroke-width="1.5"><title>${esc(`account ${a}`)}</title></circle>`);
    const [lx, ly] = polar(cx, cy, rIn - 22, i / accounts.length);
    out.push(`<text x="${lx.toFixed(1)}" y="${(ly + 3).toFixed(1)}" font-size="9" text-anchor="middle" fill="#555">${esc(a)}</text>`);
  });
  const legend = ['account', ...new Set(ids.map(([, s]) => s.type))];
  legend.forEach((t, i) => {
    out.push(`<rect x="${20 + i * 110}" y="${W + 50}" width="12" height="12" fill="${COLOURS[t] ?? '#999'}"/><text x="${38 + i * 110}" y="${W + 61}" font-size="12">${esc(t)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function polar(cx: number, cy: number, r: number, frac: number): [number, number] {
  const a = frac * 2 * Math.PI - Math.PI / 2;
  return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
}

function wrap(s: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(' ')) {
    if ((line + ' ' + w).trim().length > width) { out.push(line.trim()); line = w; } else line += ` ${w}`;
  }
  if (line.trim()) out.push(line.trim());
  return out;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
