import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to requests whose path matches `match` (default: every request). */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'oversized'; bytes: number }
  | { kind: 'reset' };

export interface FaultProxy {
  /** `127.0.0.1:PORT`: use it as the registry host in references. */
  host: string;
  setFault(fault: Fault, match?: RegExp): void;
  /** Requests seen, as `METHOD path`. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a real registry that injects faults (5xx, 429, slow, hanging, oversized
 * bodies, connection resets), so tests can prove each one ends inconclusive and never allowed.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let fault: Fault = { kind: 'pass' };
  let match: RegExp | undefined;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const active = !match || match.test(req.url ?? '') ? fault : { kind: 'pass' as const };
    handle(active, upstream, req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    setFault(next, pattern) {
      fault = next;
      match = pattern;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function handle(fault: Fault, upstream: string, req: IncomingMessage, res: ServerResponse): void {
  switch (fault.kind) {
    case 'pass':
      return forward(upstream, req, res);
    case 'status':
      res.writeHead(fault.status, fault.headers ?? { 'content-type': 'application/json' });
      res.end(fault.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
      return;
    case 'slow':
      setTimeout(() => forward(upstream, req, res), fault.delayMs);
      return;
    case 'hang':
      return; // never answers; the client's timeout must fire
    case 'oversized': {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < fault.bytes) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = fault.bytes));
      pump();
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
  }
}

function forward(upstream: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://${upstream}`);
  const outgoing = httpRequest(url, { method: req.method, headers: { ...req.headers, host: upstream } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  outgoing.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(outgoing);
}
