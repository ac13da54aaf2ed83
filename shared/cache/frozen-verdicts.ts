import type { Verdict } from '../verdict/index.js';

/** Parts (objects, arrays, strings) whose JSON text is at most this long are shared between verdicts. */
const MAX_PART_CHARS = 512;
/** Parts remembered per generation; two generations are kept (about 2 MB at most, far less in practice). */
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
    const root = JSON.parse(json) as JsonNode;
    this.shareParts(root);
    return root as unknown as Verdict;
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
   * Replaces each child of `node` by an equal shared part where one is known, freezes `node` and returns its JSON
   * text when it is short enough to be shared itself.
   */
  private shareParts(node: JsonNode): string | undefined {
    const isArray = Array.isArray(node);
    const fields = node as Record<string, Json>;
    let text: string | undefined = isArray ? '[' : '{';
    let first = true;
    for (const name of Object.keys(node)) {
      const child = fields[name] as Json;
      let childText: string | undefined;
      if (typeof child === 'string') {
        childText = JSON.stringify(child);
        if (childText.length <= MAX_PART_CHARS) this.replace(fields, name, child, this.known(childText, child));
      } else if (typeof child === 'object' && child !== null) {
        childText = this.shareParts(child);
        if (childText !== undefined) this.replace(fields, name, child, this.known(childText, child));
      } else {
        childText = JSON.stringify(child);
      }
      if (text !== undefined && childText !== undefined) {
        text += (first ? '' : ',') + (isArray ? '' : JSON.stringify(name) + ':') + childText;
        if (text.length > MAX_PART_CHARS) text = undefined;
      } else {
        text = undefined;
      }
      first = false;
    }
    Object.freeze(node);
    return text === undefined ? undefined : text + (isArray ? ']' : '}');
  }

  /** The shared part whose JSON text is `text`, or `part` itself, now the one shared under that text. */
  private known<T extends JsonNode | string>(text: string, part: T): T {
    const current = this.current.get(text);
    if (current !== undefined) return current as T;
    const kept = (this.previous.get(text) as T | undefined) ?? part;
    if (this.current.size >= MAX_PARTS) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(text, kept);
    return kept;
  }

  /**
   * Points `fields[name]` at the shared part. A `__proto__` member is left as parsed: JSON.parse made it an own data
   * property, so assigning would be safe, but nothing is gained by going near the prototype setter.
   */
  private replace(fields: Record<string, Json>, name: string, child: Json, shared: Json): void {
    if (shared !== child && name !== '__proto__') fields[name] = shared;
  }
}
