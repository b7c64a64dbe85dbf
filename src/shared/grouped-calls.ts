/**
 * One round trip for many callers. A call made while fewer than `inFlight` round trips are under way starts one
 * at once; calls made while all are busy wait and go together in the next one to start, up to `maxBatch` at a
 * time. Each caller gets its own answer (`run` answers its inputs in order) or the error of the round trip its
 * input went in. Under a crowd this turns N queries into a few, and no call waits longer than a round trip in
 * flight plus its own. More than one in flight lets a large crowd's round trips use more than one database
 * connection (and core) at once.
 */
export class GroupedCalls<In, Out> {
  private pending: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;
  private readonly maxBatch: number;
  private readonly inFlight: number;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    options: { maxBatch?: number; inFlight?: number } = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.inFlight = options.inFlight ?? 1;
  }

  call(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.inFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.running++;
      void this.send(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async send(batch: typeof this.pending): Promise<void> {
    try {
      const outs = await this.run(batch.map((b) => b.input));
      if (outs.length !== batch.length)
        throw new Error(`grouped call answered ${outs.length} of ${batch.length} inputs`);
      batch.forEach((b, i) => b.resolve(outs[i]!));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}
