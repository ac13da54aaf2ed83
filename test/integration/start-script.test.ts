import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `kill -TERM <npm start pid>` must reach the server: npm passes the signal to the script's shell, and only a shell that
 * exec'd node lets node receive it (otherwise node is orphaned, still serving). This runs the real `start` script of
 * package.json through npm, with the install check, the build step and the entry point swapped for a stand-in that records the signal.
 */
describe('npm start and signals', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('SIGTERM to npm stops the node server it started (no orphan)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tg-start-'));
    const script = pkg.scripts.start
      .replace('node scripts/ensure-deps.mjs', 'true')
      .replace('npm run build --silent', 'true')
      .replace('dist/host/main.js', 'server.mjs');
    expect(script).not.toBe(pkg.scripts.start); // the real script has both parts
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'start-probe', version: '0.0.0', private: true, scripts: { start: script } }));
    await writeFile(join(dir, 'server.mjs'), [
      "import { writeFileSync } from 'node:fs';",
      "writeFileSync('pid', String(process.pid));",
      "process.once('SIGTERM', () => { writeFileSync('stopped', 'SIGTERM'); process.exit(0); });",
      'setInterval(() => undefined, 1000);',
    ].join('\n'));
    const npm = spawn('npm', ['start', '--silent'], { cwd: dir, stdio: 'ignore' });
    let serverPid = 0;
    for (let i = 0; i < 300 && !serverPid; i++) {
      serverPid = Number(await readFile(join(dir, 'pid'), 'utf8').catch(() => '0'));
      if (!serverPid) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(serverPid).toBeGreaterThan(0);
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    npm.kill('SIGTERM');
    await exited;
    for (let i = 0; i < 100 && alive(serverPid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const orphan = alive(serverPid);
    if (orphan) process.kill(serverPid, 'SIGKILL');
    expect(orphan).toBe(false);
    expect(await readFile(join(dir, 'stopped'), 'utf8')).toBe('SIGTERM');
  }, 60_000);
});
