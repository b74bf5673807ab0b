// Arithmetic built-ins: abs, min, max, round, floor.
import { T } from '../types.ts';
import { register } from './registry.ts';

const num = [{ name: 'x', bases: ['number' as const] }];
const two = [{ name: 'a', bases: ['number' as const, 'duration' as const] }, { name: 'b', bases: ['number' as const, 'duration' as const] }];

export const abs = register({ name: 'abs', params: num, returns: () => T.number, impl: (x: number) => Math.abs(x), doc: 'Absolute value.', example: 'abs(amount - (mean(order.amount by account over 30d) ?? amount)) > 500' });
export const round = register({ name: 'round', params: num, returns: () => T.number, impl: (x: number) => Math.round(x), doc: 'Nearest integer.', example: 'round(amount) == amount' });
export const floor = register({ name: 'floor', params: num, returns: () => T.number, impl: (x: number) => Math.floor(x), doc: 'Largest integer not above x.', example: 'floor((watch_ms ?? 0) / 1000) < 2' });
export const least = register({ name: 'min', params: two, returns: (a) => ({ ...a[0]!, nullable: false }), impl: (a: number, b: number) => Math.min(a, b), doc: 'The smaller of two numbers (or durations).', example: 'min(60, count(login by account where not success over 10m) * 5)' });
export const greatest = register({ name: 'max', params: two, returns: (a) => ({ ...a[0]!, nullable: false }), impl: (a: number, b: number) => Math.max(a, b), doc: 'The larger of two numbers (or durations).', example: 'max(quantity, 1)' });
