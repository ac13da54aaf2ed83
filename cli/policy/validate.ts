import { readFile } from 'node:fs/promises';
import { validateTrustPolicy } from '../../shared/policy/index.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** `trustgate policy validate <file>`: every problem of the document, one per line; exit 1 when there is one. */
export async function validateCommand(file: string, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(`trustgate: ${code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file} (${code ?? 'error'})`}\n`);
    return EXIT.usage;
  }
  const problems = validateTrustPolicy(text);
  if (problems.length === 0) {
    io.stdout(`${file}: valid trust policy\n`);
    return EXIT.verified;
  }
  io.stdout(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  for (const problem of problems) io.stdout(`  ${problem.path ? `${problem.path}: ` : ''}${problem.message} [${problem.code}]\n`);
  return EXIT.failed;
}
