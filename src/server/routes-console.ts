// Routes the web console needs beyond the public API: the live overview, checking strategy sources as
// they are typed, finding an entity by id across types, and the entities linked to one through shared events.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { checkStrategy } from '../lang/index.ts';
import { Activity, RANGES, type Range } from './activity.ts';
import { errorJson, type DecisionService } from './service.ts';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const VERDICT_RANK: Record<string, number> = { allow: 0, challenge: 1, review: 2, block: 3 };
const MAX_LINK_NODES = 60;

export interface LinkGraph {
  nodes: { id: string; type: string; label: string; hop: number; verdict: string | null; decisions: number }[];
  edges: { source: string; target: string; weight: number }[];
}

export function registerConsoleRoutes(app: FastifyInstance, svc: DecisionService, hooks: { read: Hook }): Activity {
  const activity = new Activity();
  svc.onDecision((_ev, d) => activity.record(d));
  const { read } = hooks;

  app.get('/v1/console/overview', { onRequest: read, schema: { querystring: Type.Object({ range: Type.Optional(Type.Union(Object.keys(RANGES).map((r) => Type.Literal(r)))) }) } }, async (req) => {
    const range = ((req.query as { range?: Range }).range ?? '1h') as Range;
    return { ...activity.series(range), strategy: svc.engine.plan.version, shadows: svc.engine.shadowPlans.map((p) => p.version) };
  });

  // Checks sources without storing anything: the editor calls it as the analyst types.
  app.post('/v1/strategies/check', { onRequest: read, bodyLimit: 8 << 20, schema: { body: Type.Object({ files: Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 4 << 20 }), { maxProperties: 500 }) }) } }, async (req) => {
    const files = (req.body as { files: Record<string, string> }).files;
    const r = checkStrategy(files, (await svc.strategyModels()) ?? new Map());
    const c = r.checked;
    return {
      ok: r.errors.length === 0,
      errors: r.errors.map(errorJson),
      summary: { entities: c.entities.size, events: c.events.size, features: c.features.size, aggregates: c.aggregates.length, rules: c.rules.length, tests: c.tests.length },
    };
  });

  // Which entity types know this id: state (features, labels, signals) or recent decisions.
  app.get('/v1/entities', { onRequest: read, schema: { querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 512, pattern: '\\S' }) }) } }, async (req) => {
    const q = (req.query as { q: string }).q.trim();
    const matches: { entity: string; type: string; id: string; features: number; decisions: number }[] = [];
    for (const type of svc.engine.plan.checked.entities.keys()) {
      const sid = svc.stateId(type, q);
      const p = svc.engine.persona(type, sid);
      const features = p.features.filter((f) => f.value !== null && f.value !== 0).length;
      const decisions = svc.recentCount(`${type}:${sid}`);
      if (features === 0 && decisions === 0 && p.labels.length === 0) continue;
      matches.push({ entity: `${type}:${q}`, type, id: q, features, decisions });
    }
    matches.sort((a, b) => b.decisions - a.decisions || b.features - a.features);
    return { matches };
  });

  app.get('/v1/entities/:type/:id/links', { onRequest: read, schema: { params: Type.Object({ type: Type.String({ maxLength: 100 }), id: Type.String({ maxLength: 512 }) }) } }, async (req) => {
    const { type, id } = req.params as { type: string; id: string };
    return linkGraph(svc, type, id);
  });

  return activity;
}

/**
 * Entities seen in the same events as this one (hop 1), and the entities those share events with (hop 2),
 * from each entity's recent decisions. Personal entities appear by pseudonym, as "Type:~pseudonym".
 */
export function linkGraph(svc: DecisionService, type: string, id: string): LinkGraph {
  const centre = `${type}:${svc.stateId(type, id)}`;
  const nodes = new Map<string, LinkGraph['nodes'][number]>();
  const edges = new Map<string, LinkGraph['edges'][number]>();
  const addNode = (key: string, hop: number) => {
    if (nodes.has(key)) return nodes.get(key)!;
    const i = key.indexOf(':');
    const n = { id: key, type: key.slice(0, i), label: key.slice(i + 1), hop, verdict: null as string | null, decisions: 0 };
    nodes.set(key, n);
    return n;
  };
  const seen = new Set<string>(); // event ids already walked: an event shared by two expanded nodes adds its edges once
  const visit = (key: string, walk: boolean, hop: number) => {
    const node = nodes.get(key)!;
    for (const { event, decision } of svc.recentRecords(key)) {
      node.decisions++;
      if (node.verdict === null || VERDICT_RANK[decision.verdict]! > VERDICT_RANK[node.verdict]!) node.verdict = decision.verdict;
      if (!walk || seen.has(event.id)) continue;
      seen.add(event.id);
      for (const other of svc.eventEntities(event)) {
        if (other === key) continue;
        if (!nodes.has(other)) {
          if (nodes.size >= MAX_LINK_NODES) continue;
          addNode(other, hop + 1);
        }
        // Edges join entities of the same event; the walked one and each other entity in it.
        const [a, b] = key < other ? [key, other] : [other, key];
        const ek = `${a}\n${b}`;
        const e = edges.get(ek);
        if (e) e.weight++;
        else edges.set(ek, { source: a, target: b, weight: 1 });
      }
    }
  };
  addNode(centre, 0);
  visit(centre, true, 0);
  for (const n of [...nodes.values()]) if (n.hop === 1) visit(n.id, true, 1);
  // Second-hop nodes get their own verdict and decision count, not their neighbours.
  for (const n of nodes.values()) if (n.hop === 2) visit(n.id, false, 2);
  // Personal entities are named by their pseudonym, marked "~" as cases name them (GET /v1/entities/Ip/~p_… finds them).
  const entities = svc.engine.plan.checked.entities;
  const shown = (key: string) => {
    const i = key.indexOf(':');
    return entities.get(key.slice(0, i))?.personal && svc.pseudonymise ? `${key.slice(0, i)}:~${key.slice(i + 1)}` : key;
  };
  return {
    nodes: [...nodes.values()].map((n) => ({ ...n, id: shown(n.id), label: shown(n.id).slice(n.type.length + 1) })),
    edges: [...edges.values()].map((e) => ({ ...e, source: shown(e.source), target: shown(e.target) })),
  };
}
