/**
 * Serialises work on one resource (an inference session) while letting callers overlap everything else: each
 * caller pushes an item and awaits its result; one batch runs at a time, and the next takes every item that
 * arrived meanwhile, up to `maxBatch`. With `maxBatch` 1 it is a plain FIFO; with more, the frames and crops
 * waiting behind a running inference go into the next one together.
 */
export class BatchQueue<I, O> {
  private readonly waiting: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;
  private batches = 0;

  /**
   * @param maxRunning batches handed to `runBatch` before the first of them settles (default 1). A session on a
   *   thread of its own takes 2, so that the next input already waits there when an inference ends instead of
   *   waiting for the event loop to notice and send it.
   */
  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    private readonly maxRunning = 1,
  ) {
    if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) {
      throw new RangeError(`maxBatch must be a whole number of at least 1, got ${maxBatch}`);
    }
    if (!(Number.isInteger(maxRunning) && maxRunning >= 1)) {
      throw new RangeError(`maxRunning must be a whole number of at least 1, got ${maxRunning}`);
    }
  }

  /** Number of batches run so far (for tests and metrics). */
  get batchCount(): number {
    return this.batches;
  }

  get pending(): number {
    return this.waiting.length;
  }

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // Start on a microtask, not now, so that items pushed in the same turn (a frame and its crops) share a batch.
      if (!this.scheduled && this.running < this.maxRunning) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.maxRunning && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.batches++;
      this.running++;
      void this.runOne(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async runOne(batch: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]) {
    try {
      const results = await this.runBatch(batch.map((w) => w.item));
      if (results.length !== batch.length) {
        throw new Error(`batch of ${batch.length} items returned ${results.length} results`);
      }
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      // A failed batch fails only its own items; the items behind it still run.
      for (const w of batch) w.reject(err);
    }
  }
}
