import { measureAdmissionHttp, measureStampede } from './admission-http.js';
import { startBenchFixture } from './fixture.js';

/**
 * `node dist/bench/bench/admission-only.js [workers]`: only the warm-admission rows and the stampede scenario of
 * `npm run bench` (10 images, 2 workers by default), printed as JSON — for iterating on the warm path.
 */
const workers = Number(process.argv[2] ?? 2);
const fixture = await startBenchFixture(10);
try {
  const images = fixture.images.map((image) => image.reference);
  const admission = await measureAdmissionHttp(fixture, images, workers);
  const stampede = await measureStampede(fixture, images, workers);
  process.stdout.write(JSON.stringify({ admission, stampede }, null, 2) + '\n');
} finally {
  await fixture.stop();
}
