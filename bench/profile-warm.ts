import { allFunctions } from '../functions/all.js';
import { createServices, loadSettings, setServices } from '../shared/config/index.js';
import { fixedClock, silentLogger } from '../shared/core/index.js';
import { InvocationContext } from '../host/functions-runtime.js';
import { LocalHttpRequest } from '../host/local-request.js';
import { podReview } from './admission-http.js';
import { startBenchFixture } from './fixture.js';
import { log } from './stats.js';

/**
 * `node [--cpu-prof] dist/bench/bench/profile-warm.js [calls]`: the admission-validate handler called in-process for a warm
 * 10-image Pod (no HTTP), then `verify` alone for the same tags: microseconds per review and per verify.
 */
const calls = Number(process.argv[2] ?? 20_000);
const key = 'bench-admission-key-0123456789abcdef0123';
const fixture = await startBenchFixture(10);
try {
  const env = { ...fixture.env, TRUSTGATE_ADMISSION_KEY: key };
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  const services = await createServices(loadSettings(env), { clock: fixedClock(fixture.now), logger: silentLogger });
  setServices(services);
  const definition = allFunctions.find((d) => d.name === 'admission-validate');
  if (definition?.kind !== 'http') throw new Error('no admission-validate');
  const body = new TextEncoder().encode(podReview(fixture.images.map((i) => i.reference)));
  const context = new InvocationContext({ invocationId: 'x', functionName: definition.name });
  const one = async () => {
    const request = new LocalHttpRequest({ method: 'POST', url: new URL(`http://127.0.0.1/api/v1/admission/validate/${key}`), headers: { 'content-type': 'application/json' }, params: { key }, body });
    const response = await definition.handler(request, context);
    if (!JSON.stringify((response as { jsonBody?: unknown }).jsonBody).includes('"allowed":true')) throw new Error(`not allowed: ${JSON.stringify(response)}`);
  };
  for (let i = 0; i < 200; i++) await one();
  let t0 = performance.now();
  for (let i = 0; i < calls; i++) await one();
  log(`handler: ${((performance.now() - t0) * 1000 / calls).toFixed(1)} µs per review`);
  const refs = fixture.images.map((i) => i.reference);
  t0 = performance.now();
  for (let i = 0; i < calls * 10; i++) await services.verification.verify(refs[i % refs.length] as string);
  log(`verify (tag, warm): ${((performance.now() - t0) * 1000 / (calls * 10)).toFixed(2)} µs per call`);
} finally {
  await fixture.stop();
}
