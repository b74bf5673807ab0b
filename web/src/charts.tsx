// Charts on uPlot: a time-series chart (lines or stacked areas) and a sparkline. Both size to their container.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const VERDICT_COLORS: Record<string, string> = { allow: '#3aa76d', challenge: '#e0a526', review: '#3b82f6', block: '#dc4c4c' };
const PALETTE = ['#2a6df4', '#dc4c4c', '#3aa76d', '#e0a526', '#8b5cf6', '#0ea5a4', '#f97316', '#64748b'];

export interface Series { label: string; values: (number | null)[]; color?: string }

function useResizingPlot(make: (width: number) => uPlot | null, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let plot = make(Math.max(100, el.clientWidth));
    if (plot) el.appendChild(plot.root);
    const ro = new ResizeObserver(() => { if (plot && el.clientWidth > 0) plot.setSize({ width: el.clientWidth, height: plot.height }); });
    ro.observe(el);
    return () => { ro.disconnect(); plot?.destroy(); plot = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}

/**
 * Time series over `ts` (epoch ms). `stacked` draws cumulative filled bands (a verdict mix),
 * otherwise lines. `yFormat` formats the axis (e.g. per-second rates).
 */
export function TimeChart({ ts, series, height = 220, stacked = false, yFormat, label }: { ts: number[]; series: Series[]; height?: number; stacked?: boolean; yFormat?: (v: number) => string; label?: string }) {
  const key = JSON.stringify([ts.length, ts[0], ts[ts.length - 1], series.map((s) => [s.label, s.values.length, s.values[s.values.length - 1]]), stacked, height]);
  const ref = useResizingPlot((width) => {
    const xs = ts.map((t) => t / 1000);
    let ys = series.map((s) => s.values);
    if (stacked) {
      const acc = new Array<number>(xs.length).fill(0);
      ys = series.map((s) => s.values.map((v, i) => (v === null ? null : (acc[i] = acc[i]! + v))));
    }
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [{ stroke: '#6b7280', grid: { stroke: '#eef0f3' } }, { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 56, values: yFormat ? (_u, vals) => vals.map((v) => yFormat(v)) : undefined }],
      series: [{}, ...series.map((s, i) => {
        const c = s.color ?? PALETTE[i % PALETTE.length]!;
        return { label: s.label, stroke: c, width: 1.5, fill: stacked ? c + '55' : undefined, points: { show: false }, value: stacked ? (_u: uPlot, _v: number, _si: number, idx: number | null) => (idx === null ? '–' : String(s.values[idx] ?? '–')) : undefined };
      })],
    };
    // Stacked bands: draw from the top series down so each fill shows its own band.
    if (stacked) opts.bands = series.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number] }));
    return new uPlot(opts, [xs, ...ys] as uPlot.AlignedData, undefined as unknown as HTMLElement);
  }, [key]);
  return <div className="chart" ref={ref} aria-label={label} role="img" />;
}

/** A tiny line with no axes, for tables (per-rule hits over time). */
export function Sparkline({ values, color = '#2a6df4', width = 120, height = 28 }: { values: number[]; color?: string; width?: number; height?: number }) {
  const max = Math.max(1, ...values);
  const n = values.length;
  if (n < 2) return <svg width={width} height={height} className="sparkline" aria-hidden="true" />;
  const pts = values.map((v, i) => `${((i / (n - 1)) * (width - 2) + 1).toFixed(1)},${(height - 1 - (v / max) * (height - 3)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} className="sparkline" viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline points={`1,${height - 1} ${pts} ${width - 1},${height - 1}`} fill={color + '22'} stroke="none" />
      <polyline points={pts} fill="none" stroke={color} strokeWidth="1.5" />
    </svg>
  );
}

/** An x/y line chart (curves such as ROC and precision-recall); x and y in [0,1] unless given. */
export function XYChart({ x, series, height = 240, xLabel, yLabel, diagonal = false }: { x: number[]; series: Series[]; height?: number; xLabel: string; yLabel: string; diagonal?: boolean }) {
  const key = JSON.stringify([x.length, x[0], x[x.length - 1], series.map((s) => [s.label, s.values.length]), height]);
  const ref = useResizingPlot((width) => {
    const all = diagonal ? [...series, { label: 'chance', values: x, color: '#9ca3af' }] : series;
    const opts: uPlot.Options = {
      width, height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [{ label: xLabel, stroke: '#6b7280', grid: { stroke: '#eef0f3' } }, { label: yLabel, stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 48 }],
      series: [{ label: xLabel }, ...all.map((s, i) => ({ label: s.label, stroke: s.color ?? PALETTE[i % PALETTE.length]!, width: s.label === 'chance' ? 1 : 2, dash: s.label === 'chance' ? [4, 4] : undefined, points: { show: false } }))],
    };
    return new uPlot(opts, [x, ...all.map((s) => s.values)] as uPlot.AlignedData, undefined as unknown as HTMLElement);
  }, [key]);
  return <div className="chart" ref={ref} role="img" aria-label={`${yLabel} against ${xLabel}`} />;
}

/** Horizontal bars with labels: importance, drift per input. */
export function Bars({ items, format = (v) => v.toFixed(3), color = '#2a6df4', max }: { items: { label: string; value: number; color?: string }[]; format?: (v: number) => string; color?: string; max?: number }) {
  const top = max ?? Math.max(1e-12, ...items.map((i) => i.value));
  return (
    <div className="bars">
      {items.map((i) => (
        <div className="bar-row" key={i.label}>
          <span className="bar-label" title={i.label}>{i.label}</span>
          <span className="bar-track"><span className="bar-fill" style={{ width: `${Math.min(100, (i.value / top) * 100)}%`, background: i.color ?? color }} /></span>
          <span className="bar-value">{format(i.value)}</span>
        </div>
      ))}
    </div>
  );
}
