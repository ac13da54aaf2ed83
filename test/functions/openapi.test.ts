import { describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/all.js';
import document from '../../functions/openapi.json' with { type: 'json' };
import { toEvidenceOutcome } from '../../shared/notary/index.js';
import type { EvidenceOutcome, Verdict } from '../../shared/verdict/index.js';

describe('OpenAPI document', () => {
  const paths = document.paths as Record<string, Record<string, unknown>>;
  const httpFunctions = allFunctions.filter((f) => f.kind === 'http');

  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it.each(httpFunctions.map((f) => [f.name, f] as const))('describes the %s function with each of its methods', (_name, definition) => {
    const path = `/api/${definition.route.replace('{key?}', '{key}').replace(/\/\{key\}$/, (m) => m)}`;
    const entry = paths[path] ?? paths[path.replace(/\/\{key\}$/, '')];
    expect(entry, `no path for /api/${definition.route}`).toBeDefined();
    for (const method of definition.methods) expect(entry?.[method.toLowerCase()]).toBeDefined();
  });

  it('describes nothing that is not served', () => {
    const served = httpFunctions.map((f) => `/api/${f.route.replace('{key?}', '{key}')}`);
    for (const path of Object.keys(paths)) expect(served).toContain(path);
  });

  it('is what GET /api/openapi.json serves', async () => {
    const openapi = allFunctions.find((f) => f.name === 'openapi');
    if (openapi?.kind !== 'http') throw new Error('openapi function missing');
    const response = (await openapi.handler({} as never, {} as never)) as { jsonBody: unknown };
    expect(response.jsonBody).toEqual(document);
  });

  describe('verdict version 2 (format-neutral evidence)', () => {
    const schemas = document.components.schemas as Record<string, { required?: string[]; properties: Record<string, unknown> }>;

    it('names the verdict version and describes evidence, not Notary signatures', () => {
      expect((document.info as Record<string, unknown>)['x-verdict-version']).toBe('2');
      expect(schemas['Verdict']?.required).toContain('evidence');
      expect(Object.keys(schemas['Verdict']?.properties ?? {})).not.toContain('signatures');
      expect(schemas['SignatureOutcome']).toBeUndefined();
    });

    it('lists every field of the EvidenceOutcome and Verdict types', () => {
      const outcome: Required<EvidenceOutcome> = {
        ...toEvidenceOutcome({ envelopeMediaType: 'application/jose+json', level: 'strict', ok: true, checks: [], signatureDigest: 'sha256:0', signingTime: 'x', expiresAt: 'x', signer: { subject: 's', issuer: 'i', thumbprints: [], notBefore: 'x', notAfter: 'x' } }, 'app'),
        error: { code: 'ERR_X', message: 'x' },
      } as Required<EvidenceOutcome>;
      expect(Object.keys(schemas['EvidenceOutcome']?.properties ?? {}).sort()).toEqual(Object.keys(outcome).sort());
      const verdict: Required<Verdict> = { subject: { reference: 'r' }, decision: 'allow', policy: { name: 'p' }, evidence: [], reasons: [], verifiedAt: 'x', expiresAt: 'x' };
      expect(Object.keys(schemas['Verdict']?.properties ?? {}).sort()).toEqual(Object.keys(verdict).sort());
    });
  });
});

describe('OpenAPI matches what is served', () => {
  const text = JSON.stringify(document);

  it('names no fixed local port (the document is served wherever the app runs)', () => {
    expect(text).not.toContain('7071');
    expect(document.servers?.[0]?.url).toBe('/');
  });

  it('declares the admission key as a path parameter, never a query key', () => {
    for (const [path, entry] of Object.entries(document.paths as Record<string, { post?: { parameters?: Array<{ name: string; in: string }> } }>)) {
      if (!path.endsWith('{key}')) continue;
      expect(entry.post?.parameters).toContainEqual(expect.objectContaining({ name: 'key', in: 'path' }));
    }
    expect(text).not.toMatch(/"in":"query","name":"\(secret/);
  });

  it('documents every code the verdicts endpoint answers with', () => {
    expect(text).toContain('ERR_INVALID_SUBJECT');
  });
});
