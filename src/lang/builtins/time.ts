// Time built-ins: hour_of_day, and conversions of durations to numbers.
import { T } from '../types.ts';
import { register } from './registry.ts';

const dur = [{ name: 'd', bases: ['duration' as const] }];
export const hourOfDay = register({ name: 'hour_of_day', params: [{ name: 't', bases: ['timestamp'] }], returns: () => T.number, impl: (t: number) => Math.floor(t / 3_600_000) % 24, doc: 'Hour of day (0–23, UTC) of a timestamp.', example: 'hour_of_day(now) < 5' });
export const minutes = register({ name: 'minutes', params: dur, returns: () => T.number, impl: (d: number) => d / 60_000, doc: 'A duration in minutes.', example: 'minutes(age(signup by account) ?? 0s) < 10' });
export const hours = register({ name: 'hours', params: dur, returns: () => T.number, impl: (d: number) => d / 3_600_000, doc: 'A duration in hours.', example: 'hours(now - (last_seen(login by account) ?? now)) > 720' });
export const days = register({ name: 'days', params: dur, returns: () => T.number, impl: (d: number) => d / 86_400_000, doc: 'A duration in days.', example: 'days(age(login by account) ?? 0s) > 365' });
