const PAGE_BYTES = 65536;
const ALIGN_BYTES = 64;

/**
 * Scratch space in a module's linear memory, above its static data: each kernel call lays out
 * the regions it needs from the same base (calls never overlap: JavaScript is single-threaded),
 * growing memory when a call needs more than ever before.
 */
export class Workspace {
  private floats: Float32Array;
  private ints: Int32Array;
  private readonly base: number;

  constructor(
    readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.base = Math.ceil(heapBase / ALIGN_BYTES) * ALIGN_BYTES;
    this.floats = new Float32Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
  }

  /** Byte offsets of consecutive 64-byte-aligned regions of `counts[i]` 4-byte elements. */
  layout(...counts: number[]): number[] {
    const offsets: number[] = [];
    let end = this.base;
    for (const count of counts) {
      offsets.push(end);
      end += Math.ceil((count * 4) / ALIGN_BYTES) * ALIGN_BYTES;
    }
    const size = this.memory.buffer.byteLength;
    if (end > size) this.memory.grow(Math.ceil((end - size) / PAGE_BYTES));
    // Growing detaches the old buffer: refresh the views whenever it changed.
    if (this.floats.buffer !== this.memory.buffer) {
      this.floats = new Float32Array(this.memory.buffer);
      this.ints = new Int32Array(this.memory.buffer);
    }
    return offsets;
  }

  /** Copies source[0..length) to the region at byte `offset`. */
  write(offset: number, source: Float32Array | Int32Array, length: number): void {
    const view = source instanceof Int32Array ? this.ints : this.floats;
    view.set(length === source.length ? source : source.subarray(0, length), offset >> 2);
  }

  /** Sets `length` floats from byte `offset` to `value`. */
  fill(offset: number, length: number, value: number): void {
    this.floats.fill(value, offset >> 2, (offset >> 2) + length);
  }

  /** Copies `length` elements from the region at byte `offset` into target[targetStart..]. */
  read(offset: number, target: Float32Array | Int32Array, length: number, targetStart = 0): void {
    const view = target instanceof Int32Array ? this.ints : this.floats;
    target.set(view.subarray(offset >> 2, (offset >> 2) + length), targetStart);
  }
}
