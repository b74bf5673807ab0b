// Score distribution over time as a heatmap: one column per time bucket, one row per score bin.
// A row keeps its score's colour (green for low scores, red for high ones); how strongly a cell is
// filled is the share of that bucket's decisions that fell in the bin, so a thin stream of high
// scores stays visible next to the mass of zero-score traffic.
import { memo, useMemo, useState, type MouseEvent } from 'react';
import { num, pct } from '../../format.ts';
import { scoreColor } from './colors.ts';

export interface HeatmapProps { ts: number[]; bucketMs: number; edges: number[]; counts: number[][]; height?: number }

function binLabel(edges: number[], i: number): string {
  const lo = edges[i]!;
  const hi = edges[i + 1];
  return hi === undefined ? `≥ ${lo}` : `${lo}–${hi}`;
}

function clock(ts: number, withDay: boolean): string {
  const d = new Date(ts);
  // The same clock as the uPlot axes next to it: 4:20pm.
  const hm = d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' }).replace(' ', '').toLowerCase();
  return withDay ? `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${hm}` : hm;
}

export function ScoreHeatmap({ ts, bucketMs, edges, counts, height = 200 }: HeatmapProps) {
  const [hover, setHover] = useState<{ col: number; row: number; x: number; y: number; flip: boolean } | null>(null);
  const cols = ts.length;
  const rows = counts.length;
  const totals = useMemo(() => ts.map((_, c) => counts.reduce((s, bin) => s + (bin[c] ?? 0), 0)), [ts, counts]);
  if (cols === 0 || rows === 0) return null;
  const spanMs = cols * bucketMs;
  const withDay = spanMs > 12 * 3_600_000;
  const ticks = 5;
  const tickIdx = Array.from({ length: ticks }, (_, k) => Math.round((k / (ticks - 1)) * (cols - 1)));

  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const col = Math.min(cols - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * cols)));
    const row = Math.min(rows - 1, Math.max(0, rows - 1 - Math.floor(((e.clientY - r.top) / r.height) * rows)));
    setHover({ col, row, x: e.clientX - r.left, y: e.clientY - r.top, flip: e.clientX - r.left > r.width * 0.6 });
  };

  const h = hover;
  const hCount = h ? counts[h.row]![h.col] ?? 0 : 0;
  const hTotal = h ? totals[h.col]! : 0;

  return (
    <div className="heatmap">
      <div className="heatmap-y" style={{ height }} aria-hidden="true">
        {counts.map((_, i) => <span key={i} style={{ bottom: `${((i + 0.5) / rows) * 100}%` }}>{binLabel(edges, i)}</span>)}
      </div>
      <div className="heatmap-plot">
        <svg
          width="100%" height={height} viewBox={`0 0 ${cols} ${rows}`} preserveAspectRatio="none" role="img"
          aria-label="Score distribution over time" onMouseMove={onMove} onMouseLeave={() => setHover(null)}
        >
          <rect x={0} y={0} width={cols} height={rows} fill="#f8fafc" />
          <Cells counts={counts} totals={totals} />
          {h && <rect x={h.col} y={rows - 1 - h.row} width={1} height={1} fill="none" stroke="#1f2430" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />}
        </svg>
        <div className="heatmap-x" aria-hidden="true">
          {tickIdx.map((c, k) => (
            <span key={k} style={{ left: `${((c + 0.5) / cols) * 100}%`, transform: k === 0 ? 'none' : k === ticks - 1 ? 'translateX(-100%)' : 'translateX(-50%)' }}>{clock(ts[c]!, withDay)}</span>
          ))}
        </div>
        {h && (
          <div className={`heatmap-tip ${h.flip ? 'flip' : ''}`} style={{ left: h.x, top: h.y }}>
            <strong>{clock(ts[h.col]!, withDay)}</strong> · score {binLabel(edges, h.row)}<br />
            {hTotal ? `${num(hCount)} of ${num(hTotal)} decisions (${pct(hCount / hTotal)})` : 'no decisions'}
          </div>
        )}
      </div>
    </div>
  );
}

// The cells re-render only when the data changes, not on every mouse move.
const Cells = memo(function Cells({ counts, totals }: { counts: number[][]; totals: number[] }) {
  const rows = counts.length;
  return (
    <g>
      {counts.map((bin, row) => bin.map((n, col) => {
        const t = totals[col]!;
        if (!n || !t) return null;
        const share = n / t;
        return <rect key={`${row}:${col}`} x={col} y={rows - 1 - row} width={1.02} height={1.02} fill={scoreColor(row, rows)} fillOpacity={0.12 + 0.88 * Math.sqrt(share)} />;
      }))}
    </g>
  );
});

/** The colour key: score bins from green to red. */
export function ScoreLegend({ edges }: { edges: number[] }) {
  return (
    <div className="score-legend" aria-hidden="true">
      <span className="muted small">{edges[0]}</span>
      {edges.map((_, i) => <span key={i} className="swatch" style={{ background: scoreColor(i, edges.length) }} title={binLabel(edges, i)} />)}
      <span className="muted small">{edges[edges.length - 1]}+</span>
    </div>
  );
}
