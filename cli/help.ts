/** The commands, one line each: the top-level help is printed from this table without loading commander. */
export const COMMANDS = [
  { usage: 'verify [options] <reference>', summary: 'verify the signatures of an image reference' },
  { usage: 'pin [options] [files...]', summary: 'verify every image in Kubernetes manifests and pin each to its verified digest' },
  { usage: 'policy validate <file>', summary: 'print every problem in a trust policy; non-zero exit when there is one' },
] as const;

export const DESCRIPTION = 'Decides whether a container image may run: verifies its signatures against a trust policy.';

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length)) + 2;
  return [
    'Usage: trustgate [options] [command]',
    '',
    DESCRIPTION,
    '',
    'Options:',
    '  -V, --version'.padEnd(width + 2) + 'output the version number',
    '  -h, --help'.padEnd(width + 2) + 'display help for command',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}${c.summary}`),
    '  help [command]'.padEnd(width + 2) + 'display help for command',
    '',
    'Exit codes: 0 verified, 1 verification failed, 2 usage or configuration error, 3 inconclusive.',
    '',
  ].join('\n');
}
