import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { admissionValidateFunction } from '../../../functions/admission.js';
import { gatekeeperMutateFunction, gatekeeperVerifyFunction } from '../../../functions/gatekeeper.js';
import { admissionMutateFunction } from '../../../functions/mutate.js';
import { ADMISSION_DEFAULTS, extractImages } from '../../../shared/admission/index.js';

/**
 * Structural checks of infra/k8s and infra/policy; webhook configurations are also validated against the Kubernetes
 * OpenAPI schemas (kubernetes-models). The ConstraintTemplate's Rego is executed on OPA in test/infra/gatekeeper-rego.test.ts.
 */
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form manifests

const path = (relative: string) => fileURLToPath(new URL(`../../../infra/${relative}`, import.meta.url));
const text = (relative: string) => readFileSync(path(relative), 'utf8');
function load(relative: string): Doc[] {
  const documents = parseAllDocuments(text(relative));
  for (const document of documents) expect(document.errors, relative).toEqual([]);
  return documents.map((document) => document.toJS() as Doc);
}
const routeOf = (definition: { kind: string } & Partial<{ route: string }>) => `/api/${(definition.route ?? '').replace('{key?}', '${TRUSTGATE_ADMISSION_KEY}')}`;

const FILES = ['k8s/validating-webhook.yaml', 'k8s/mutating-webhook.yaml', 'k8s/gatekeeper/provider.yaml', 'k8s/gatekeeper/template.yaml', 'k8s/gatekeeper/constraint.yaml', 'k8s/gatekeeper/assign.yaml'];
const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system'];
// Namespaces AKS creates for its add-ons; they also carry kubernetes.azure.com/managedby=aks, matched by label below.
const AKS_NAMESPACES = ['calico-system', 'tigera-operator', 'app-routing-system', 'aks-command', 'aks-istio-system'];
const AKS_SELECTOR = [
  { key: 'kubernetes.azure.com/managedby', operator: 'NotIn', values: ['aks'] },
  { key: 'control-plane', operator: 'DoesNotExist' },
];
const KIND_GROUPS: Record<string, string> = { Pod: '', ReplicationController: '', PodTemplate: '', Deployment: 'apps', ReplicaSet: 'apps', StatefulSet: 'apps', DaemonSet: 'apps', Job: 'batch', CronJob: 'batch' };
const RESOURCES: Record<string, string> = {
  pods: 'Pod', replicationcontrollers: 'ReplicationController', podtemplates: 'PodTemplate', deployments: 'Deployment', replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', jobs: 'Job', cronjobs: 'CronJob',
};

