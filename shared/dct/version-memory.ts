import { DCT_CODES, failed } from './errors.js';

const MAX_ENTRIES = 50_000;

/**
 * Rollback protection: the highest version of each role seen per trust server and gun, in memory (per process;
 * a restart forgets it, and metadata expiry bounds how old a replay can be). Only verified versions are recorded.
 */
export class VersionMemory {
  private readonly highest = new Map<string, number>();

  check(key: string, role: string, version: number): void {
    const seen = this.highest.get(`${key} ${role}`);
    if (seen !== undefined && version < seen) {
      throw failed(DCT_CODES.rollback, `${role} version ${version} is lower than version ${seen} seen before: rollback refused`, { role, version, seen });
    }
  }

  record(key: string, role: string, version: number): void {
    const id = `${key} ${role}`;
    const seen = this.highest.get(id);
    if (seen !== undefined && seen >= version) return;
    // Bounded: when full, forget the oldest-inserted entries (Map keeps insertion order).
    if (seen === undefined && this.highest.size >= MAX_ENTRIES) {
      const oldest = this.highest.keys().next().value;
      if (oldest !== undefined) this.highest.delete(oldest);
    }
    this.highest.delete(id);
    this.highest.set(id, version);
  }
}
