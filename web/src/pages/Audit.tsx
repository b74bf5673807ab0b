import { PageHeader, Empty } from '../ui.tsx';

export function Audit() {
  return <><PageHeader title="Audit" /><Empty title="Not built yet" /></>;
}
