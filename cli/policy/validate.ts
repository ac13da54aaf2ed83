import { readFile } from 'node:fs/promises';
import { validateTrustPolicy } from '../../shared/policy/index.js';
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
  const problems = validateTrustPolicy(document);
  if (problems.length === 0) {
    io.stdout(`${file}: valid trust policy\n`);
    return EXIT.verified;
  }
  io.stdout(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  for (const problem of problems) {
    const hint = hintFor(problem, document);
    io.stdout(`  ${problem.path ? `${problem.path}: ` : ''}${problem.message}${hint ? ` (${hint})` : ''} [${problem.code}]\n`);
  }
  return EXIT.failed;
}
