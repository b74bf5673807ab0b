import { PageHeader, Empty } from '../ui.tsx';

export function CaseList() {
  return <><PageHeader title="Cases" /><Empty title="Not built yet" /></>;
}

export function CasePage({ id }: { id: string }) {
  return <><PageHeader title={`Case ${id}`} /><Empty title="Not built yet" /></>;
}
