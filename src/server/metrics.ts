// Prometheus metrics in text exposition format: counters and a latency histogram, cheap enough for the hot path.

const BUCKETS_MS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000];

export class Metrics {
  readonly verdicts = new Map<string, number>();
  readonly rejections = new Map<string, number>();
  readonly ruleHits = new Map<string, number>();
  readonly requests = new Map<string, number>();
  private readonly buckets = new Float64Array(BUCKETS_MS.length + 1);
  private latencySum = 0;
  private latencyCount = 0;

  inc(m: Map<string, number>, key: string, by = 1): void { m.set(key, (m.get(key) ?? 0) + by); }

  observeLatency(ms: number): void {
    let i = 0;
    while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]!) i++;
    this.buckets[i]!++;
    this.latencySum += ms;
    this.latencyCount++;
  }

  render(gauges: Record<string, { help: string; value: number }>): string {
    const out: string[] = [];
    const counter = (name: string, help: string, label: string, m: Map<string, number>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [k, v] of [...m].sort()) out.push(`${name}{${label}="${escapeLabel(k)}"} ${v}`);
    };
    counter('bulwark_decisions_total', 'Decisions returned, by verdict.', 'verdict', this.verdicts);
    counter('bulwark_rejections_total', 'Events rejected, by error code.', 'code', this.rejections);
    counter('bulwark_rule_hits_total', 'Rule hits in live decisions, by rule.', 'rule', this.ruleHits);
    counter('bulwark_http_requests_total', 'HTTP requests, by route and status.', 'route', this.requests);
    out.push('# HELP bulwark_decide_latency_ms Time from request to durable decision.', '# TYPE bulwark_decide_latency_ms histogram');
    let cum = 0;
    BUCKETS_MS.forEach((b, i) => { cum += this.buckets[i]!; out.push(`bulwark_decide_latency_ms_bucket{le="${b}"} ${cum}`); });
    cum += this.buckets[BUCKETS_MS.length]!;
    out.push(`bulwark_decide_latency_ms_bucket{le="+Inf"} ${cum}`, `bulwark_decide_latency_ms_sum ${this.latencySum}`, `bulwark_decide_latency_ms_count ${this.latencyCount}`);
    for (const [name, g] of Object.entries(gauges)) out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.value}`);
    return out.join('\n') + '\n';
  }
}

function escapeLabel(s: string): string { return s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n'); }
