import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { makeGatekeeperHandler } from '../../functions/gatekeeper.js';
import type { ProviderResponse } from '../../shared/admission/index.js';
import { fixedClock } from '../../shared/core/index.js';
import { PKI_NOW } from '../helpers/pki/index.js';
import { FakeVerificationService } from '../unit/admission/fake-verification.js';
import { bodyOf, context, webhookRequest } from '../unit/admission/webhook-request.js';
import { OLD_TEMPLATE_REGO } from './fixtures/old-template-rego.js';
import {
  classify, harnessRego, imagesOf, ok, podReview, podTemplateReview, review, type Finding, type ProviderBehaviour, type RegoCase,
} from './gatekeeper-cases.js';
import { embeddableRego, startOpa, type OpaSession } from './opa-engine.js';

// The ConstraintTemplate's Rego evaluated by OPA (v0.47, WebAssembly) against Gatekeeper's external_data semantics.
// One engine start and one evaluation per Rego module (fixed template and the old one), ~10-20 s each on these machines.
const ENGINE_TIMEOUT = 240_000;
const TEMPLATE = new URL('../../infra/k8s/gatekeeper/template.yaml', import.meta.url);
const POLICY = new URL('../../infra/policy/trustgate-verification.json', import.meta.url);
const KEY = 'gk-0123456789abcdef0123456789abcdef';

function templateRego(): string {
  const template = parseAllDocuments(readFileSync(TEMPLATE, 'utf8'))[0]?.toJS() as { spec: { targets: Array<{ rego: string }> } };
  const rego = template.spec.targets[0]?.rego;
  if (rego === undefined) throw new Error('template.yaml has no Rego');
  return rego;
}

/** trustgate's own answer (the real Gatekeeper handler over a fake verification service) as Gatekeeper passes it on. */
async function capturedProvider(keys: string[], statusCode: number): Promise<ProviderBehaviour> {
  const handler = makeGatekeeperHandler({ verification: new FakeVerificationService(), settings: { pathKey: KEY }, clock: fixedClock(PKI_NOW) }, 'verify');
  const body = JSON.stringify({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys } });
  const response = await handler(webhookRequest('v1/gatekeeper/verify', body, { key: KEY }), context('gatekeeper-verify'));
  const answer = bodyOf<ProviderResponse>(response).response;
  const answers: Record<string, { value: unknown } | { error: string }> = {};
  // Gatekeeper files an item under errors when its error is non-empty, else under responses.
  for (const item of answer.items) answers[item.key] = item.error ? { error: item.error } : { value: item.value };
  return { mode: 'answer', answers, status_code: statusCode, system_error: answer.systemError ?? '' };
}

const allOk = (images: string[], statusCode: number): ProviderBehaviour =>
  ({ mode: 'answer', answers: Object.fromEntries(images.map((i) => [i, ok(i)])), status_code: statusCode, system_error: '' });

interface TableRow { case: RegoCase; keys: string[]; findings: Finding[] }

