import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Root of the copied conformance fixtures (see test/fixtures/pki/ATTRIBUTION.md). */
export const PKI_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'pki');

export function fixture(path: string): Buffer {
  return readFileSync(join(PKI_FIXTURES, path));
}

export function vectors<T>(name: string): T {
  return JSON.parse(fixture(join('vectors', name)).toString('utf8')) as T;
}
