import { PageHeader, Empty } from '../ui.tsx';

export function EntitySearch() {
  return <><PageHeader title="Entities" /><Empty title="Not built yet" /></>;
}

export function EntityPage({ type, id }: { type: string; id: string }) {
  return <><PageHeader title={`${type}:${id}`} /><Empty title="Not built yet" /></>;
}
