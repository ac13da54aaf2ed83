import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { parse as parseYaml } from 'yaml';
import { evaluateVars } from './bicep-eval.js';
import { bicepParser, code, nodesOfType, paramsOf, readInfra } from './bicep-tree.js';

// Deployment defects of issue 12, checked on the parsed templates: secure admission key end to end, reuse of an existing
// ACR system topic, sanitised resource names, the package (.funcignore, build mode), Flex client certs, least privilege.
let parser: Parser;
beforeAll(async () => {
  parser = await bicepParser();
});
const parse = (relative: string): Tree => {
  const tree = parser.parse(readInfra(relative));
  if (tree === null) throw new Error(`no parse tree for ${relative}`);
  return tree;
};
const named = (node: Node): Node[] => node.namedChildren.filter((n): n is Node => n !== null);
const ROOT = new URL('../../../', import.meta.url);
const TOKEN = 'abcdefghij123'; // uniqueString() yields 13 lowercase letters and digits

/** Resource names main.bicep computes for an azd environment name. */
function namesFor(environmentName: string): Record<string, string> {
  const scope = evaluateVars(parse('main.bicep'), ['safeName', 'compactName', 'names'], { environmentName, token: TOKEN });
  return scope.names as Record<string, string>;
}

describe('resource names from the azd environment name', () => {
  const environments = ['trustgate-prod', 'My_Env.Name(Prod)', 'A', 'x'.repeat(64), `Team.Prod_2026-${'eu-west-'.repeat(6)}`, 'a-b-c-d-e-f-g-h-i-j-k-l-m'];
  const rules: Array<[string, RegExp, number]> = [
    ['functionApp', /^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 60],
    ['logAnalytics', /^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 63],
    ['storage', /^[a-z0-9]{3,24}$/, 24],
    ['keyVault', /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, 24],
    ['plan', /^[a-z0-9][a-z0-9-]*$/, 60],
    ['resourceGroup', /^[a-z0-9][a-z0-9-]*$/, 90],
    ['identity', /^[a-z0-9][a-z0-9-]*$/, 128],
    ['applicationInsights', /^[a-z0-9][a-z0-9-]*$/, 260],
  ];

  it.each(environments)('%s gives names Azure accepts', (environment) => {
    const names = namesFor(environment);
    for (const [name, pattern, max] of rules) {
      expect(names[name], `${name} for ${environment}`).toMatch(pattern);
      expect(names[name]?.length, `${name} for ${environment}`).toBeLessThanOrEqual(max);
      expect(names[name], name).not.toContain('--'.repeat(name === 'keyVault' ? 1 : 2));
    }
  });

  it('keeps names stable and readable for an ordinary environment name', () => {
    expect(namesFor('trustgate-prod')).toMatchObject({
      functionApp: 'func-trustgate-prod-abcdef', logAnalytics: 'log-trustgate-prod-abcdef', storage: 'sttrustgateabcdefghij123', resourceGroup: 'rg-trustgate-prod',
    });
  });

  it('the check catches a name built from the raw environment name', () => {
    const raw = parser.parse(`var names = {\n  functionApp: 'func-\${environmentName}-\${take(token, 6)}'\n}\n`) as Tree;
    const functionApp = (evaluateVars(raw, ['names'], { environmentName: 'My_Env', token: TOKEN }).names as Record<string, string>).functionApp;
    expect(functionApp).not.toMatch(rules[0]?.[1] as RegExp);
  });
});

/** The `module` declaration (by symbolic name) and its params object's properties. */
function moduleParams(tree: Tree, symbol: string): Record<string, string> {
  const declaration = nodesOfType(tree, 'module_declaration').find((m) => named(m)[0]?.text === symbol);
  const body = declaration && (named(declaration).find((n) => n.type === 'object') ?? declaration.descendantsOfType('object')[0] ?? undefined);
  const params = body && named(body).find((p) => p.type === 'object_property' && named(p)[0]?.text === 'params');
  const object = params && named(params)[1];
  if (object === undefined) throw new Error(`no params for module ${symbol}`);
  return Object.fromEntries(named(object).filter((p) => p.type === 'object_property').map((p) => [named(p)[0]?.text ?? '', named(p)[1]?.text ?? '']));
}

