import type { Verdict } from '../verdict/index.js';

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
  /** Entries hit once recently: a second hit makes an entry hot (one-off hits over a large tier do not churn the hot set). */
  private readonly seen = new Set<string>();

  constructor(private readonly maxEntries = 2_048) {}

  /** The verdict for `id` whose stored text is `json`: frozen and shared once hot, else a private parsed copy. */
  get(id: string, json: string): Verdict {
    const known = this.verdicts.get(id);
    if (known !== undefined && known.json === json) return known.verdict;
    if (!this.seen.delete(id)) {
      if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.values().next().value as string);
      this.seen.add(id);
      return JSON.parse(json) as Verdict;
    }
    const verdict = deepFreeze(JSON.parse(json) as Verdict);
    this.verdicts.delete(id);
    if (this.verdicts.size >= this.maxEntries) this.verdicts.delete(this.verdicts.keys().next().value as string);
    this.verdicts.set(id, { json, verdict });
    return verdict;
  }

  delete(id: string): void {
    this.verdicts.delete(id);
    this.seen.delete(id);
  }
}
