/** Starts a throwaway PostgreSQL cluster on loopback for the tests that run the store on both engines. */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';

export interface PgCluster {
  readonly url: string;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder (Debian puts it under /usr/lib/postgresql/N/bin), or null. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-pg-'));
  const data = path.join(dir, 'data');
  // initdb refuses to run as root: run the server as the postgres user when we are root.
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asUser.length > 0) execFileSync('chown', ['postgres', dir]);
  const run = (cmd: string, args: string[]) => execFileSync(asUser[0] ?? cmd, asUser.length > 0 ? [...asUser.slice(1), cmd, ...args] : args, { stdio: 'pipe' });
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'vigil', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const args = ['-D', data, '-k', dir, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const server = spawn(asUser[0] ?? path.join(bin, 'postgres'), asUser.length > 0 ? [...asUser.slice(1), path.join(bin, 'postgres'), ...args] : args, { stdio: 'ignore' });
  const url = `postgres://vigil@127.0.0.1:${port}/postgres`;
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      // The server must not keep the test process alive, and must stop with it: pg_ctl stops the real postmaster.
      server.unref();
      return {
        url,
        stop: () => {
          try {
            run(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate']);
          } catch {
            server.kill('SIGKILL');
          }
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  server.kill('SIGKILL');
  throw new Error('PostgreSQL did not become ready');
}

/**
 * For a test file: where to open a fresh store on each engine. PostgreSQL gets a throwaway cluster (started on first use,
 * stopped after the file) and a new database per call.
 */
export function storeEngines(): Record<'sqlite' | 'postgres', () => Promise<string>> {
  let cluster: PgCluster | undefined;
  after(() => cluster?.stop());
  return {
    sqlite: async () => ':memory:',
    postgres: async () => {
      cluster ??= await startPgCluster();
      const name = `vigil_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      return cluster.url.replace(/\/postgres$/, `/${name}`);
    },
  };
}
