import { monitorEventLoopDelay } from 'node:perf_hooks';
import { answerProviderRequest } from '../shared/admission/index.js';
import type { Services } from '../shared/config/index.js';
import { parseEnvelope } from '../shared/notary/envelope/index.js';
import { RegistryClient } from '../shared/oci/index.js';
import { validateCodeSigningChain } from '../shared/pki/index.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Descriptor } from '../shared/oci/index.js';
import type { BenchFixture, BenchImage } from './fixture.js';
import { percentile, round } from './stats.js';

interface HostileRegistry {
  host: string;
  deepManifest: Descriptor;
  subject: Descriptor;
}

/** Forks bench/hostile-registry and waits for what it serves. */
async function startHostileRegistry(): Promise<{ registry: HostileRegistry; child: ChildProcess }> {
  const child = fork(fileURLToPath(new URL('./hostile-registry.js', import.meta.url)), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const registry = await new Promise<HostileRegistry>((resolve, reject) => {
    child.once('message', (message) => resolve(message as HostileRegistry));
    child.once('exit', (code) => reject(new Error(`bench: hostile registry exited with ${code}`)));
  });
  return { registry, child };
}

export interface HostileOptions {
  /** Warm admission requests (Gatekeeper provider, one key each) answered while the attack runs. */
  admissions: number;
  /** Attack loops running at once. */
  attackers: number;
  /** Deadline of each admission answer (Gatekeeper's default validating timeout is 3 s). */
  deadlineMs: number;
}

/**
 * Issue 9's attack scenario: warm admission answers (verdicts already in the memory tier) while hostile work runs —
 * envelopes with 4,002 certificates, deeply nested envelopes, manifests and referrers indexes served by a hostile
 * registry in another process, over-long chains. Reports event-loop delay and admission latency; every admission must answer
 * inside its deadline.
 */
export async function measureHostile(services: Services, fixture: BenchFixture, warm: readonly BenchImage[], options: HostileOptions) {
  const { registry: hostile, child } = await startHostileRegistry();
  try {
    const attacks = prepareAttacks(fixture, hostile);
    for (const image of warm) await services.verification.verify(image.pinned); // warm the memory tier
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let stop = false;
    let attacksRun = 0;
    const attackLoop = async (offset: number): Promise<void> => {
      for (let i = offset; !stop; i++) {
        await (attacks[i % attacks.length] as () => Promise<void>)();
        attacksRun++;
        await new Promise((resolve) => setImmediate(resolve)); // each attack is a request of its own: it yields between them
      }
    };
    histogram.enable();
    const loops = Array.from({ length: options.attackers }, (_, i) => attackLoop(i));
    const latencies: number[] = [];
    let overDeadline = 0;
    for (let i = 0; i < options.admissions; i++) {
      const image = warm[i % warm.length] as BenchImage;
      const start = performance.now();
      const answer = await answerProviderRequest([image.pinned], { kind: 'verify' }, { service: services.verification }, { signal: AbortSignal.timeout(options.deadlineMs) });
      const ms = performance.now() - start;
      latencies.push(ms);
      const item = answer.response.items[0];
      if (ms > options.deadlineMs || item?.error !== undefined) overDeadline++;
      await new Promise((resolve) => setImmediate(resolve)); // let the attack loops take turns, as separate requests would
    }
    stop = true;
    await Promise.all(loops);
    histogram.disable();
    return {
      event_loop_delay_p99_ms: round(histogram.percentile(99) / 1e6),
      event_loop_delay_max_ms: round(histogram.max / 1e6),
      admission_p99_ms: round(percentile(latencies, 99)),
      admission_p50_ms: round(percentile(latencies, 50)),
      admissions: latencies.length,
      admissions_over_deadline: overDeadline,
      attacks_run: attacksRun,
      deadline_ms: options.deadlineMs,
    };
  } finally {
    child.disconnect();
  }
}

/** Each attack ends in a refusal by a bound (asserted: a bound that let one through would fail the bench). */
function prepareAttacks(fixture: BenchFixture, hostile: HostileRegistry): Array<() => Promise<void>> {
  const cert = fixture.chain.leaf.der.toString('base64');
  const bloated = Buffer.from(JSON.stringify({ payload: 'e30', protected: 'e30', header: { x5c: Array.from({ length: 4002 }, () => cert) }, signature: 'AA' }));
  const deepEnvelope = Buffer.from(`{"payload":${'['.repeat(400_000)}${']'.repeat(400_000)}}`);
  const { deepManifest, subject } = hostile;
  const client = new RegistryClient({ plainHttp: [hostile.host], allowRegistry: (host) => host === hostile.host, retries: 0 });
  const longChain = Array.from({ length: 4002 }, () => fixture.chain.leaf.der);
  const refused = async (work: () => unknown, code: string): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if ((error as { code?: string }).code === code) return;
      throw error;
    }
    throw new Error(`bench: hostile input was not refused with ${code}`);
  };
  const all = [
    () => refused(() => parseEnvelope(bloated, 'application/jose+json'), 'ERR_NOTARY_ENVELOPE_TOO_LARGE'),
    () => refused(() => parseEnvelope(deepEnvelope, 'application/jose+json'), 'ERR_NOTARY_ENVELOPE_TOO_DEEP'),
    () => refused(() => client.fetchManifest(`${hostile.host}/evil/app`, deepManifest), 'ERR_CONTENT_TOO_DEEP'),
    () => refused(async () => {
      for await (const _ of client.referrers(`${hostile.host}/evil/app`, subject)) void _;
    }, 'ERR_CONTENT_TOO_DEEP'),
    () => refused(() => validateCodeSigningChain(longChain), 'ERR_CERT_CHAIN_TOO_LONG'),
  ];
  const only = process.env['TRUSTGATE_BENCH_HOSTILE_ONLY'];
  return only === undefined ? all : only.split(',').map((i) => all[Number(i)] as () => Promise<void>);
}
