import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

// --- Bicep syntax helpers (web-tree-sitter + tree-sitter-bicep wasm: no compiler, no network) ---
const INFRA_DIR = new URL('../../../infra/', import.meta.url).pathname;

/** Every .bicep file under infra/ (top level and modules/), as paths relative to infra/. */
function bicepFiles(): string[] {
  const top = readdirSync(INFRA_DIR).filter((f) => f.endsWith('.bicep'));
  const modules = readdirSync(join(INFRA_DIR, 'modules')).filter((f) => f.endsWith('.bicep')).map((f) => `modules/${f}`);
  return [...top, ...modules].sort();
}

function readInfra(relative: string): string {
  return readFileSync(join(INFRA_DIR, relative), 'utf8');
}

let cachedParser: Parser | undefined;

/** A tree-sitter parser for Bicep (the grammar's wasm build, no native addon, no network). */
async function bicepParser(): Promise<Parser> {
  if (cachedParser !== undefined) return cachedParser;
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
  const created = new Parser();
  created.setLanguage(await Language.load(wasm));
  cachedParser = created;
  return created;
}

/** ERROR and MISSING nodes of a parse, as "line:column text" strings. */
function syntaxProblems(tree: Tree): string[] {
  const problems: string[] = [];
  const walk = (node: Node): void => {
    if (node.isError || node.isMissing) problems.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.type} ${node.text.slice(0, 60)}`);
    for (const child of node.children) if (child !== null) walk(child);
  };
  walk(tree.rootNode);
  return problems;
}

/** Nodes of one type anywhere in the tree. */
function nodesOfType(tree: Tree, type: string): Node[] {
  return tree.rootNode.descendantsOfType(type).filter((n): n is Node => n !== null);
}

interface ParamFacts {
  name: string;
  hasDefault: boolean;
  decorators: string[];
}

/** Top-level `param` declarations: name, whether they have a default, their decorators' text. */
function paramsOf(tree: Tree): ParamFacts[] {
  const children = tree.rootNode.children.filter((n): n is Node => n !== null);
  return children.flatMap((node, index) => {
    if (node.type !== 'parameter_declaration') return [];
    const named = node.namedChildren.filter((n): n is Node => n !== null);
    const previous = children[index - 1];
    const decorators = previous?.type === 'decorators' ? previous.namedChildren.map((d) => d?.text ?? '') : [];
    return [{ name: named[0]?.text ?? '', hasDefault: named.length > 2, decorators }];
  });
}

/** `module` declarations: symbolic name and the path they load. */
function modulesOf(tree: Tree): Array<{ name: string; path: string; conditional: string | undefined }> {
  return nodesOfType(tree, 'module_declaration').map((node) => {
    const named = node.namedChildren.filter((n): n is Node => n !== null);
    const condition = named.find((n) => n.type === 'if_statement')?.namedChildren[0]?.text;
    return { name: named[0]?.text ?? '', path: (named[1]?.text ?? '').replace(/^'|'$/g, ''), conditional: condition };
  });
}

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
/** Source without `//` comments, so assertions see only what Azure would deploy. */
const code = (relative: string) => readInfra(relative).replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/[^'\n]*$/gm, '');
const allCode = () => bicepFiles().map(code).join('\n');

describe('infra Bicep syntax', () => {
  it('has the expected files', () => {
    expect(bicepFiles()).toEqual([
      'main.bicep', 'modules/acr-events.bicep', 'modules/app-roles.bicep', 'modules/function-app.bicep', 'modules/identity.bicep',
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

  it('forwards optional client certificates (webhook mTLS) and serves https only', () => {
    expect(app()).toMatch(/clientCertEnabled:\s*true\s*clientCertMode:\s*'Optional'/);
    expect(app()).toMatch(/httpsOnly:\s*true/);
  });

  it('creates the verdicts table', () => {
    expect(code('modules/storage.bicep')).toMatch(/'Microsoft\.Storage\/storageAccounts\/tableServices\/tables@[\d-]+'/);
    expect(code('main.bicep')).toMatch(/verdictTable:\s*'verdicts'/);
  });

  it.each([
    'TRUSTGATE_TRUST_POLICY', 'TRUSTGATE_TRUST_STORE_INLINE', 'TRUSTGATE_ALLOWED_REGISTRIES', 'TRUSTGATE_TABLE_ENDPOINT', 'TRUSTGATE_TABLE_NAME',
    'TRUSTGATE_KEYVAULT_URL', 'TRUSTGATE_KEYVAULT_STORES', 'TRUSTGATE_ADMISSION_KEY', 'TRUSTGATE_RECHECK_SCHEDULE', 'TRUSTGATE_LOG_LEVEL',
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
    ['Key Vault Certificate User', 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', 'modules/keyvault-roles.bicep'],
    ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6', 'modules/keyvault-roles.bicep'],
    ['AcrPull', '7f951dda-4ed3-4680-a7ca-43fe172d538d', 'modules/registry-roles.bicep'],
    ['Container Registry Repository Reader', 'b93aa761-3e63-49ed-ac28-beffa264f7ac', 'modules/registry-roles.bicep'],
  ])('grants %s (%s) in %s', (_role, id, file) => {
    expect(code(file)).toContain(`'${id}'`);
  });

  it('names each assignment deterministically from scope, principal and role, for the service principal type', () => {
    for (const file of ['modules/app-roles.bicep', 'modules/keyvault-roles.bicep', 'modules/registry-roles.bicep']) {
      const source = code(file);
      const assignments = source.match(/'Microsoft\.Authorization\/roleAssignments@/g)?.length ?? 0;
      expect(assignments, file).toBeGreaterThan(0);
      expect(source.match(/name: guid\(\w+\.id, principalId, /g)?.length, file).toBe(assignments);
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
