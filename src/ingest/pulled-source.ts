import {
  HealthTracker,
  type FrameSource,
  type SourceDeps,
  type SourceEvent,
  type SourceHealth,
} from './frame-source.js';
import type { SourceKind } from './source-config.schema.js';

/**
 * What a source that produces its frames in one generator shares: its health, a close that ends the generator's
 * waits (through `closing`), and a single reader. A subclass writes `run`, watching `closing.signal`.
 */
export abstract class PulledSource implements FrameSource {
  abstract readonly kind: SourceKind;
  protected readonly tracker: HealthTracker;
  protected readonly closing = new AbortController();
  private iterating = false;

  constructor(
    protected readonly deps: SourceDeps,
    /** how error messages name the source: a path, or a URL without credentials */
    private readonly describe: () => string,
  ) {
    this.tracker = new HealthTracker(deps.now ?? (() => new Date()));
  }

  get health(): Readonly<SourceHealth> {
    return this.tracker.health;
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.tracker.state = 'closed';
    this.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterator<SourceEvent> {
    if (this.iterating) throw new Error(`${this.kind} source ${this.describe()} is already being read`);
    this.iterating = true;
    return this.run();
  }

  protected abstract run(): AsyncGenerator<SourceEvent>;

  /** Called by `close` after the signal aborted, for waits the signal does not reach. */
  protected onClose(): void {}
}
