import { TooManyRequestsError } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * The same fixed-window limit as RateLimiter.hit, for a key hit on every request (a portal session's pages),
 * without a Redis round trip per request. The first attempt of a window in this process is counted in Redis at
 * once and tells the count so far and when the window ends; later ones are counted here and decided here, and
 * sent to Redis together at most every `sendMs` (the answer brings back what other API processes counted).
 * Within one process the limit is exact; across processes a key may get past `max` by what the others took in
 * the last `sendMs` before each learns of it. Attempts not yet sent when the process stops are not counted.
 */
export class BatchedRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly sendMs = 100,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one attempt; throws 429 once `max` attempts were made within the window. */
  async hit(key: string, max: number, windowS: number): Promise<void> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      const { count, ttlS } = await this.limiter.add(key, 1, windowS);
      const opened = this.windows.get(key);
      if (opened && opened.endsAt > now) {
        // Another attempt opened the window while this one was in Redis.
        opened.count = Math.max(opened.count + 1, count);
        w = opened;
      } else {
        if (this.windows.size >= this.maxKeys) this.sweep(now);
        w = { count, unsent: 0, endsAt: now + ttlS * 1000, sending: false };
        this.windows.set(key, w);
      }
    } else {
      w.count += 1;
      w.unsent += 1;
      if (!w.sending) this.send(key, w, windowS);
    }
    if (w.count > max) {
      const left = Math.max(1, Math.ceil((w.endsAt - now) / 1000));
      throw new TooManyRequestsError(`too many attempts, try again in ${left} s`);
    }
  }

  /** Sends what the window counted since the last send, after `sendMs`, and learns the shared count. */
  private send(key: string, w: Window, windowS: number): void {
    w.sending = true;
    const timer = setTimeout(() => {
      const n = w.unsent;
      w.unsent = 0;
      this.limiter.add(key, n, windowS).then(
        ({ count }) => {
          w.count = Math.max(w.count, count + w.unsent);
          w.sending = false;
          if (w.unsent > 0) this.send(key, w, windowS);
        },
        () => {
          // Redis did not answer: the attempts go with the next send.
          w.unsent += n;
          w.sending = false;
        },
      );
    }, this.sendMs);
    timer.unref();
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.endsAt <= now && !w.sending) this.windows.delete(key);
    if (this.windows.size >= this.maxKeys)
      for (const key of [...this.windows.keys()].slice(0, this.maxKeys / 4)) this.windows.delete(key);
  }
}

interface Window {
  /** attempts in the window: the shared count last learned plus what this process counted since */
  count: number;
  /** attempts counted here and not yet sent */
  unsent: number;
  endsAt: number;
  sending: boolean;
}
