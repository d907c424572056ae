/**
 * Per-batch-size buffers: built on the first call with a batch size, reused afterwards, so
 * forward/backward allocate nothing in steady state. A few sizes stay cached at once (training
 * batch, last partial batch, evaluation batch); the least recently built one is evicted beyond.
 */
export class BatchCache<T> {
  private readonly entries = new Map<number, T>();

  constructor(
    private readonly create: (batch: number) => T,
    private readonly capacity = 4,
  ) {}

  /** The buffers for `batch`, built now if this size was not seen (or was evicted). */
  get(batch: number): T {
    let entry = this.entries.get(batch);
    if (entry === undefined) {
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value as number;
        this.entries.delete(oldest);
      }
      entry = this.create(batch);
      this.entries.set(batch, entry);
    }
    return entry;
  }
}
