import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

/**
 * `npm start` on every core: one worker process per core behind the same port (node:cluster; the primary hands
 * out connections round-robin). Each worker builds its own services (own memory tier, tag cache, trust-store
 * look); verdicts are shared through the Table tier (the embedded Azurite runs once, in the primary).
 *
 * TRUSTGATE_LOCAL_WORKERS: `auto` (default: os.availableParallelism()), a number, or 1 for a single process.
 * The Functions equivalent is the platform's: more instances (Flex Consumption scales out per instance memory
 * and concurrency) and, on plans with more than one core per instance, FUNCTIONS_WORKER_PROCESS_COUNT
 * (Node worker processes per host, 1 by default, at most 10).
 */
export const LOCAL_WORKERS_SETTING = 'TRUSTGATE_LOCAL_WORKERS';

/** Most restarts of crashed workers before the primary gives up (a crash loop must not spin forever). */
const MAX_RESTARTS = 10;
/** How long stopping waits for workers to drain before it kills them (their own drain is bounded at 5 s). */
const WORKER_STOP_MS = 8000;

export interface ClusterOptions {
  /** Required. The environment (the setting is read from it; workers inherit it, including what the primary added). */
  env: NodeJS.ProcessEnv;
  /** Optional. Runs once in the primary when it stops (e.g. the embedded Azurite). */
  onStop?: () => Promise<void>;
  /** Optional. Where the primary reports. Default: stderr. */
  report?: (line: string) => void;
}

/** How many worker processes the setting asks for (1 = no cluster). Throws for a value that is not `auto` or 1..64. */
export function localWorkerCount(env: NodeJS.ProcessEnv, cores = availableParallelism()): number {
  const raw = env[LOCAL_WORKERS_SETTING]?.trim() ?? '';
  if (raw === '' || raw === 'auto') return Math.max(1, cores);
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new RangeError(`${LOCAL_WORKERS_SETTING} must be "auto" or an integer 1..64`);
  return count;
}

/**
 * In the primary with more than one worker wanted: forks the workers, restarts crashed ones (bounded), stops them
 * on SIGINT/SIGTERM, and returns true — the caller then serves nothing itself. Returns false in a worker or when one
 * process is wanted: the caller starts the host as usual.
 */
export function runAsClusterPrimary(options: ClusterOptions): boolean {
  if (cluster.isWorker) return false;
  const workers = localWorkerCount(options.env);
  if (workers <= 1) return false;
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stopping = false;
  let restarts = 0;
  const fork = (): Worker => cluster.fork({ ...options.env });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (restarts >= MAX_RESTARTS) {
      report(`trustgate: worker ${worker.process.pid} exited (${signal ?? code}); too many restarts, stopping`);
      void stop(1);
      return;
    }
    restarts++;
    report(`trustgate: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stop = async (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    // Workers drain their in-flight requests (bounded by their own lifecycle); none is left behind.
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exited = Promise.all(running.map((w) => new Promise<void>((done) => w.once('exit', () => done()))));
    for (const worker of running) worker.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, WORKER_STOP_MS).unref())]);
    for (const worker of running) if (!worker.isDead()) worker.process.kill('SIGKILL');
    await options.onStop?.();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  for (let i = 0; i < workers; i++) fork();
  report(`trustgate: ${workers} worker processes (${LOCAL_WORKERS_SETTING}=${options.env[LOCAL_WORKERS_SETTING] ?? 'auto'})`);
  return true;
}
