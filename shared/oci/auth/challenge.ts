import { RegistryError } from '../errors.js';

/** A parsed `WWW-Authenticate` challenge (RFC 7235 §4.1) of the schemes registries use. */
export type AuthChallenge =
  | { scheme: 'basic'; realm?: string }
  | { scheme: 'bearer'; realm: string; service?: string; scope?: string };

const MAX_HEADER_LENGTH = 4096;

/**
 * Parses the challenge a registry sends with 401 (Docker token spec, "How to authenticate").
 * Bearer needs an absolute http(s) `realm`; the first Basic or Bearer challenge in the header wins.
 * Throws ERR_AUTH_CHALLENGE for anything malformed.
 */
export function parseChallenge(header: string | null): AuthChallenge {
  if (!header || header.length > MAX_HEADER_LENGTH) throw malformed('missing or oversized WWW-Authenticate header');
  const match = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s*(.*)$/s.exec(header);
  if (!match) throw malformed('no auth scheme');
  const scheme = (match[1] ?? '').toLowerCase();
  const params = parseParams(match[2] ?? '');
  if (scheme === 'basic') return { scheme: 'basic', ...(params.realm === undefined ? {} : { realm: params.realm }) };
  if (scheme !== 'bearer') throw malformed(`unsupported auth scheme ${scheme}`);
  const realm = params.realm;
  if (realm === undefined || !isHttpUrl(realm)) throw malformed('bearer challenge without an absolute http(s) realm');
  return {
    scheme: 'bearer',
    realm,
    ...(params.service === undefined ? {} : { service: params.service }),
    ...(params.scope === undefined ? {} : { scope: params.scope }),
  };
}

/** `key="quoted \" value", key2=token, ...` → map (lowercase keys; a later challenge's params are ignored). */
function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const pair = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*/.exec(rest);
    if (!pair) {
      // A following challenge ("Basic realm=..., Bearer ...") or garbage: stop at what we understood.
      if (Object.keys(params).length === 0 && rest.trim().length > 0) throw malformed('malformed auth parameters');
      break;
    }
    rest = rest.slice(pair[0].length);
    const key = (pair[1] ?? '').toLowerCase();
    let value: string;
    if (rest.startsWith('"')) {
      const quoted = /^"((?:[^"\\]|\\.)*)"/s.exec(rest);
      if (!quoted) throw malformed('unterminated quoted string');
      value = (quoted[1] ?? '').replace(/\\(.)/gs, '$1');
      rest = rest.slice(quoted[0].length);
    } else {
      const token = /^[^\s,"]*/.exec(rest)?.[0] ?? '';
      value = token;
      rest = rest.slice(token.length);
    }
    params[key] ??= value;
    const separator = /^\s*,?\s*/.exec(rest)?.[0] ?? '';
    rest = rest.slice(separator.length);
  }
  return params;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function malformed(why: string): RegistryError {
  return new RegistryError('ERR_AUTH_CHALLENGE', 'inconclusive', `registry sent an unusable auth challenge: ${why}`);
}
