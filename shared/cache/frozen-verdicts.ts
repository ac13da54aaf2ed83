import type { Verdict } from '../verdict/index.js';

/** Parts (objects, arrays, strings) whose JSON text is at most this long are shared between verdicts. */
const MAX_PART_CHARS = 512;
/** Parts remembered per generation; two generations are kept (a few MB at most, far less in practice). */
const MAX_PARTS = 2_048;

type Json = string | number | boolean | null | JsonNode;
type JsonNode = Json[] | { [name: string]: Json };

/**
 * Makes the memory tier's stored form: a deep-frozen private copy of each verdict, with parts equal to another
 * verdict's (the policy, the checks, a signer, its thumbprints, the reasons, repeated strings) shared instead of held
 * again. A hit returns the stored verdict itself — no JSON.parse, no copy — and since every part is frozen no caller
 * can change what the cache serves (an assignment throws in strict code), nor reach another entry through a shared
 * part. Two parts are shared only when their JSON texts are equal, so sharing never changes what a verdict says.
 *
 * The table of known parts is bounded (two generations of MAX_PARTS: a part still in use is carried into the
 * new generation when it is met again, a part met no more is forgotten); a forgotten part stays alive only through
 * the entries holding it.
 */
export class FrozenVerdicts {
  private current = new Map<string, JsonNode | string>();
  private previous = new Map<string, JsonNode | string>();

  /** A deep-frozen copy of the verdict whose JSON text is `json` (the text's own parse: JSON semantics exactly). */
  freeze(json: string): Verdict {
    return this.shareParts(JSON.parse(json) as JsonNode) as unknown as Verdict;
  }

  /** `text` itself, or an equal string already held (a cache key's digest is its verdict's subject digest). */
  shareString(text: string): string {
    const json = JSON.stringify(text);
    return json.length <= MAX_PART_CHARS ? this.known(json, text) : text;
  }

  /** Parts known now (for tests and measurements). */
  get knownParts(): number {
    return this.current.size + this.previous.size;
  }

  /**
   * Replaces each child of `node` (a private parse) by an equal shared part where one is known, and freezes it.
   * Top-down: a child whose JSON text is known is replaced whole without visiting what is inside it (most of a
   * verdict — policy, checks, signer, reasons — is), so a put looks up a few texts rather than every string.
   */
  private shareParts(node: JsonNode): JsonNode {
    const fields = node as Record<string, Json>;
    for (const name of Object.keys(node)) {
      const child = fields[name] as Json;
      if (typeof child !== 'string' && (typeof child !== 'object' || child === null)) continue;
      const text = JSON.stringify(child);
      const shareable = text.length <= MAX_PART_CHARS;
      // A `__proto__` member is left as parsed (and frozen like the rest): JSON.parse made it an own data property,
      // so assigning would be safe, but nothing is gained by going near the prototype setter.
      const known = shareable && name !== '__proto__' ? this.lookup(text) : undefined;
      if (known !== undefined) {
        fields[name] = known;
        continue;
      }
      if (typeof child === 'object') this.shareParts(child);
      if (shareable && name !== '__proto__') this.remember(text, child);
    }
    Object.freeze(node);
    return node;
  }

  /** The shared part whose JSON text is `text`, or `part` itself, now the one shared under that text. */
  private known<T extends JsonNode | string>(text: string, part: T): T {
    const kept = this.lookup(text) as T | undefined;
    if (kept !== undefined) return kept;
    this.remember(text, part);
    return part;
  }

  /** The part shared under `text`, carried into the current generation when found in the previous one. */
  private lookup(text: string): JsonNode | string | undefined {
    const current = this.current.get(text);
    if (current !== undefined) return current;
    const previous = this.previous.get(text);
    if (previous !== undefined) this.remember(text, previous);
    return previous;
  }

  private remember(text: string, part: JsonNode | string): void {
    if (this.current.size >= MAX_PARTS) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(text, part);
  }
}
