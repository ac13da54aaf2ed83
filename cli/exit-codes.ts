import type { Decision } from '../shared/verification/index.js';

/** The CLI's exit codes are part of its contract with pipelines. */
export const EXIT = { verified: 0, failed: 1, usage: 2, inconclusive: 3 } as const;

export function exitCodeFor(decision: Decision): number {
  switch (decision) {
    case 'allow':
      return EXIT.verified;
    case 'deny':
      return EXIT.failed;
    case 'inconclusive':
      return EXIT.inconclusive;
  }
}
