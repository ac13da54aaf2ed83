import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allFunctions } from '../functions/all.js';
import { createServices, loadSettings, setServices } from '../shared/config/index.js';
import { silentLogger, type FetchLike } from '../shared/core/index.js';
import { startLocalHost } from '../host/server.js';

/**
 * One server process of the HTTP admission bench (a node:cluster worker started by admission-http.ts).
 * BENCH_MODE=floor: a minimal node:http server that reads and parses the body and returns a fixed allowed review.
 * BENCH_MODE=app: the local host with the production composition root; its clock runs from BENCH_NOW_MS (the
 * test PKI's instant) at real speed, so tag resolutions and the trust-store look really expire.
 * Reports its port, then answers {stats} with the registry HEADs it sent.
 */
const env = process.env as Record<string, string>;
let heads = 0;
let requests = 0;

async function main(): Promise<number> {
  if (env['BENCH_MODE'] === 'floor') {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request?: { uid?: string } };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request?.uid, allowed: true } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  const base = Number(env['BENCH_NOW_MS']);
  const started = performance.now();
  const clock = { now: () => new Date(base + Math.floor(performance.now() - started)) };
  const counting: FetchLike = (input, init) => {
    requests++;
    if ((init?.method ?? 'GET').toUpperCase() === 'HEAD') heads++;
    return fetch(input, init);
  };
  const services = await createServices(loadSettings(env), { clock, logger: silentLogger, fetch: counting });
  setServices(services);
  const host = await startLocalHost({ definitions: allFunctions, logger: silentLogger, port: 0 });
  return Number(new URL(host.url).port);
}

// A normal exit writes --cpu-prof output (the profile helper relies on it).
process.on('SIGTERM', () => process.exit(0));

main().then(
  (port) => {
    process.on('message', (message: unknown) => {
      if (message === 'stats') process.send?.({ stats: { heads, requests } });
    });
    process.send?.({ port });
  },
  (error: unknown) => {
    process.stderr.write(`bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
