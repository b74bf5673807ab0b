// Current feature values of an entity: what the strategy's aggregates say about it now.
import { useState } from 'react';
import { Empty } from '../../ui.tsx';
import { ago, num, time } from '../../format.ts';
import type { Persona } from './types.ts';

type Feature = Persona['features'][number];

const isTime = (f: Feature) => /^(first_seen|last_seen)\(/.test(f.signature);

export function featureValue(f: Feature): string {
  if (f.value === null) return '–';
  if (isTime(f)) return f.value > 0 ? ago(f.value) : '–';
  return num(f.value);
}

/** Features with a value first (non-zero, then zero), named before anonymous. */
export function rankFeatures(fs: Feature[]): Feature[] {
  const rank = (f: Feature) => (f.value === null ? 3 : f.value === 0 ? 2 : isTime(f) ? 1 : 0);
  return fs.slice().sort((a, b) => rank(a) - rank(b) || (a.name ?? '~').localeCompare(b.name ?? '~'));
}

export function FeatureTable({ features, limit = 12 }: { features: Feature[]; limit?: number }) {
  const [all, setAll] = useState(false);
  if (features.length === 0) return <Empty title="No features">The live strategy keeps no aggregates keyed by this entity type.</Empty>;
  const sorted = rankFeatures(features);
  const set = sorted.filter((f) => f.value !== null && f.value !== 0);
  const rows = all ? sorted : set.slice(0, limit);
  return (
    <>
      {rows.length === 0 ? (
        <p className="muted small">All {features.length} features are zero: no recent activity in the windows the strategy counts.</p>
      ) : (
        <table className="ec-features">
          <tbody>
            {rows.map((f, i) => (
              <tr key={`${f.signature}-${i}`} title={f.signature}>
                <td className={f.name ? 'mono' : 'mono muted'}>{f.name ?? f.signature}</td>
                <td className={`num ${f.value ? '' : 'muted'}`} title={isTime(f) && f.value ? time(f.value) : undefined}>{featureValue(f)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(sorted.length > rows.length || all) && (
        <button type="button" className="btn small ghost" aria-expanded={all} onClick={() => setAll((a) => !a)}>
          {all ? 'Only non-zero' : `All ${features.length} features`}
        </button>
      )}
    </>
  );
}
