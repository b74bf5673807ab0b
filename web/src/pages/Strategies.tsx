import { PageHeader, Empty } from '../ui.tsx';

export function Strategies() {
  return <><PageHeader title="Strategies" /><Empty title="Not built yet" /></>;
}
