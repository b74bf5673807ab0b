import { PageHeader, Empty } from '../ui.tsx';

export function Lists() {
  return <><PageHeader title="Lists" /><Empty title="Not built yet" /></>;
}
