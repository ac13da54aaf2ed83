import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import { allCode, bicepFiles, bicepParser, code, INFRA_DIR, modulesOf, paramsOf, readInfra, syntaxProblems } from './bicep-tree.js';

// --- tests ---
let parser: Parser;
beforeAll(async () => {
  parser = await bicepParser();
});
const parse = (relative: string) => {
  const tree = parser.parse(readInfra(relative));
  if (tree === null) throw new Error(`no parse tree for ${relative}`);
  return tree;
};

describe('infra Bicep syntax', () => {
  it('has the expected files', () => {
    expect(bicepFiles()).toEqual([
      'main.bicep', 'modules/acr-events.bicep', 'modules/app-roles.bicep', 'modules/app-secrets.bicep', 'modules/function-app.bicep', 'modules/identity.bicep',
      'modules/keyvault-roles.bicep', 'modules/monitoring.bicep', 'modules/registry-roles.bicep', 'modules/storage.bicep',
    ]);
  });

  it.each(bicepFiles())('%s parses with no ERROR or MISSING node', (file) => {
    expect(syntaxProblems(parse(file))).toEqual([]);
  });

  it.each([
    ['an unclosed object', "resource x 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'x'\n"],
    ['a missing value', "param a string =\n"],
    ['a stray token', "resource x 'a@b' = {\n  name: 'x' }}\n"],
  ])('the check catches %s', (_what, source) => {
    const tree = parser.parse(source);
    expect(tree && syntaxProblems(tree).length).toBeGreaterThan(0);
  });

  it('every module path in main.bicep exists, and every module is used', () => {
    const used = modulesOf(parse('main.bicep')).map((m) => m.path).sort();
    for (const path of used) expect(existsSync(join(INFRA_DIR, path)), path).toBe(true);
    expect(used).toEqual(bicepFiles().filter((f) => f.startsWith('modules/')));
  });
});

