import type { Verdict } from '../verification/verdict.js';

/** Deep-freezes a JSON value in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parsed, deep-frozen verdicts of the most recently hit memory entries: a hit costs no JSON.parse and no copy,
 * and since the objects are frozen no caller can change what the cache serves (an assignment throws in strict
 * code). Bounded so the tier keeps its compact JSON form for everything else (the RSS goal).
 */
export class FrozenVerdicts {
  private readonly verdicts = new Map<string, { json: string; verdict: Verdict }>();

  constructor(private readonly maxEntries = 2_048) {}

  /** The frozen verdict for `id` whose stored text is `json` (parsed once while it stays hot). */
  get(id: string, json: string): Verdict {
    const known = this.verdicts.get(id);
    if (known !== undefined && known.json === json) return known.verdict;
    const verdict = deepFreeze(JSON.parse(json) as Verdict);
    this.verdicts.delete(id);
    if (this.verdicts.size >= this.maxEntries) this.verdicts.delete(this.verdicts.keys().next().value as string);
    this.verdicts.set(id, { json, verdict });
    return verdict;
  }

  delete(id: string): void {
    this.verdicts.delete(id);
  }
}
