/**
 * A short, actionable description of why a connection failed (for operator-named hosts: ENOTFOUND, ECONNREFUSED,
 * TLS, "did you mean plain HTTP?"). Global fetch hides the cause under `TypeError: fetch failed`; node:http does not.
 */
export function networkCause(error: unknown): string {
  const code = errorCode(error);
  const message = innermost(error)?.message ?? String(error);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name does not resolve (${code})`;
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED): nothing listens on that port';
    case 'ECONNRESET':
      return 'connection reset by the peer (ECONNRESET)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to the host (${code})`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return `TLS handshake failed (${code}): the server does not speak TLS on that port — did you mean plain HTTP (TRUSTGATE_PLAIN_HTTP / --plain-http)?`;
    default:
      if (code !== undefined && /CERT|SELF_SIGNED|TLS|SSL/.test(code)) return `TLS certificate problem (${code}): ${message}`;
      return code === undefined ? message : `${code}: ${message}`;
  }
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function innermost(error: unknown): Error | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && current.cause instanceof Error && depth < 5; depth++) current = current.cause;
  return current instanceof Error ? current : undefined;
}