describe('infra/k8s manifests parse', () => {
  it.each(FILES)('%s is valid YAML with apiVersion, kind and a name', (file) => {
    for (const doc of load(file)) {
      expect(doc.apiVersion).toMatch(/\//);
      expect(doc.kind).toMatch(/^[A-Z]/);
      expect(doc.metadata.name).toMatch(/^[a-z0-9][-a-z0-9.]*$/);
    }
  });
});

describe.each([
  ['k8s/validating-webhook.yaml', 'ValidatingWebhookConfiguration', admissionValidateFunction],
  ['k8s/mutating-webhook.yaml', 'MutatingWebhookConfiguration', admissionMutateFunction],
])('%s', (file, kind, fn) => {
  const [config] = load(file);
  const webhook = config?.webhooks?.[0] as Doc;

  it(`is a ${kind} that fails closed with a timeout and no side effects`, () => {
    expect(config?.kind).toBe(kind);
    expect(config?.webhooks).toHaveLength(1);
    expect(webhook).toMatchObject({ admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Fail' });
    expect(webhook.timeoutSeconds).toBeGreaterThanOrEqual(5);
    expect(webhook.timeoutSeconds).toBeLessThanOrEqual(30);
    expect(webhook.name.split('.').length).toBeGreaterThanOrEqual(3);
  });

  it('points at the function route with the path key, over https, with no query string', () => {
    const url = new URL(webhook.clientConfig.url.replace('${TRUSTGATE_HOST}', 'trustgate.example'));
    expect(url.protocol).toBe('https:');
    expect(url.search).toBe('');
    expect(decodeURIComponent(url.pathname)).toBe(routeOf(fn));
  });

  it('excludes the system namespaces and the AKS-managed ones, by name and by label', () => {
    const expressions = webhook.namespaceSelector.matchExpressions as Doc[];
    const expression = expressions.find((e: Doc) => e.key === 'kubernetes.io/metadata.name') as Doc;
    expect(expression.operator).toBe('NotIn');
    expect(expression.values).toEqual(expect.arrayContaining([...SYSTEM_NAMESPACES, ...AKS_NAMESPACES]));
    expect(expressions).toEqual(expect.arrayContaining(AKS_SELECTOR));
  });

  it('is valid against the Kubernetes admissionregistration/v1 schema', () => {
    const Model = kind === 'ValidatingWebhookConfiguration' ? ValidatingWebhookConfiguration : MutatingWebhookConfiguration;
    const rendered = JSON.parse(JSON.stringify(config).replaceAll('${TRUSTGATE_HOST}', 'trustgate.example').replaceAll('${TRUSTGATE_ADMISSION_KEY}', 'k'.repeat(32)));
    expect(() => new Model(rendered).validate()).not.toThrow();
    const broken = structuredClone(rendered);
    broken.webhooks[0].namespaceSelector.matchExpressions[0].values = 'kube-system';
    expect(() => new Model(broken).validate()).toThrow(/must be array/);
  });

  it('sends CREATE and UPDATE of exactly the kinds whose images trustgate extracts', () => {
    const kinds = new Set<string>();
    for (const rule of webhook.rules as Doc[]) {
      expect(rule.operations).toEqual(['CREATE', 'UPDATE']);
      for (const resource of rule.resources as string[]) {
        const name = RESOURCES[resource.split('/')[0] as string] as string;
        expect(rule.apiGroups).toEqual([KIND_GROUPS[name]]);
        expect(extractImages({ group: KIND_GROUPS[name] as string, kind: name }, {}).kind).toBe('workload');
        kinds.add(name);
      }
    }
    expect([...kinds].sort()).toEqual(Object.keys(KIND_GROUPS).sort());
  });
});

describe('Gatekeeper Provider', () => {
  const providers = load('k8s/gatekeeper/provider.yaml');
  it.each([
    ['trustgate-verify', gatekeeperVerifyFunction, ADMISSION_DEFAULTS.gatekeeperDeadlineMs],
    ['trustgate-mutate', gatekeeperMutateFunction, ADMISSION_DEFAULTS.gatekeeperMutateDeadlineMs],
  ])('%s calls the function over https with a caBundle and a timeout above trustgate’s own deadline', (name, fn, deadlineMs) => {
    const provider = providers.find((p) => p.metadata.name === name) as Doc;
    expect(provider).toMatchObject({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'Provider' });
    const url = new URL(provider.spec.url.replace('${TRUSTGATE_HOST}', 'trustgate.example'));
    expect(url.protocol).toBe('https:');
    expect(decodeURIComponent(url.pathname)).toBe(routeOf(fn));
    expect(provider.spec.caBundle).toBeTruthy();
    expect(Number.isInteger(provider.spec.timeout)).toBe(true);
    expect(provider.spec.timeout * 1000).toBeGreaterThan(deadlineMs);
  });
});

describe('Gatekeeper ConstraintTemplate (Rego, structural)', () => {
  const [template] = load('k8s/gatekeeper/template.yaml');
  const [constraint] = load('k8s/gatekeeper/constraint.yaml');
  const rego = template?.spec.targets[0].rego as string;
  const code = rego.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$/gm, '');

  it('is the template the constraint instantiates', () => {
    expect(template?.spec.crd.spec.names.kind).toBe(constraint?.kind);
    expect(rego.split('\n')[0]).toBe(`package ${template?.metadata.name}`);
    expect(constraint?.spec.enforcementAction).toBe('deny');
    expect(constraint?.spec.match.excludedNamespaces).toEqual(expect.arrayContaining([...SYSTEM_NAMESPACES, ...AKS_NAMESPACES]));
    expect(constraint?.spec.match.namespaceSelector.matchExpressions).toEqual(expect.arrayContaining(AKS_SELECTOR));
  });

  it('has balanced brackets and only Rego v0 rule syntax Gatekeeper accepts', () => {
    for (const [open, close] of [['{', '}'], ['[', ']'], ['(', ')']] as const) {
      let depth = 0;
      for (const char of code) {
        if (char === open) depth += 1;
        if (char === close) depth -= 1;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth, `${open}${close}`).toBe(0);
    }
    expect(code).not.toMatch(/\b(if|contains|every)\b/);
    expect(code).not.toMatch(/\t/);
  });

  it('asks the trustgate-verify provider for every image of every kind the constraint matches', () => {
    expect(rego).toContain('external_data({"provider": "trustgate-verify", "keys": keys})');
    const matched = (constraint?.spec.match.kinds as Doc[]).flatMap((k) => k.kinds as string[]);
    for (const kind of matched) expect(rego.includes(`"${kind}"`), kind).toBe(true);
    expect(rego).toContain('container_fields := ["initContainers", "containers", "ephemeralContainers"]');
  });

  it.each([
    ['a key missing from the response', /key := keys\[_\]\s+not answered\[key\]/],
    ['system_error', /err := remote_data\.system_error\s+err != ""/],
    ['a status other than 200 or 0 (0: all keys from Gatekeeper\'s cache)', /code := remote_data\.status_code\s+not provider_status_ok\(code\)/],
    ['any item error', /item := remote_data\.errors\[_\]\s+msg :=/],
    ['a failed verification (isSuccess not exactly true)', /item := remote_data\.responses\[_\]\s+not item\[1\]\.isSuccess == true/],
  ])('has a violation for %s', (_why, pattern) => {
    const violations = code.split(/\n(?=violation\[)/).filter((block) => block.startsWith('violation['));
    expect(violations.some((block) => pattern.test(block))).toBe(true);
  });

  it('counts both responses and errors as answered (and nothing else)', () => {
    expect(code.match(/answered\[key\] \{\s+key := remote_data\.(responses|errors)\[_\]\[0\]\s+\}/g)).toHaveLength(2);
  });
});

describe('Gatekeeper Assign (digest pinning)', () => {
  const assigns = load('k8s/gatekeeper/assign.yaml');
  it('pins containers, initContainers and ephemeralContainers of Pods through trustgate-mutate and fails closed', () => {
    expect(assigns.map((a) => a.spec.location).sort()).toEqual(['spec.containers[name:*].image', 'spec.ephemeralContainers[name:*].image', 'spec.initContainers[name:*].image']);
    for (const assign of assigns) {
      expect(assign).toMatchObject({ apiVersion: 'mutations.gatekeeper.sh/v1', kind: 'Assign' });
      expect(assign.spec.parameters.assign.externalData).toEqual({ provider: 'trustgate-mutate', dataSource: 'ValueAtLocation', failurePolicy: 'Fail' });
      expect(assign.spec.match.excludedNamespaces).toEqual(expect.arrayContaining([...SYSTEM_NAMESPACES, ...AKS_NAMESPACES]));
      expect(assign.spec.match.namespaceSelector.matchExpressions).toEqual(expect.arrayContaining(AKS_SELECTOR));
    }
  });
});

describe('Azure Policy definition', () => {
  const definition = JSON.parse(text('policy/trustgate-verification.json')).properties as Doc;
  const [constraint] = load('k8s/gatekeeper/constraint.yaml');

  it('is a Microsoft.Kubernetes.Data policy with Deny/Audit effects and namespace exclusions', () => {
    expect(definition.mode).toBe('Microsoft.Kubernetes.Data');
    expect(definition.parameters.effect.allowedValues).toEqual(expect.arrayContaining(['Audit', 'Deny', 'Disabled']));
    expect(definition.policyRule.then.effect).toBe("[parameters('effect')]");
    expect(definition.policyRule.then.details.excludedNamespaces).toBe("[parameters('excludedNamespaces')]");
    expect(definition.parameters.excludedNamespaces.defaultValue).toEqual(expect.arrayContaining([...SYSTEM_NAMESPACES, ...AKS_NAMESPACES]));
  });

  it('embeds exactly infra/k8s/gatekeeper/template.yaml (re-run infra/policy/build.mjs after editing it)', () => {
    expect(definition.policyRule.then.details.templateInfo.sourceType).toBe('Base64Encoded');
    expect(Buffer.from(definition.policyRule.then.details.templateInfo.content, 'base64').toString('utf8')).toBe(text('k8s/gatekeeper/template.yaml'));
  });

  it('matches the same kinds as the constraint', () => {
    const constraintKinds = (constraint?.spec.match.kinds as Doc[]).flatMap((k) => k.kinds as string[]).sort();
    expect([...definition.policyRule.then.details.kinds].sort()).toEqual(constraintKinds);
    expect([...definition.policyRule.then.details.apiGroups].sort()).toEqual(['', 'apps', 'batch']);
  });
});
