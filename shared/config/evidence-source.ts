import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isAppError } from '../core/index.js';
import type { EvidenceScheme, SchemeDeps, SchemeFactory } from '../scheme/index.js';
import {
  fingerprintVerificationPolicy, parseVerificationPolicy, referenceProblems, type VerificationPolicyDocument, type VerificationPolicyProblem,
} from '../verification-policy/index.js';
import { ALWAYS_BUILT_SCHEMES } from './schemes.js';
import { configError, type Settings } from './settings.js';

const SETTING = 'TRUSTGATE_VERIFICATION_POLICY';

export interface EvidenceSetup {
  schemes: EvidenceScheme[];
  verificationPolicy?: { document: VerificationPolicyDocument; fingerprint: string };
}

/**
 * Builds the evidence schemes and reads TRUSTGATE_VERIFICATION_POLICY: every problem (document, a scheme's own section,
 * unknown schemes or trust roots) is listed at once, by path, in one ERR_CONFIG naming the setting.
 */
export async function buildEvidence(setting: Settings['verificationPolicy'], factories: readonly SchemeFactory[], deps: Omit<SchemeDeps, 'baseDir'>): Promise<EvidenceSetup> {
  if (setting === undefined) {
    const baseDeps = { ...deps, baseDir: process.cwd() };
    return { schemes: await Promise.all(factories.filter((f) => ALWAYS_BUILT_SCHEMES.includes(f.name)).map((f) => f.create(undefined, baseDeps))) };
  }
  const text = setting.kind === 'inline' ? setting.json : await readSetting(setting.path);
  const baseDir = setting.kind === 'file' ? dirname(resolve(setting.path)) : process.cwd();
  let document: VerificationPolicyDocument;
  try {
    document = parseVerificationPolicy(text, factories.map((f) => f.name));
  } catch (error) {
    throw withProblems(error, (error as { problems?: VerificationPolicyProblem[] }).problems ?? []);
  }
  const problems: VerificationPolicyProblem[] = [];
  const schemes: EvidenceScheme[] = [];
  for (const factory of factories) {
    if (!ALWAYS_BUILT_SCHEMES.includes(factory.name) && !(factory.name in document.schemes)) continue;
    try {
      schemes.push(await factory.create(document.schemes[factory.name], { ...deps, baseDir }));
    } catch (error) {
      const inner = (error as { problems?: Array<{ message: string; path?: string }> }).problems;
      const path = `schemes.${factory.name}`;
      if (inner && inner.length > 0) for (const p of inner) problems.push({ code: 'SCHEME_CONFIG', message: p.message, path: p.path ? `${path}.${p.path}` : path });
      else problems.push({ code: 'SCHEME_CONFIG', message: error instanceof Error ? error.message : String(error), path });
    }
  }
  problems.push(...referenceProblems(document, schemes));
  if (problems.length > 0) throw withProblems(undefined, problems);
  return { schemes, verificationPolicy: { document, fingerprint: fingerprintVerificationPolicy(document) } };
}

async function readSetting(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw configError(SETTING, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, error);
  }
}

function withProblems(cause: unknown, problems: readonly VerificationPolicyProblem[]): Error {
  if (cause !== undefined && !isAppError(cause)) return cause as Error;
  const lines = problems.map((p) => `${p.path || '(document)'}: ${p.message}`);
  const error = configError(SETTING, `is invalid:\n${lines.join('\n')}`, cause);
  Object.assign(error, { problems });
  return error;
}
