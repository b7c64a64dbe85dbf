/**
 * One round trip for many callers. A call made while no round trip is in flight starts one at once, alone;
 * calls made while one is in flight wait for it and then go together in the next, up to `maxBatch` at a time.
 * Each caller gets its own answer (`run` answers its inputs in order) or the error of the round trip its input
 * went in. Under a crowd this turns N queries into a few, and no call waits longer than the round trip in
 * flight plus its own.
 */
export class GroupedCalls<In, Out> {
  private pending: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 500,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const outs = await this.run(batch.map((b) => b.input));
          if (outs.length !== batch.length)
            throw new Error(`grouped call answered ${outs.length} of ${batch.length} inputs`);
          batch.forEach((b, i) => b.resolve(outs[i]!));
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
