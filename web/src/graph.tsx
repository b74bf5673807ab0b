// A small node-link graph on cytoscape.js: rings around a centre node (by hop), coloured nodes, click to open one.
import { useEffect, useRef } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';

export interface GraphNode {
  id: string;
  label: string;
  /** Fill colour (a CSS colour). */
  color?: string;
  /** Distance from the centre: 0 is the centre, drawn larger with a dark ring. */
  hop?: number;
  /** Relative size, 0..1 (e.g. how many decisions the node has). */
  weight?: number;
  /** Shape by kind, e.g. one per entity type. */
  shape?: 'ellipse' | 'round-rectangle' | 'diamond' | 'hexagon' | 'triangle' | 'round-tag' | 'barrel';
}
export interface GraphEdge { source: string; target: string; weight?: number }

/**
 * Draws `nodes` and `edges`; `onSelect(id)` fires on a click (tap) on a node. Panning is on, wheel zoom off
 * (so the page scrolls); the view refits when the container resizes. `label` names the picture for screen readers.
 */
export function Graph({ nodes, edges, height = 360, onSelect, label }: { nodes: GraphNode[]; edges: GraphEdge[]; height?: number; onSelect?: (id: string) => void; label?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const key = JSON.stringify([nodes.map((n) => [n.id, n.color, n.hop, n.label]), edges.map((e) => [e.source, e.target, e.weight])]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ids = new Set(nodes.map((n) => n.id));
    const maxW = Math.max(1, ...edges.map((e) => e.weight ?? 1));
    const elements: ElementDefinition[] = [
      ...nodes.map((n) => ({
        data: { id: n.id, label: n.label, color: n.color ?? '#94a3b8', hop: n.hop ?? 1, size: (n.hop === 0 ? 34 : 18) + Math.round((n.weight ?? 0) * 14), shape: n.shape ?? 'ellipse' },
        classes: [n.hop === 0 ? 'center' : n.hop === 2 ? 'far' : '', nodes.length > 25 && (n.hop ?? 1) >= 2 ? 'quiet' : ''].join(' '),
      })),
      ...edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target).map((e, i) => ({
        data: { id: `e${i}`, source: e.source, target: e.target, w: 1 + ((e.weight ?? 1) / maxW) * 3 },
      })),
    ];
    const cy = cytoscape({
      container: el,
      elements,
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: false,
      minZoom: 0.3,
      maxZoom: 2.5,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(color)', width: 'data(size)', height: 'data(size)', shape: 'data(shape)' as never,
            label: 'data(label)', 'font-size': 10, color: '#374151', 'text-valign': 'bottom', 'text-margin-y': 4,
            'text-wrap': 'ellipsis', 'text-max-width': '120px', 'border-width': 1.5, 'border-color': '#ffffff',
            'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': '1px',
          },
        },
        { selector: 'node.center', style: { 'border-width': 4, 'border-color': '#1f2430', 'font-weight': 'bold', 'font-size': 11, 'z-index': 10 } },
        { selector: 'node.far', style: { opacity: 0.8 } },
        { selector: 'node.quiet', style: { label: '' } },
        { selector: 'node.quiet.hover', style: { label: 'data(label)', 'z-index': 20 } },
        { selector: 'node:active, node.hover', style: { 'overlay-opacity': 0.12, 'overlay-color': '#2a6df4', 'border-color': '#2a6df4', 'border-width': 3 } },
        { selector: 'edge', style: { width: 'data(w)', 'line-color': '#cbd2dc', 'curve-style': 'haystack', opacity: 0.9 } },
        { selector: 'edge.hover', style: { 'line-color': '#2a6df4' } },
      ],
      layout: {
        name: 'concentric',
        concentric: (n: cytoscape.NodeSingular) => 3 - Number(n.data('hop')),
        levelWidth: () => 1,
        minNodeSpacing: 22,
        padding: 24,
        animate: false,
      } as cytoscape.LayoutOptions,
    });
    // Rings by hop give the starting positions; a force layout from there shows which neighbours cluster together.
    if (nodes.length > 12) {
      cy.layout({
        name: 'cose', randomize: false, animate: false, fit: true, padding: 24, numIter: 1500,
        nodeRepulsion: () => 9000, idealEdgeLength: () => 55, edgeElasticity: () => 80, gravity: 0.6, nodeOverlap: 8, componentSpacing: 60,
      } as cytoscape.LayoutOptions).run();
    }
    cy.on('tap', 'node', (e) => onSelectRef.current?.(e.target.id()));
    cy.on('mouseover', 'node', (e) => { el.style.cursor = onSelectRef.current ? 'pointer' : 'default'; e.target.addClass('hover'); e.target.connectedEdges().addClass('hover'); });
    cy.on('mouseout', 'node', (e) => { el.style.cursor = ''; e.target.removeClass('hover'); e.target.connectedEdges().removeClass('hover'); });
    cyRef.current = cy;
    const ro = new ResizeObserver(() => { cy.resize(); cy.fit(undefined, 24); });
    ro.observe(el);
    return () => { ro.disconnect(); cy.destroy(); cyRef.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return (
    <div className="graph-wrap" style={{ position: 'relative' }}>
      <div ref={ref} className="graph" style={{ height, width: '100%', background: 'radial-gradient(circle at center, #fbfcfd, #f3f5f8)', borderRadius: 6 }} role="img" aria-label={label ?? 'graph'} />
      <button type="button" className="btn small ghost" style={{ position: 'absolute', top: 6, right: 6 }} onClick={() => cyRef.current?.fit(undefined, 24)} title="Fit the graph to the frame">Reset view</button>
    </div>
  );
}
