import { PageHeader, Empty } from '../ui.tsx';

export function Overview() {
  return <><PageHeader title="Overview" /><Empty title="Not built yet" /></>;
}
