// `bulwark users`: create, list and update console users (roles, queues, passwords) on the control plane.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { openControl } from '../control/index.ts';
import { casesMigrations } from './migrations.ts';
import { ROLES, Users, type Role } from './users.ts';

export const USERS_USAGE = 'bulwark users create --username NAME --role admin|analyst|reviewer|viewer [--queues q1,q2] [--password-stdin] | users list | users update --username NAME [--role R] [--queues q1,q2|all] [--disable|--enable] [--password-stdin]   [--data DIR]';

export interface UsersCliOptions {
  data: string;
  username?: string;
  role?: string;
  queues?: string;
  passwordStdin?: boolean;
  disable?: boolean;
  enable?: boolean;
}

async function readStdin(): Promise<string> {
  let s = '';
  for await (const chunk of process.stdin) s += chunk;
  return s.replace(/\r?\n$/, '');
}

const queuesOf = (q: string | undefined): string[] | null | undefined => (q === undefined ? undefined : q === 'all' ? null : q.split(',').map((x) => x.trim()).filter(Boolean));

/** Returns the exit code. The password comes from stdin, BULWARK_PASSWORD, or is generated and printed once. */
export async function usersCommand(action: string | undefined, o: UsersCliOptions): Promise<number> {
  if (action !== 'create' && action !== 'list' && action !== 'update') { console.error(`usage: ${USERS_USAGE}`); return 2; }
  if (o.role !== undefined && !ROLES.includes(o.role as Role)) { console.error(`--role is one of ${ROLES.join(', ')}`); return 2; }
  if (action !== 'list' && !o.username) { console.error(`users ${action} needs --username`); return 2; }
  const control = await openControl({ dataDir: resolve(o.data), databaseUrl: process.env.BULWARK_DATABASE_URL || undefined, migrations: [casesMigrations] });
  try {
    const users = new Users(control.sql);
    if (action === 'list') {
      for (const u of await users.list()) console.log(JSON.stringify(u));
      return 0;
    }
    let password = o.passwordStdin ? await readStdin() : process.env.BULWARK_PASSWORD;
    let generated = false;
    if (action === 'create' && !password) { password = randomBytes(18).toString('base64url'); generated = true; }
    if (action === 'create') {
      if (!o.role) { console.error('users create needs --role'); return 2; }
      const u = await users.create({ username: o.username!, role: o.role as Role, password: password!, queues: queuesOf(o.queues) ?? null, actor: 'cli' });
      console.error(`created ${u.role} ${u.username}${u.queues ? ` (queues ${u.queues.join(', ')})` : ''}`);
      if (generated) console.log(password);
    } else {
      const u = await users.update(o.username!, { role: o.role as Role | undefined, queues: queuesOf(o.queues), disabled: o.disable ? true : o.enable ? false : undefined, password: password || undefined, actor: 'cli' });
      console.error(`updated ${u.username}: ${u.role}${u.disabled_at ? ', disabled' : ''}`);
    }
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  } finally {
    await control.close();
  }
}