async function buildTable(): Promise<Record<string, TableRow>> {
  const table: Record<string, TableRow> = {};
  const add = (name: string, reviewed: { object: unknown }, provider: ProviderBehaviour, findings: Finding[], keys = imagesOf(reviewed.object)) => {
    table[name] = { case: { input: { review: reviewed, parameters: {} }, provider }, keys, findings };
  };
  for (const kind of ['pod', 'deployment', 'replicaset', 'statefulset', 'daemonset', 'job', 'cronjob', 'replicationcontroller']) {
    const reviewed = review(kind);
    add(`${kind}: every image verified (HTTP 200)`, reviewed, allOk(imagesOf(reviewed.object), 200), []);
    add(`${kind}: every image from Gatekeeper's cache (status 0)`, reviewed, allOk(imagesOf(reviewed.object), 0), []);
  }
  const template = podTemplateReview(['registry.test/team/web:1.0']) as { object: unknown };
  add('podtemplate: verified (HTTP 200)', template, allOk(['registry.test/team/web:1.0'], 200), []);
  add("podtemplate: from Gatekeeper's cache (status 0)", template, allOk(['registry.test/team/web:1.0'], 0), []);
  add('configmap: not a workload, no keys, no call', review('configmap'), { mode: 'undefined' }, [], []);

  const [init, main, debug] = ['registry.test/team/init:1', 'registry.test/team/web:1', 'registry.test/tools/debug:1'];
  const pod = podReview([init], [main], [debug]) as { object: unknown };
  const answers = (overrides: Record<string, { value: unknown } | { error: string } | undefined>, status = 200, systemError = ''): ProviderBehaviour => {
    const all: Record<string, { value: unknown } | { error: string }> = {};
    for (const image of [init, main, debug]) {
      const answer = image in overrides ? overrides[image] : ok(image);
      if (answer !== undefined) all[image] = answer;
    }
    return { mode: 'answer', answers: all, status_code: status, system_error: systemError };
  };
  add('init container missing from the answer', pod, answers({ [init]: undefined }), [`missing ${init}`]);
  add('ephemeral container missing from a cached answer', pod, answers({ [debug]: undefined }, 0), [`missing ${debug}`]);
  add('every key missing (empty items)', pod, answers({ [init]: undefined, [main]: undefined, [debug]: undefined }), [`missing ${debug}`, `missing ${init}`, `missing ${main}`]);
  add('system_error with every item answered', pod, answers({}, 200, 'provider overloaded'), ['system-error']);
  add('item error', pod, answers({ [main]: { error: 'ERR_REGISTRY_UNAVAILABLE: registry answered 503' } }), [`item-error ${main}`]);
  add('cached item error (status 0)', pod, answers({ [init]: { error: 'ERR_NO_SIGNATURE: none' } }, 0), [`item-error ${init}`]);
  add('mixed cache and request (status 200)', pod, answers({}, 200), []);
  add('isSuccess false', pod, answers({ [main]: { value: { isSuccess: false, verifierReports: [{ message: 'untrusted' }] } } }), [`failed ${main}`]);
  add('isSuccess "true" (a string)', pod, answers({ [main]: { value: { isSuccess: 'true', verifierReports: [] } } }), [`failed ${main}`]);
  add('isSuccess absent', pod, answers({ [main]: { value: { verifierReports: [] } } }), [`failed ${main}`]);
  add('value null', pod, answers({ [main]: { value: null } }), [`failed ${main}`]);
  add('value a bare true', pod, answers({ [main]: { value: true } }), [`failed ${main}`]);
  add('HTTP 500', pod, { mode: 'http_error', status_code: 500, system_error: 'failed to send external data request: 500' },
    ['http 500', `missing ${debug}`, `missing ${init}`, `missing ${main}`, 'system-error']);
  add('request failed before any answer (status 0 with system_error)', pod, { mode: 'http_error', status_code: 0, system_error: 'dial tcp: i/o timeout' },
    [`missing ${debug}`, `missing ${init}`, `missing ${main}`, 'system-error']);
  add('external_data undefined (the builtin failed)', pod, { mode: 'undefined' }, [`missing ${debug}`, `missing ${init}`, `missing ${main}`]);

  const real = ['registry.test/team/web:1.0', 'registry.test/team/unsigned:1', 'registry.test/team/flaky:1', 'registry.test/team/untrusted:2'];
  const realPod = podReview([real[0] ?? ''], [real[1] ?? '', real[3] ?? ''], [real[2] ?? '']) as { object: unknown };
  const realFindings: Finding[] = [`failed ${real[1] ?? ''}`, `failed ${real[3] ?? ''}`, `item-error ${real[2] ?? ''}`];
  add("trustgate's ProviderResponse (HTTP 200)", realPod, await capturedProvider(real, 200), realFindings);
  add("trustgate's ProviderResponse from the cache (status 0)", realPod, await capturedProvider(real, 0), realFindings);
  const good = ['registry.test/team/web:1.0', 'registry.test/team/sidecar:2.0'];
  const goodPod = podReview([], good, []) as { object: unknown };
  add("trustgate's ProviderResponse, all verified (HTTP 200)", goodPod, await capturedProvider(good, 200), []);
  add("trustgate's ProviderResponse, all verified, cached (status 0)", goodPod, await capturedProvider(good, 0), []);
  return table;
}