describe('Function App on Flex Consumption', () => {
  const app = () => code('modules/function-app.bicep');
  it('uses the FC1 FlexConsumption plan on Linux', () => {
    expect(app()).toMatch(/sku:\s*{\s*tier:\s*'FlexConsumption'\s*name:\s*'FC1'\s*}/);
    expect(app()).toMatch(/kind:\s*'functionapp,linux'/);
    expect(app()).toMatch(/reserved:\s*true/);
  });

  it('runs Node 22 through functionAppConfig.runtime', () => {
    expect(app()).toMatch(/runtime:\s*{\s*name:\s*'node'\s*version:\s*'22'\s*}/);
  });

  it('keeps at least one http instance always ready', () => {
    expect(app()).toMatch(/alwaysReady:\s*\[\s*{\s*name:\s*'http'\s*instanceCount:\s*alwaysReadyHttpInstances\s*}\s*\]/);
    const param = paramsOf(parse('modules/function-app.bicep')).find((p) => p.name === 'alwaysReadyHttpInstances');
    expect(param?.decorators).toContain('@minValue(1)');
    const mainParam = paramsOf(parse('main.bicep')).find((p) => p.name === 'alwaysReadyHttpInstances');
    expect(mainParam?.decorators).toContain('@minValue(1)');
  });

  it.each(['FUNCTIONS_WORKER_RUNTIME', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_TIME_ZONE', 'TZ:', 'WEBSITE_NODE_DEFAULT_VERSION'])(
    'sets no %s (not allowed on Flex)', (setting) => {
      expect(allCode()).not.toContain(setting);
    },
  );

  it('deploys from a blob container and reaches storage and telemetry with the user-assigned identity only', () => {
    expect(app()).toMatch(/type:\s*'blobContainer'/);
    expect(app()).toMatch(/authentication:\s*{\s*type:\s*'UserAssignedIdentity'/);
    expect(app()).toMatch(/AzureWebJobsStorage__credential:\s*'managedidentity'/);
    expect(app()).toMatch(/AzureWebJobsStorage__clientId:/);
    expect(app()).toMatch(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING:\s*'ClientId=\${identityClientId};Authorization=AAD'/);
    expect(allCode()).not.toMatch(/AccountKey|listKeys\(|InstrumentationKey=/);
    expect(code('modules/storage.bicep')).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(code('modules/monitoring.bicep')).toMatch(/DisableLocalAuth:\s*true/);
  });

  it('does not offer client certificates on Flex (X-ARR-ClientCert may never arrive there) and serves https only', () => {
    expect(app()).toMatch(/clientCertEnabled:\s*false/);
    expect(app()).not.toMatch(/clientCertMode/);
    expect(readInfra('modules/function-app.bicep')).toMatch(/X-ARR-ClientCert may\s+(\/\/\s*)?never arrive/);
    expect(app()).toMatch(/httpsOnly:\s*true/);
  });

  it('creates the verdicts table', () => {
    expect(code('modules/storage.bicep')).toMatch(/'Microsoft\.Storage\/storageAccounts\/tableServices\/tables@[\d-]+'/);
    expect(code('main.bicep')).toMatch(/verdictTable:\s*'verdicts'/);
  });

  it.each([
    'TRUSTGATE_TRUST_POLICY', 'TRUSTGATE_TRUST_STORE_INLINE', 'TRUSTGATE_ALLOWED_REGISTRIES', 'TRUSTGATE_TABLE_ENDPOINT', 'TRUSTGATE_TABLE_NAME',
    'TRUSTGATE_KEYVAULT_URL', 'TRUSTGATE_KEYVAULT_STORES', 'TRUSTGATE_RECHECK_SCHEDULE', 'TRUSTGATE_LOG_LEVEL',
    'TRUSTGATE_ACR_AUTH', 'TRUSTGATE_EVENTGRID_TOPIC_ENDPOINT',
  ])('passes %s to the app', (setting) => {
    expect(code('main.bicep')).toMatch(new RegExp(`\\b${setting}:`));
  });

  it('keeps the admission key a secure parameter', () => {
    expect(paramsOf(parse('main.bicep')).find((p) => p.name === 'admissionKey')?.decorators).toContain('@secure()');
  });
});

describe('role assignments', () => {
  it.each([
    ['Storage Blob Data Owner', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'modules/app-roles.bicep'],
    ['Storage Table Data Contributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'modules/app-roles.bicep'],
    ['Monitoring Metrics Publisher', '3913510d-42f4-4e42-8a64-420c390055eb', 'modules/app-roles.bicep'],
    ['Key Vault Reader', '21090545-7ca7-4776-b22c-e363652d74d2', 'modules/keyvault-roles.bicep'],
    ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6', 'modules/keyvault-roles.bicep'],
    ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6', 'modules/app-secrets.bicep'],
    ['AcrPull', '7f951dda-4ed3-4680-a7ca-43fe172d538d', 'modules/registry-roles.bicep'],
    ['Container Registry Repository Reader', 'b93aa761-3e63-49ed-ac28-beffa264f7ac', 'modules/registry-roles.bicep'],
  ])('grants %s (%s) in %s', (_role, id, file) => {
    expect(code(file)).toContain(`'${id}'`);
  });

  it('names each assignment deterministically from scope, principal and role, for the service principal type', () => {
    for (const file of ['modules/app-roles.bicep', 'modules/keyvault-roles.bicep', 'modules/registry-roles.bicep', 'modules/app-secrets.bicep']) {
      const source = code(file);
      const assignments = source.match(/'Microsoft\.Authorization\/roleAssignments@/g)?.length ?? 0;
      expect(assignments, file).toBeGreaterThan(0);
      expect(source.match(/name: guid\(\w+(\[i\])?\.id, principalId, /g)?.length, file).toBe(assignments);
      expect(source.match(/principalType: 'ServicePrincipal'/g)?.length, file).toBe(assignments);
    }
  });
});

describe('ACR events (second stage)', () => {
  const events = () => code('modules/acr-events.bicep');
  it('is deployed only when deployEventSubscription is set, which defaults to false', () => {
    const main = parse('main.bicep');
    expect(modulesOf(main).find((m) => m.path === 'modules/acr-events.bicep')?.conditional).toMatch(/deployEventSubscription/);
    expect(code('main.bicep')).toMatch(/param deployEventSubscription bool = false/);
  });

  it('subscribes the acrEvents function to ImagePushed and ImageDeleted only', () => {
    expect(events()).toMatch(/topicType:\s*'Microsoft\.ContainerRegistry\.Registries'/);
    expect(events()).toMatch(/endpointType:\s*'AzureFunction'/);
    expect(events()).toMatch(/resourceId:\s*'\${functionAppId}\/functions\/\${functionName}'/);
    expect(events()).toMatch(/param functionName string = 'acrEvents'/);
    const types = events().match(/includedEventTypes:\s*\[([^\]]*)\]/)?.[1]?.match(/'[^']+'/g);
    expect(types).toEqual(["'Microsoft.ContainerRegistry.ImagePushed'", "'Microsoft.ContainerRegistry.ImageDeleted'"]);
  });
});

describe('azd wiring', () => {
  const parameters = JSON.parse(readFileSync(join(INFRA_DIR, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };

  it('maps only parameters main.bicep declares, and every required one', () => {
    const declared = paramsOf(parse('main.bicep'));
    const mapped = Object.keys(parameters.parameters);
    expect(mapped.filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
    expect(declared.filter((p) => !p.hasDefault).map((p) => p.name).filter((name) => !mapped.includes(name))).toEqual([]);
    expect(parameters.parameters.deployEventSubscription).toEqual({ value: '${DEPLOY_EVENT_SUBSCRIPTION=false}' });
  });

  it('deploys the app as a function service and runs stage 2 after the first deploy', () => {
    const azureYaml = readFileSync(new URL('../../../azure.yaml', import.meta.url), 'utf8');
    expect(azureYaml).toMatch(/^services:\n\s+api:\n\s+project: \.\n\s+language: ts\n\s+host: function$/m);
    expect(azureYaml).toMatch(/postdeploy:/);
    expect(azureYaml.match(/azd env set DEPLOY_EVENT_SUBSCRIPTION true/g)).toHaveLength(2);
    expect(code('modules/function-app.bicep')).toMatch(/'azd-service-name': 'api'/);
  });
});
