/** A block of linear memory: byte offset and size. */
export interface Block {
  readonly offset: number;
  readonly size: number;
}

/**
 * First-fit placement of blocks above `start` (bytes): reuses released blocks, merging free
 * neighbours, and otherwise bumps `end`; a free run that reaches `end` lowers it again, so the
 * scratch space above `end` gets it back.
 */
export class BlockAllocator {
  private top: number;
  /** Free runs below `top`, sorted by offset, never adjacent. */
  private readonly free: { offset: number; size: number }[] = [];

  constructor(start: number) {
    this.top = start;
  }

  /** The end of the highest block in use (where scratch space starts). */
  get end(): number {
    return this.top;
  }

  /** Offset of a new block of `size` bytes (the lowest free run that fits, else at `end`). */
  allocate(size: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const run = this.free[i];
      if (run.size < size) continue;
      const offset = run.offset;
      if (run.size === size) this.free.splice(i, 1);
      else {
        run.offset += size;
        run.size -= size;
      }
      return offset;
    }
    const offset = this.top;
    this.top += size;
    return offset;
  }

  /** Gives a block back. */
  release(block: Block): void {
    let i = 0;
    while (i < this.free.length && this.free[i].offset < block.offset) i++;
    this.free.splice(i, 0, { offset: block.offset, size: block.size });
    if (i + 1 < this.free.length && this.free[i].offset + this.free[i].size === this.free[i + 1].offset) {
      this.free[i].size += this.free[i + 1].size;
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1].offset + this.free[i - 1].size === this.free[i].offset) {
      this.free[i - 1].size += this.free[i].size;
      this.free.splice(i, 1);
    }
    const last = this.free[this.free.length - 1];
    if (last.offset + last.size === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }

  /** The free runs (for tests and diagnostics). */
  freeRuns(): Block[] {
    return this.free.map((run) => ({ ...run }));
  }
}
