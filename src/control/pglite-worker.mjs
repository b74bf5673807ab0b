// The embedded control-plane database on its own thread: PGlite runs Postgres as WebAssembly, synchronously, so on
// the decision thread every case intake stalled every request behind it. Plain JS: a worker starts without tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const ROLLBACK = Symbol('rollback');
/** open transactions: id → { t: PGlite transaction, finish(commit), done: Promise } */
const txs = new Map();
let nextTx = 1;
let db;

function reply(id, value) {
  parentPort.postMessage({ id, value });
}

// Driver errors cross the thread as plain fields: callers read `code` (SQLSTATE) and the message.
function replyError(id, err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields = {};
  for (const k of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'position']) if (e[k] !== undefined) fields[k] = e[k];
  parentPort.postMessage({ id, error: { message: e.message, ...fields } });
}

async function handle(m) {
  switch (m.op) {
    case 'query': {
      const target = m.tx ? txs.get(m.tx)?.t : db;
      if (!target) throw new Error(`transaction ${m.tx} is not open`);
      return (await target.query(m.text, m.params)).rows;
    }
    case 'exec': {
      const target = m.tx ? txs.get(m.tx)?.t : db;
      if (!target) throw new Error(`transaction ${m.tx} is not open`);
      await target.exec(m.text);
      return null;
    }
    case 'begin': {
      const tx = nextTx++;
      const entry = { t: null, finish: null, done: null };
      txs.set(tx, entry);
      await new Promise((started, failed) => {
        entry.done = db.transaction((t) => {
          entry.t = t;
          started();
          return new Promise((commit, rollback) => { entry.finish = (ok) => (ok ? commit() : rollback(ROLLBACK)); });
        });
        entry.done.catch((e) => { if (!entry.t) failed(e); });
      });
      return tx;
    }
    case 'end': {
      const entry = txs.get(m.tx);
      if (!entry) throw new Error(`transaction ${m.tx} is not open`);
      txs.delete(m.tx);
      entry.finish(m.commit);
      try {
        await entry.done;
      } catch (e) {
        if (e !== ROLLBACK) throw e;
      }
      return null;
    }
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

try {
  db = await PGlite.create(workerData.dir);
  // One connection, so a session-level search_path holds for every later query.
  if (workerData.schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${workerData.schema}; SET search_path TO ${workerData.schema}`);
  parentPort.on('message', (m) => { handle(m).then((v) => reply(m.id, v), (e) => replyError(m.id, e)); });
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: { message: e instanceof Error ? e.message : String(e) } });
}
