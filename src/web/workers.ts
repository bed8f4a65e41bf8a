/**
 * `vigil serve --workers N`: N processes answer HTTP on one port (node:cluster hands each connection to one of them), each
 * with its own store connection (SQLite readers in WAL mode, or PostgreSQL's pool); the first process answers none and keeps
 * the schedule, the alerts and the page keeper, so writes other than the analysts' stay in one process.
 */
import cluster from 'node:cluster';

/** Set in a worker's environment: the first-run set-up code the first process made, so every worker accepts the same one. */
const SETUP_CODE_ENV = 'VIGIL_WORKER_SETUP_CODE';

export const isWorker = () => cluster.isWorker;

/** Whether this process should fork `n` workers (and answer no HTTP itself). */
export const forksWorkers = (n: number) => n > 1 && cluster.isPrimary;

/** The set-up code in a worker: the first process's. */
export const workerSetupCode = () => process.env[SETUP_CODE_ENV] || null;

/** Forks `n` workers, each forked again if it dies; `listening` is the address the first one listens on; `stop` ends them all. */
export function forkWorkers(n: number, setupCode: string | null): { listening: Promise<string>; stop(): Promise<void> } {
  let stopping = false;
  const env = setupCode ? { [SETUP_CODE_ENV]: setupCode } : {};
  const fork = () => cluster.fork(env).on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`vigil: a web worker ended (${signal ?? code}); starting another\n`);
    fork();
  });
  // Workers asking for port 0 all get the same port: the first to listen tells it.
  const listening = new Promise<string>((resolve) => cluster.once('listening', (_w, a) => resolve(`http://${a.address?.includes(':') ? `[${a.address}]` : a.address}:${a.port}`)));
  for (let i = 0; i < n; i++) fork();
  return {
    listening,
    async stop() {
      stopping = true;
      await Promise.all(Object.values(cluster.workers ?? {}).map((w) => w && new Promise((done) => {
        w.once('exit', done);
        w.kill('SIGTERM');
      })));
    },
  };
}
