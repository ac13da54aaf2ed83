import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Rewrites the body of a trust-data answer (path → new bytes), or undefined to pass it through. */
export type TrustRewrite = (path: string, body: Buffer) => Buffer | undefined;

export interface NotaryProxy {
  /** `http://127.0.0.1:PORT`: use it as the trust server. */
  url: string;
  /** Every body that passed, by path (to replay old metadata later). */
  seen: Map<string, Buffer>;
  setRewrite(rewrite: TrustRewrite | undefined): void;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a real notary-server that can serve altered or replayed metadata
 * (tampering, rollback) with correct lengths, so the client sees exactly what a hostile server would send.
 */
export async function startNotaryProxy(upstream: string): Promise<NotaryProxy> {
  let rewrite: TrustRewrite | undefined;
  const seen = new Map<string, Buffer>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', upstream);
    const upstreamRequest = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const original = Buffer.concat(chunks);
        const path = target.pathname;
        const body = (answer.statusCode === 200 ? rewrite?.(path, original) : undefined) ?? original;
        if (answer.statusCode === 200 && body === original) seen.set(path, original);
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, headers).end(body);
      });
    });
    upstreamRequest.on('error', () => res.writeHead(502).end());
    req.pipe(upstreamRequest);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    setRewrite(next) {
      rewrite = next;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
