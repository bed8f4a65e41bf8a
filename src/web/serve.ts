/** Starts the HTTP server on a host and port; returns a handle that closes it. */
import { serve } from '@hono/node-server';
import type { Env, Hono } from 'hono';

export interface Server {
  readonly url: string;
  close(): Promise<void>;
}

export function startServer<E extends Env>(app: Hono<E>, port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
    server.on('error', reject);
  });
}
