import { PageHeader, Empty } from '../ui.tsx';

export function Admin() {
  return <><PageHeader title="Admin" /><Empty title="Not built yet" /></>;
}
