import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchFixture } from './fixture.js';
import { round } from './stats.js';

/** What hyperfine's `--export-json` holds per command (seconds). */
interface HyperfineResult {
  command: string;
  mean: number;
  median: number;
  min: number;
  user: number;
  system: number;
  times: number[];
}

export interface CliTimes {
  node_ms: number;
  help_ms: number;
  version_ms: number;
  verify_ms: number;
  help_over_node: number;
  verify_over_node: number;
  runs: number;
}

export const CLI_ENTRY = resolve('dist/cli/main.js');

/**
 * Whole-process times of the built CLI, measured by Debian's `hyperfine` in one run against a bare `node -e 0`, so the
 * ratios hold on a loaded machine: `trustgate --help`, `--version`, and `verify` of a signed image on the loopback
 * registry (a fresh process each time: nothing is cached between runs). Medians; the verify run must exit 0.
 */
export async function measureCli(fixture: BenchFixture, runs = 20): Promise<CliTimes> {
  if (spawnSync('hyperfine', ['--version']).status !== 0) throw new Error('bench: hyperfine is missing (apt-get install hyperfine)');
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-bench-cli-'));
  try {
    const image = fixture.images[0];
    if (!image) throw new Error('bench: the fixture has no image');
    const node = process.execPath;
    const cli = `${node} ${CLI_ENTRY}`;
    const commands = [
      `${node} -e 0`,
      `${cli} --help`,
      `${cli} --version`,
      `${cli} verify ${image.reference} --trust-policy ${fixture.env['TRUSTGATE_TRUST_POLICY']} --trust-store ${fixture.env['TRUSTGATE_TRUST_STORE']} --plain-http`,
    ];
    const json = join(dir, 'hyperfine.json');
    // No shell between hyperfine and node (-N); no DOCKER_CONFIG of the machine's user (HOME is the temp dir).
    await run('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', json, ...commands], { PATH: process.env.PATH ?? '', HOME: dir });
    const results = (JSON.parse(await readFile(json, 'utf8')) as { results: HyperfineResult[] }).results;
    const [bare, help, version, verify] = results.map((r) => r.median * 1000) as [number, number, number, number];
    return {
      node_ms: round(bare),
      help_ms: round(help),
      version_ms: round(version),
      verify_ms: round(verify),
      help_over_node: round(help / bare),
      verify_over_node: round(verify / bare),
      runs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`bench: hyperfine exited ${code}: ${stderr.slice(-2000)}`))));
  });
}
