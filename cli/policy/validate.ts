import { readFile } from 'node:fs/promises';
import { knownSchemeNames } from '../../shared/config/index.js';
import { validateTrustPolicy } from '../../shared/policy/index.js';
import { validateVerificationPolicy } from '../../shared/verification-policy/index.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { hintFor, jsonSyntaxError } from './hints.js';

/** `trustgate policy validate <file>`: every problem of the document, one per line; exit 1 when there is one. */
export async function validateCommand(file: string, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(`trustgate: ${code === 'ENOENT' ? `file not found: ${file}` : code === 'EISDIR' ? `${file} is a directory` : `cannot read ${file} (${code ?? 'error'})`}\n`);
    return EXIT.usage;
  }
  const syntax = jsonSyntaxError(text);
  if (syntax !== undefined) {
    io.stdout(`${file}: not valid JSON: ${syntax} [JSON_INVALID]\n`);
    return EXIT.failed;
  }
  const document: unknown = JSON.parse(text);
  const verificationPolicy = isVerificationPolicy(document);
  const problems: Array<{ path?: string; message: string; code: string; hint?: string }> = verificationPolicy
    ? validateVerificationPolicy(text, await knownSchemeNames())
    : validateTrustPolicy(document).map((problem) => ({ ...problem, hint: hintFor(problem, document) }));
  if (problems.length === 0) {
    io.stdout(`${file}: valid ${verificationPolicy ? 'verification' : 'trust'} policy\n`);
    return EXIT.verified;
  }
  io.stdout(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  for (const problem of problems) {
    io.stdout(`  ${problem.path ? `${problem.path}: ` : ''}${problem.message}${problem.hint ? ` (${problem.hint})` : ''} [${problem.code}]\n`);
  }
  return EXIT.failed;
}

/** A trustgate verification policy (TRUSTGATE_VERIFICATION_POLICY) rather than a Notation trust policy. */
function isVerificationPolicy(document: unknown): boolean {
  return typeof document === 'object' && document !== null && 'policies' in document && !('trustPolicies' in document);
}
