import type { Clock } from '../core/index.js';

/** The docker token spec's default lifetime when a token endpoint omits `expires_in`. */
const DEFAULT_LIFETIME_S = 60;
const MAX_ENTRIES = 256;

/** Anonymous bearer tokens per trust-server origin and scope, reused until 10 s before they lapse. */
export class TokenCache {
  private readonly entries = new Map<string, { token: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  get(origin: string, scope: string): string | undefined {
    const entry = this.entries.get(`${origin} ${scope}`);
    if (!entry) return undefined;
    if (entry.until <= this.clock.now().getTime()) {
      this.entries.delete(`${origin} ${scope}`);
      return undefined;
    }
    return entry.token;
  }

  set(origin: string, scope: string, token: string, expiresInSeconds = DEFAULT_LIFETIME_S): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const lifetime = Math.max(0, Math.min(expiresInSeconds, 3600) - 10);
    this.entries.set(`${origin} ${scope}`, { token, until: this.clock.now().getTime() + lifetime * 1000 });
  }
}
