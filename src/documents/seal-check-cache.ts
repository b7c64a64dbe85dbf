/**
 * Remembers, for a short time, whether a stored document matched its seal. A document is written once under its
 * key and never overwritten, so the answer for a key and seal only changes if storage is tampered with; checking
 * again on every page view re-reads and re-hashes the whole PDF for each visitor. Within `ttlMs` a repeat view
 * reuses the answer: tampering is still shown, at most `ttlMs` after it happened. Bounded: the oldest entries go
 * first once `maxEntries` is reached.
 */
export class SealCheckCache {
  private readonly entries = new Map<string, { valid: boolean; until: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async check(key: string, signature: string, verify: () => Promise<boolean>): Promise<boolean> {
    const id = `${key}\u0000${signature}`;
    const at = this.now();
    const hit = this.entries.get(id);
    if (hit && hit.until > at) return hit.valid;
    const valid = await verify();
    this.entries.delete(id);
    this.entries.set(id, { valid, until: at + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return valid;
  }
}