describe('the admission key (a @secure() parameter end to end, a Key Vault reference in the app)', () => {
  it('main.bicep uses admissionKey only as the secure parameter of the app-secrets module', () => {
    const main = parse('main.bicep');
    const isValue = (n: Node) => n.parent?.type !== 'object_property' || named(n.parent)[0]?.startIndex !== n.startIndex;
    const uses = nodesOfType(main, 'identifier').filter((n) => n.text === 'admissionKey' && n.parent?.type !== 'parameter_declaration' && isValue(n));
    expect(uses.map((n) => `${n.parent?.type}:${n.parent?.text}`)).toEqual(['object_property:admissionKey: admissionKey']);
    expect(moduleParams(main, 'appSecrets').admissionKey).toBe('admissionKey');
    expect(paramsOf(main).find((p) => p.name === 'admissionKey')?.decorators).toContain('@secure()');
    expect(code('main.bicep')).not.toMatch(/TRUSTGATE_ADMISSION_KEY:/);
  });

  it('app-secrets takes it as @secure() and only writes it into a Key Vault secret', () => {
    const secrets = parse('modules/app-secrets.bicep');
    expect(paramsOf(secrets).find((p) => p.name === 'admissionKey')?.decorators).toContain('@secure()');
    const uses = nodesOfType(secrets, 'identifier').filter((n) => n.text === 'admissionKey' && n.parent?.type !== 'parameter_declaration');
    expect(uses.map((n) => n.parent?.parent?.text ?? '')).toEqual(['empty(admissionKey)', 'value: admissionKey'].map((t) => expect.stringContaining(t)));
    expect(code('modules/app-secrets.bicep')).toMatch(/resource admissionKeySecret 'Microsoft\.KeyVault\/vaults\/secrets@[\d-]+' = if \(hasAdmissionKey\)/);
    expect(code('modules/app-secrets.bicep')).toMatch(/enableRbacAuthorization: true/);
    expect(code('modules/app-secrets.bicep')).toMatch(/output admissionKeyReference string = hasAdmissionKey \? '@Microsoft\.KeyVault\(VaultName=\${vault\.name};SecretName=\${admissionKeySecretName}\)'/);
  });

  it('the Function App gets the reference, resolved with its identity, and never the key', () => {
    expect(moduleParams(parse('main.bicep'), 'functionApp').admissionKeyReference).toBe('appSecrets.outputs.admissionKeyReference');
    const app = code('modules/function-app.bicep');
    expect(app).toMatch(/TRUSTGATE_ADMISSION_KEY: admissionKeyReference/);
    expect(app).toMatch(/keyVaultReferenceIdentity: identityId/);
    expect(paramsOf(parse('modules/function-app.bicep')).map((p) => p.name)).not.toContain('admissionKey');
  });
});

/** roleAssignments in a file: the role variable they grant and the scope expression. */
function assignments(relative: string): Array<{ role: string; scope: string }> {
  return nodesOfType(parse(relative), 'resource_declaration')
    .filter((r) => named(r)[1]?.text.startsWith("'Microsoft.Authorization/roleAssignments@"))
    .map((r) => ({ role: r.text.match(/roles\.(\w+)\)/)?.[1] ?? '', scope: r.text.match(/\n\s*scope: ([\w[\]]+)/)?.[1] ?? '' }));
}

