// Shared fixtures for language and engine tests: the starter catalogue plus a strategy under test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CATALOGUE = readFileSync(fileURLToPath(new URL('../../strategies/catalogue.bw', import.meta.url)), 'utf8');

export function withCatalogue(src: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'catalogue.bw': CATALOGUE, 'main.bw': src, ...extra };
}
