import { measureCacheScaling, measureScaling } from './scaling.js';

/**
 * The scaling rows alone (`node dist/bench/bench/scaling-run.js [--cache]`), printed as JSON: quicker than the whole
 * bench when working on one row. `--cache` runs only the cached-verdict rows.
 */
const rows = process.argv.includes('--cache') ? { cached_verdicts: await measureCacheScaling() } : await measureScaling();
process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
