import { describe, expect, it } from 'vitest';
import { checkArchitecture } from '../../helpers/architecture.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE = new URL('../../fixtures/architecture/', import.meta.url).pathname;

/**
 * The allowed module edges: a new edge is a visible, reviewed change to this table. `core` and `verdict` (types only,
 * no imports of their own) may be used by everyone; the composition root (`config`) may wire everything.
 */
const BASE = ['shared/core', 'shared/verdict'];
const ALLOWED: Record<string, readonly string[]> = {
  'shared/core': [],
  'shared/verdict': [],
  'shared/pki': [...BASE],
  'shared/truststore': [...BASE],
  'shared/policy': [...BASE, 'shared/pki', 'shared/truststore'],
  'shared/oci': [...BASE],
  'shared/http': [...BASE],
  'shared/events': [...BASE],
  'shared/cache': [...BASE],
  /** The scheme port: types over oci descriptors and the verdict. */
  'shared/scheme': [...BASE, 'shared/oci'],
  'shared/verification-policy': [...BASE],
  /** A scheme knows the port, its own trust formats, and never the registry client, cache or surfaces. */
  'shared/notary': [...BASE, 'shared/scheme', 'shared/pki', 'shared/policy', 'shared/truststore'],
  'shared/dct': [...BASE, 'shared/scheme', 'shared/oci'],
  'shared/cosign': [...BASE, 'shared/scheme', 'shared/oci'],
  /** Metrics and invocation-aware logging: the port and its OpenTelemetry implementation. */
  'shared/telemetry': [...BASE],
  'shared/verification': [
    ...BASE, 'shared/scheme', 'shared/verification-policy', 'shared/oci', 'shared/cache', 'shared/events', 'shared/telemetry',
    // Temporary, Notary-specific leftover: recheck/expiring-certificates scans the Notation trust policy's stores.
    // To go when it becomes scheme-neutral. (on-push asks the schemes which pushes are evidence: no shared/notary.)
    'shared/policy', 'shared/truststore',
  ],
  'shared/admission': [...BASE, 'shared/verification', 'shared/oci'],
  'shared/config': [
    ...BASE, 'shared/admission', 'shared/cache', 'shared/cosign', 'shared/dct', 'shared/events', 'shared/notary', 'shared/oci', 'shared/pki', 'shared/policy',
    'shared/scheme', 'shared/telemetry', 'shared/truststore', 'shared/verification', 'shared/verification-policy',
  ],
  functions: [...BASE, 'shared/admission', 'shared/cache', 'shared/config', 'shared/events', 'shared/http', 'shared/oci', 'shared/telemetry', 'shared/verification'],
  /** pin reuses admission's image extraction; the CLI passes a no-op cache and event publisher (no Azure SDKs). */
  cli: [...BASE, 'shared/admission', 'shared/cache', 'shared/config', 'shared/events', 'shared/oci', 'shared/policy', 'shared/telemetry', 'shared/verification', 'shared/verification-policy'],
  /** The local host serves functions/, so it stands above it. */
  host: [...BASE, 'functions', 'shared/config', 'shared/http'],
};

/** Imports that skip an index on purpose, each with its reason. */
const PAST_INDEX_ALLOWED = [
  // The Key Vault SDKs load only when Key Vault stores are configured (a dynamic import of that one file).
  'shared/config/trust-store-source.ts imports ../truststore/keyvault.js',
  // functions/index.ts registers with the Azure Functions runtime when imported; the local host serves the definitions directly.
  'host/',
];
const FILE_CYCLES_ALLOWED: string[] = [];

describe('dependency direction', () => {
  const report = checkArchitecture(ROOT, ['shared', 'functions', 'cli', 'host'], ALLOWED);

  it('every module edge is in the table', () => {
    expect(report.forbidden).toEqual([]);
  });

  it('a module imports another only through its index.ts', () => {
    expect(report.pastIndex.filter((line) => !PAST_INDEX_ALLOWED.some((allowed) => line.startsWith(allowed)))).toEqual([]);
  });

  it('has no module-level cycles', () => {
    expect(report.moduleCycles).toEqual([]);
  });

  it('has no file-level cycles', () => {
    expect(report.fileCycles.filter((cycle) => !FILE_CYCLES_ALLOWED.includes(cycle))).toEqual([]);
  });

  it('the table lists only modules that exist and only edges between them', () => {
    const modules = new Set(Object.keys(ALLOWED));
    for (const targets of Object.values(ALLOWED)) for (const target of targets) expect(modules).toContain(target);
  });
});

describe('the checker itself (fixture tree with deliberate violations)', () => {
  const report = checkArchitecture(FIXTURE, ['shared'], { 'shared/alpha': ['shared/beta'], 'shared/beta': [], 'shared/gamma': ['shared/beta'] });

  it('reports an edge the table does not allow', () => {
    expect(report.forbidden).toEqual(['shared/beta → shared/gamma (shared/beta/beta.ts imports ../gamma/index.js)']);
  });

  it('reports an import past another module\'s index.ts', () => {
    expect(report.pastIndex).toEqual(['shared/alpha/alpha.ts imports ../beta/internal.js (not shared/beta/index.ts)']);
  });

  it('reports module and file cycles', () => {
    expect(report.moduleCycles).toEqual(['shared/beta → shared/gamma → shared/beta']);
    expect(report.fileCycles).toEqual(['shared/gamma/one.ts → shared/gamma/two.ts → shared/gamma/one.ts']);
  });

  it('passes the same tree once the table allows the edge (the rules, not the tree, decide)', () => {
    const permissive = checkArchitecture(FIXTURE, ['shared'], { 'shared/alpha': ['shared/beta'], 'shared/beta': ['shared/gamma'], 'shared/gamma': ['shared/beta'] });
    expect(permissive.forbidden).toEqual([]);
  });
});
