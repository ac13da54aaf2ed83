import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CPU milliseconds (user + system) of this process and, where /proc allows, of the registry process. */
export interface CpuMeter {
  /** Starts a window; the returned function gives the CPU ms spent since, per process. */
  start(): () => { nodeMs: number; registryMs: number | undefined };
}

/**
 * Finds the docker-registry serving `host` (its config file names the address) through /proc, Linux only; without it
 * registry CPU is reported as undefined rather than guessed.
 */
export function cpuMeter(registryHost: string): CpuMeter {
  const pid = findRegistryPid(registryHost);
  const registryMs = (): number | undefined => (pid === undefined ? undefined : procCpuMs(pid));
  return {
    start() {
      const node = process.cpuUsage();
      const registry = registryMs();
      return () => {
        const used = process.cpuUsage(node);
        const now = registryMs();
        return { nodeMs: (used.user + used.system) / 1000, registryMs: now === undefined || registry === undefined ? undefined : now - registry };
      };
    },
  };
}

function findRegistryPid(host: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const args = readCmdline(entry);
      if (!args[0]?.endsWith('docker-registry') || args[1] !== 'serve' || !args[2]) continue;
      if (readFileSync(args[2], 'utf8').includes(`addr: ${host}`)) return Number(entry);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function readCmdline(pid: string): string[] {
  try {
    return readFileSync(join('/proc', pid, 'cmdline'), 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** utime + stime of /proc/<pid>/stat, in ms (clock ticks are 100 Hz on Linux). */
export function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
