/**
 * The command screen's live stream, the parts without I/O: how a server-sent event is written and how many
 * streams each member of staff holds (a cap, so a page reloaded in a loop or a script cannot pile up streams).
 */

/** Names of the events the page listens to (public/js/screen.js). */
export type ScreenEvent = 'snapshot' | 'heartbeat' | 'session-expired';

/**
 * One server-sent event: `event:` and one `data:` line of JSON. JSON has no raw newlines (they are escaped as
 * `\n`), and U+2028/U+2029 are line breaks for no SSE parser, so the data is always one line.
 */
export function sseMessage(event: ScreenEvent, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Counts open streams per user; `take` refuses past the cap, `give` returns a slot when a stream ends. */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perUser: number) {}

  take(userId: string): boolean {
    const n = this.open.get(userId) ?? 0;
    if (n >= this.perUser) return false;
    this.open.set(userId, n + 1);
    return true;
  }

  give(userId: string): void {
    const n = this.open.get(userId) ?? 0;
    if (n <= 1) this.open.delete(userId);
    else this.open.set(userId, n - 1);
  }

  held(userId: string): number {
    return this.open.get(userId) ?? 0;
  }
}
