// The `bulwark` command line.
import { parseArgs } from 'node:util';
import { checkCommand, fmtCommand, testCommand } from './strategy-commands.ts';
import { replayCommand } from './replay.ts';
import { keysCommand, serveCommand } from './serve.ts';
import { usersCommand, USERS_USAGE } from '../cases/cli.ts';
import { backtestCommand } from './backtest.ts';
import { exportCommand } from './export.ts';
import { simCommand } from './sim.ts';
import { evalCommand } from './eval.ts';
import { graphCommand } from './graph.ts';
import { modelCommand } from './model.ts';

interface Command {
  summary: string;
  usage: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number> | number;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'run the decision service (HTTP API) on a data directory',
    usage: 'bulwark serve [--data DIR] [--port N] [--host H] [--strategy DIR] [--durability fsync|buffered] [--snapshot-seconds N]',
    options: {
      data: { type: 'string', default: process.env.BULWARK_DATA ?? 'data' },
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      strategy: { type: 'string', default: 'strategies' },
      durability: { type: 'string', default: 'fsync' },
      'snapshot-seconds': { type: 'string', default: '60' },
      'body-limit': { type: 'string', default: String(1 << 20) },
      'keep-raw-personal-data': { type: 'boolean' },
    },
    run: (v) => {
      const durability = v.durability as string;
      if (durability !== 'fsync' && durability !== 'buffered') { console.error('--durability is fsync (default: a decision is returned once it is on disk) or buffered (faster; a crash can lose the last ~200 ms)'); return 2; }
      for (const f of ['port', 'snapshot-seconds', 'body-limit']) {
        if (!/^\d+$/.test(String(v[f]))) { console.error(`--${f} must be a whole number, found '${v[f]}'`); return 2; }
      }
      return serveCommand({ data: v.data as string, port: Number(v.port), host: v.host as string, strategy: v.strategy as string, durability, snapshotSeconds: Number(v['snapshot-seconds']), bodyLimit: Number(v['body-limit']), keepRaw: v['keep-raw-personal-data'] === true });
    },
  },
  keys: {
    summary: 'create, list or revoke API keys (with the service stopped when the control plane is embedded)',
    usage: 'bulwark keys create --scope ingest,read,admin [--name NAME] | keys list | keys revoke --id ID   [--data DIR]',
    options: { data: { type: 'string', default: process.env.BULWARK_DATA ?? 'data' }, name: { type: 'string' }, scope: { type: 'string' }, id: { type: 'string' } },
    run: (v, p) => keysCommand(p[0], { data: v.data as string, name: v.name as string | undefined, scope: v.scope as string | undefined, id: v.id as string | undefined }),
  },
  users: {
    summary: 'create, list or update console users and their roles (admin, analyst, reviewer, viewer)',
    usage: USERS_USAGE,
    options: { data: { type: 'string', default: process.env.BULWARK_DATA ?? 'data' }, username: { type: 'string' }, role: { type: 'string' }, queues: { type: 'string' }, 'password-stdin': { type: 'boolean' }, disable: { type: 'boolean' }, enable: { type: 'boolean' } },
    run: (v, p) => usersCommand(p[0], { data: v.data as string, username: v.username as string | undefined, role: v.role as string | undefined, queues: v.queues as string | undefined, passwordStdin: v['password-stdin'] === true, disable: v.disable === true, enable: v.enable === true }),
  },
  check: {
    summary: 'type-check a strategy directory and print every error with file:line:col',
    usage: 'bulwark check [DIR]   (default: strategies/)',
    run: (_v, p) => checkCommand(p[0] ?? 'strategies'),
  },
  test: {
    summary: 'run the strategy tests (test "..." blocks) of a directory',
    usage: 'bulwark test [DIR]   (default: strategies/)',
    run: (_v, p) => testCommand(p[0] ?? 'strategies'),
  },
  fmt: {
    summary: 'format strategy sources in the canonical layout',
    usage: 'bulwark fmt [--write | --check] PATH...   (prints to stdout unless --write or --check)',
    options: { write: { type: 'boolean', short: 'w' }, check: { type: 'boolean' } },
    run: (v, p) => fmtCommand(p.length ? p : ['strategies'], v.write ? 'write' : v.check ? 'check' : 'print'),
  },
  replay: {
    summary: 'decide every event of an NDJSON file on fresh state; write one decision per line',
    usage: 'bulwark replay --events FILE --out FILE [--strategy DIR]',
    options: { events: { type: 'string' }, out: { type: 'string' }, strategy: { type: 'string', default: 'strategies' } },
    run: (v) => {
      if (!v.events || !v.out) { console.error('replay needs --events FILE and --out FILE'); return 2; }
      const s = replayCommand({ strategy: v.strategy as string, events: v.events as string, out: v.out as string });
      if (!s) return 1;
      console.log(`replayed ${s.events} events in ${s.seconds}s (${s.events_per_sec}/s): ${Object.entries(s.verdicts).map(([k, n]) => `${k} ${n}`).join(', ')}, rejected ${s.rejected}`);
      return 0;
    },
  },
  backtest: backtestCommand,
  export: exportCommand,
  sim: simCommand,
  eval: evalCommand,
  graph: graphCommand,
  model: modelCommand,
};

export function registerCommand(name: string, c: Command): void { COMMANDS[name] = c; }

function help(): void {
  console.log('bulwark — real-time risk decisions, strategies and moderation\n\nUsage: bulwark <command> [options]\n\nCommands:');
  for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(10)} ${c.summary}`);
  console.log('\nRun bulwark <command> --help for the options of a command.');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { help(); return name ? 0 : 2; }
  const cmd = COMMANDS[name];
  if (!cmd) { console.error(`unknown command '${name}'`); help(); return 2; }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...(cmd.options ?? {}), help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: ${cmd.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(`${cmd.summary}\n\nusage: ${cmd.usage}`);
    for (const [o, spec] of Object.entries(cmd.options ?? {})) console.log(`  --${o}${spec.type === 'string' ? ' VALUE' : ''}${spec.default !== undefined ? ` (default ${spec.default})` : ''}`);
    return 0;
  }
  return cmd.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
}