interface CaseResult { messages: string[]; keys: string[] }

async function evaluate(session: OpaSession, rego: string, table: Record<string, TableRow>): Promise<Record<string, CaseResult>> {
  const cases = Object.fromEntries(Object.entries(table).map(([name, row]) => [name, row.case]));
  const module = embeddableRego(rego, 'tg_violation') + harnessRego(cases, 'tg_violation');
  return (await session.evaluate(module, 'tg_results')) as Record<string, CaseResult>;
}

/** Names of the cases whose keys or findings differ from the table. */
function mismatches(table: Record<string, TableRow>, results: Record<string, CaseResult>): string[] {
  return Object.entries(table).filter(([name, row]) => {
    const result = results[name];
    if (result === undefined) return true;
    const findings = result.messages.map(classify).sort();
    return JSON.stringify(findings) !== JSON.stringify([...row.findings].sort()) || JSON.stringify([...result.keys].sort()) !== JSON.stringify(row.keys);
  }).map(([name]) => name);
}

let table: Record<string, TableRow>;
let fixed: Record<string, CaseResult>;
let old: Record<string, CaseResult>;

beforeAll(async () => {
  table = await buildTable();
  const session = await startOpa();
  try {
    fixed = await evaluate(session, templateRego(), table);
    old = await evaluate(session, OLD_TEMPLATE_REGO, table);
  } finally {
    session.close();
  }
}, ENGINE_TIMEOUT);

describe('ConstraintTemplate Rego on a real OPA engine', () => {
  it('returns a result for every case', () => {
    expect(Object.keys(fixed).sort()).toEqual(Object.keys(table).sort());
    expect(Object.keys(table).length).toBeGreaterThan(30);
  });

  it('sends every image of every workload kind as a key, and finds exactly the expected violations', () => {
    const report = Object.fromEntries(Object.entries(table).map(([name]) => [name, fixed[name]?.messages.map(classify).sort()]));
    expect(report).toEqual(Object.fromEntries(Object.entries(table).map(([name, row]) => [name, [...row.findings].sort()])));
    for (const [name, row] of Object.entries(table)) expect([...(fixed[name]?.keys ?? [])].sort(), name).toEqual(row.keys);
  });

  it('negative control: the old Rego fails the table exactly on the cache hits (status 0), admitted ones included', () => {
    const cacheHits = Object.entries(table)
      .filter(([, row]) => row.case.provider.mode !== 'undefined' && row.case.provider.status_code === 0)
      .map(([name]) => name);
    expect(cacheHits.length).toBeGreaterThan(12);
    expect(mismatches(table, old).sort()).toEqual(cacheHits.sort());
    expect(old["deployment: every image from Gatekeeper's cache (status 0)"]?.messages).toEqual(['trustgate: the verification provider answered HTTP 0']);
    expect(mismatches(table, fixed)).toEqual([]);
  });

  it('the Azure Policy definition embeds the current template (re-run infra/policy/build.mjs after editing it)', () => {
    const policy = JSON.parse(readFileSync(POLICY, 'utf8')) as { properties: { policyRule: { then: { details: { templateInfo: { content: string } } } } } };
    const embedded = Buffer.from(policy.properties.policyRule.then.details.templateInfo.content, 'base64').toString('utf8');
    expect(embedded).toBe(readFileSync(TEMPLATE, 'utf8'));
  });
});
