import fc from 'fast-check';

/**
 * Property tests are seeded: TRUSTGATE_TEST_SEED (or FC_SEED) replays a run, otherwise a fixed seed keeps runs
 * identical. fast-check prints the seed and the counterexample path of any failure, so it can be replayed.
 */
const seed = Number(process.env['TRUSTGATE_TEST_SEED'] ?? process.env['FC_SEED'] ?? 20261130);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
