import { describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/all.js';
import document from '../../functions/openapi.json' with { type: 'json' };

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