describe('least-privilege Key Vault roles', () => {
  it('grants Secrets User only on the named secrets and metadata read on the vault; never Certificate User', () => {
    expect(assignments('modules/keyvault-roles.bicep')).toEqual([
      { role: 'keyVaultReader', scope: 'vault' },
      { role: 'keyVaultSecretsUser', scope: 'secrets[i]' },
    ]);
    expect(code('modules/keyvault-roles.bicep')).toMatch(/resource secrets 'Microsoft\.KeyVault\/vaults\/secrets@[\d-]+' existing = \[for secretName in secretNames:/);
    expect(assignments('modules/app-secrets.bicep')).toEqual([{ role: 'keyVaultSecretsUser', scope: 'admissionKeySecret' }]);
    for (const file of ['modules/keyvault-roles.bicep', 'modules/app-secrets.bicep']) expect(code(file)).not.toContain('db79e9a7-68ee-4b58-9aeb-b90e7c24fcba');
  });

  it('passes the certificate names of TRUSTGATE_KEYVAULT_STORES as the secrets to grant', () => {
    expect(moduleParams(parse('main.bicep'), 'keyVaultRoles').secretNames).toBe('keyVaultStoreSecrets');
    expect(code('main.bicep')).toMatch(/var keyVaultStoreSecrets = union\(flatten\(map\(items\(json\(empty\(keyVaultStores\) \? '\{\}' : keyVaultStores\)\), store => map\(store\.value, ref => ref\.certificate\)\)\), \[\]\)/);
  });
});

describe('ACR events: reuse an existing system topic', () => {
  const topic = (existing: string) => evaluateVars(parse('modules/acr-events.bicep'), ['createTopic', 'topicName'], { registryName: 'contosoacr', existingSystemTopicName: existing });

  it('creates a topic only when no existing one is named, and subscribes on whichever topic applies', () => {
    expect(topic('')).toMatchObject({ createTopic: true, topicName: 'contosoacr-trustgate-events' });
    expect(topic('contosoacr-events')).toMatchObject({ createTopic: false, topicName: 'contosoacr-events' });
    const events = code('modules/acr-events.bicep');
    expect(events).toMatch(/param existingSystemTopicName string = ''/);
    expect(events).toMatch(/resource newTopic 'Microsoft\.EventGrid\/systemTopics@[\d-]+' = if \(createTopic\) \{\s*name: topicName/);
    expect(events).toMatch(/resource systemTopic 'Microsoft\.EventGrid\/systemTopics@[\d-]+' existing = \{\s*name: topicName\s*\}/);
    expect(events).toMatch(/parent: systemTopic[\s\S]*dependsOn: \[ newTopic \]/);
  });

  it('is wired from main.bicep and the azd parameters', () => {
    expect(moduleParams(parse('main.bicep'), 'acrEvents').existingSystemTopicName).toBe('containerRegistrySystemTopicName');
    const parameters = JSON.parse(readInfra('main.parameters.json')) as { parameters: Record<string, unknown> };
    expect(parameters.parameters.containerRegistrySystemTopicName).toEqual({ value: '${TRUSTGATE_ACR_SYSTEM_TOPIC=}' });
  });
});

/** gitignore-style match for the anchored patterns .funcignore uses. */
function ignored(patterns: string[], path: string): boolean {
  return patterns.some((pattern) => {
    const anchored = pattern.startsWith('/');
    const body = pattern.replace(/^\//, '').replace(/\/$/, '');
    const regex = body.replace(/[.+^$()|{}]/g, '\\$&').replace(/\*\*\//g, '\0').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\0/g, '(?:.*/)?');
    return new RegExp(`${anchored ? '^' : '(?:^|/)'}${regex}(?:/|$)`).test(path);
  });
}

describe('the deployment package', () => {
  const patterns = readFileSync(new URL('.funcignore', ROOT), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

  it.each([
    'test/unit/infra/bicep.test.ts', 'bench/run.ts', 'infra/main.bicep', 'samples/trustpolicy.json', 'functions/index.ts', 'shared/core/index.ts',
    'cli/main.ts', 'dist/functions/index.js.map', 'dist/bench/bench/run.js', 'dist/worker-test-app/dist/functions/index.js', 'dist/.tsbuildinfo', 'local.settings.json', 'tsconfig.json', '.git/HEAD',
  ])('leaves out %s', (path) => {
    expect(ignored(patterns, path)).toBe(true);
  });

  it.each(['host.json', 'package.json', 'package-lock.json', 'dist/functions/index.js', 'dist/functions/openapi.json', 'dist/shared/core/index.js', 'node_modules/zod/package.json'])(
    'ships %s', (path) => {
      expect(ignored(patterns, path)).toBe(false);
    },
  );

  it('builds locally (remoteBuild false, so node_modules is shipped), with npm run build, and prunes dev dependencies', () => {
    const azure = parseYaml(readFileSync(new URL('azure.yaml', ROOT), 'utf8')) as { services: { api: Record<string, any> } }; // eslint-disable-line @typescript-eslint/no-explicit-any -- azure.yaml
    const api = azure.services.api;
    expect(api.remoteBuild).toBe(false);
    for (const shell of ['posix', 'windows']) {
      const run = api.hooks.prepackage[shell].run as string;
      expect(run.indexOf('npm run build')).toBeGreaterThan(-1);
      expect(run.indexOf('npm prune --omit=dev')).toBeGreaterThan(run.indexOf('npm run build'));
      expect(api.hooks.postpackage[shell].run).toMatch(/^npm install\b/);
    }
    expect(JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')).main).toBe('dist/functions/index.js');
  });
});

describe('client certificates on Flex Consumption', () => {
  it('README says X-ARR-ClientCert may not arrive on Flex and the path key is the AKS path there', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    expect(readme).toMatch(/Not on Flex Consumption:[\s\S]{0,200}`X-ARR-ClientCert` may never arrive/);
  });
});

