import { createHash } from 'node:crypto';
import type { RepositoryRef } from '../oci/index.js';
import type { EvidenceScheme, SchemeDeps, SchemeFactory, SchemePlan, SchemeRequest, SchemeResult } from '../scheme/index.js';
import type { EvidenceOutcome, Reason } from '../verdict/index.js';
import { canonicalJson } from './canonical-json.js';
import { covers, parseDctConfig, trustServerFor } from './config.js';
import type { DctConfig, DctTrustRoot } from './config.js';
import { DctError, DCT_CODES } from './errors.js';
import { chainFailure, reason, roleOutcomes } from './outcome.js';
import type { OutcomeContext } from './outcome.js';
import type { GunSource } from './role-loader.js';
import { bindsSubject } from './outcome.js';
import { searchTargets } from './target-search.js';
import type { TargetQuery } from './target-search.js';
import { loadTrustChain } from './trust-chain.js';
import { TrustFetcher } from './trust-fetch.js';
import { VersionMemory } from './version-memory.js';

export const DCT_SCHEME = 'dct';

/** The gun Docker and ACR use for an image: `<registry host>/<repository>` (Docker Hub: `docker.io/library/x`). */
export function gunOf(repository: RepositoryRef): string {
  return `${repository.registry}/${repository.repository}`;
}

/** Docker Content Trust (Notary v1 / TUF) behind the scheme port. */
export class DctScheme implements EvidenceScheme {
  readonly name = DCT_SCHEME;
  private readonly fetcher: TrustFetcher;
  private readonly versions = new VersionMemory();
  private readonly fingerprintValue: string;

  constructor(
    private readonly config: DctConfig,
    deps: SchemeDeps,
    rawConfig: unknown,
  ) {
    this.fetcher = new TrustFetcher({ fetch: deps.fetch, clock: deps.clock, timeoutMs: config.timeoutMs, ...(deps.credentials ? { credentials: deps.credentials } : {}) });
    this.fingerprintValue = createHash('sha256').update(canonicalJson(rawConfig)).digest('hex');
  }

  trustRootNames(): readonly string[] {
    return this.config.trustRoots.map((root) => root.name);
  }

  /** The trust servers the configuration names (they may be private or loopback; defaults derived from images may not). */
  egressHosts(): readonly string[] {
    const urls = [...Object.values(this.config.servers), ...this.config.trustRoots.flatMap((root) => (root.server === undefined ? [] : [root.server]))];
    return urls.flatMap((url) => {
      const parsed = new URL(url);
      return [parsed.host, parsed.hostname];
    });
  }

  plan(repository: RepositoryRef): SchemePlan {
    return this.config.trustRoots.some((root) => covers(root, gunOf(repository))) ? { kind: 'verify' } : { kind: 'none' };
  }

  fingerprint(): Promise<string> {
    return Promise.resolve(this.fingerprintValue);
  }

  currentFingerprint(): string {
    return this.fingerprintValue;
  }

  async verify(request: SchemeRequest): Promise<SchemeResult> {
    const gun = gunOf(request.repository);
    const roots = this.config.trustRoots.filter((root) => (request.trustRoots.length === 0 ? covers(root, gun) : request.trustRoots.includes(root.name)));
    const outcomes: EvidenceOutcome[] = [];
    const unreachable: Reason[] = [];
    const sources = new Map<string, GunSource>();
    for (const root of roots) {
      const server = trustServerFor(this.config, root, request.repository.registry);
      let source = sources.get(server.href);
      if (!source) {
        source = { server, gun, fetcher: this.fetcher, versions: this.versions, signal: request.signal, scope: `repository:${request.repository.repository}:pull`, reads: new Map() };
        sources.set(server.href, source);
      }
      const result = await this.verifyUnder(root, source, request);
      if ('unreachable' in result) unreachable.push(result.unreachable);
      else outcomes.push(...result.outcomes);
    }
    return { outcomes, unreachable };
  }

  private async verifyUnder(root: DctTrustRoot, source: GunSource, request: SchemeRequest): Promise<{ outcomes: EvidenceOutcome[] } | { unreachable: Reason }> {
    const context: OutcomeContext = {
      trustRoot: root.name,
      label: request.tag ?? request.subject.digest,
      subject: request.subject,
      requiredRoles: root.requiredRoles,
      gun: source.gun,
      server: source.server.origin,
    };
    const query: TargetQuery = request.tag !== undefined ? { kind: 'tag', tag: request.tag } : { kind: 'digest', matches: (meta) => bindsSubject(meta, request.subject) };
    try {
      const chain = await loadTrustChain(source, root.pinned, request.at);
      const findings = await searchTargets(source, chain, query, request.at);
      return { outcomes: roleOutcomes(context, chain, findings) };
    } catch (error) {
      if (error instanceof DctError && error.kind === 'verification-failed') {
        const role = typeof error.details?.role === 'string' ? error.details.role : error.code === DCT_CODES.noTrustData || error.code === DCT_CODES.wrongRoot ? 'root' : 'targets';
        return { outcomes: [chainFailure(context, role, reason(error))] };
      }
      if (error instanceof DctError) return { unreachable: { code: DCT_CODES.unreachable, message: `${root.name}: ${error.message}` } };
      if (request.signal.aborted) return { unreachable: { code: DCT_CODES.unreachable, message: `${root.name}: verification deadline reached` } };
      throw error;
    }
  }
}

export const dctScheme: SchemeFactory = {
  name: DCT_SCHEME,
  create(config: unknown, deps: SchemeDeps): Promise<EvidenceScheme> {
    return Promise.resolve(new DctScheme(parseDctConfig(config), deps, config));
  },
};
