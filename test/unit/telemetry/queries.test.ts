import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../../shared/telemetry/index.js';

// The documented Kusto queries must chart what the code emits: every metric name, and only log events that exist.
const ROOT = new URL('../../../', import.meta.url).pathname;
const queries = readFileSync(join(ROOT, 'infra/monitoring/queries.kql'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(ROOT, dir, f), 'utf8'));
}

describe('infra/monitoring/queries.kql', () => {
  it.each(Object.values(METRIC_NAMES))('charts %s', (name) => {
    expect(queries).toContain(`name == "${name}"`);
  });

  it('queries only log events the code writes', () => {
    const code = [...sources('shared'), ...sources('functions')].join('\n');
    const events = [...queries.matchAll(/message startswith "([a-z._-]+) "/g)].map((m) => m[1] ?? '');
    expect(events.length).toBeGreaterThan(3);
    for (const event of new Set(events)) expect(code, event).toContain(`'${event}'`);
  });
});
