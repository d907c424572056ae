import { BlockAllocator, type Block } from './block-allocator.js';

const PAGE_BYTES = 65536;
const ALIGN_BYTES = 64;
/** Bytes after every allocated block: kernels may read a few floats past an operand's end. */
const BLOCK_SLACK_BYTES = 64;

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}

/**
 * A module's linear memory above its static data: long-lived blocks handed out by `allocate`
 * (only over a shared memory, whose views survive growth), then per-call scratch space above
 * them. Each kernel call lays out its scratch regions from the same base (calls never overlap:
 * JavaScript is single-threaded), growing memory when a call needs more than ever before.
 */
export class Workspace {
  private floats: Float32Array;
  private ints: Int32Array;
  private bytes: Uint8Array;
  /** The long-lived blocks; scratch space starts at their end. */
  private readonly blocks: BlockAllocator;
  /** Every buffer object of this memory: a shared memory gets a new one at each growth. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly registry: FinalizationRegistry<Block> | null;

  constructor(
    readonly memory: WebAssembly.Memory,
    heapBase: number,
    /** Whether `memory` is shared, so views into it stay valid when it grows. */
    readonly shared: boolean,
  ) {
    this.blocks = new BlockAllocator(align(heapBase));
    this.floats = new Float32Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
    this.bytes = new Uint8Array(memory.buffer);
    this.buffers.add(memory.buffer);
    this.registry = shared && typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((block: Block) => this.blocks.release(block)) : null;
  }

  /**
   * A zeroed array of `length` floats inside linear memory, which kernels read and write in
   * place; its block returns to the free list when the array is garbage-collected.
   */
  allocate(length: number): Float32Array {
    if (!this.shared) throw new Error('wasm kernels: allocate needs a shared memory');
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`wasm kernels: allocate: length must be a non-negative integer, got ${length}`);
    const size = align(length * 4 + BLOCK_SLACK_BYTES);
    const offset = this.blocks.allocate(size);
    this.ensure(this.blocks.end);
    // Freed blocks and old scratch space hold stale values.
    this.floats.fill(0, offset >> 2, (offset + size) >> 2);
    const array = new Float32Array(this.memory.buffer, offset, length);
    this.buffers.add(array.buffer);
    this.registry?.register(array, { offset, size });
    return array;
  }

  /** Byte offset of `array` when it lives in this memory (from `allocate`), else -1. */
  address(array: Float32Array | Int32Array): number {
    return this.shared && this.buffers.has(array.buffer) ? array.byteOffset : -1;
  }

  /** Byte offsets of consecutive 64-byte-aligned scratch regions of `counts[i]` 4-byte elements. */
  layout(...counts: number[]): number[] {
    const offsets: number[] = [];
    let end = this.blocks.end;
    for (const count of counts) {
      offsets.push(end);
      end += align(count * 4);
    }
    this.ensure(end);
    return offsets;
  }

  /**
   * Where a kernel reads `length` elements of `source`: its own place when resident, else a copy
   * at the scratch region `scratch`.
   */
  input(source: Float32Array | Int32Array, length: number, scratch: number): number {
    const at = this.address(source);
    if (at >= 0) return at;
    this.write(scratch, source, length);
    return scratch;
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

  /** Copies `source[from..from + length)` to the bytes at byte `offset`. */
  writeBytes(offset: number, source: Uint8Array, from: number, length: number): void {
    if (this.bytes.buffer !== this.memory.buffer) this.bytes = new Uint8Array(this.memory.buffer);
    this.bytes.set(source.subarray(from, from + length), offset);
  }

  /** Copies `length` elements from the region at byte `offset` into target[targetStart..]. */
  read(offset: number, target: Float32Array | Int32Array, length: number, targetStart = 0): void {
    const view = target instanceof Int32Array ? this.ints : this.floats;
    target.set(view.subarray(offset >> 2, (offset >> 2) + length), targetStart);
  }

  /** Copies a kernel's result at `offset` back into `target` unless it was computed in place there. */
  finish(offset: number, target: Float32Array | Int32Array, length: number): void {
    if (this.address(target) !== offset) this.read(offset, target, length);
  }

  private ensure(end: number): void {
    const size = this.memory.buffer.byteLength;
    if (end > size) this.memory.grow(Math.ceil((end - size) / PAGE_BYTES));
    // Growing replaces the buffer object (and detaches the old one unless shared): refresh views.
    if (this.floats.buffer !== this.memory.buffer) {
      this.floats = new Float32Array(this.memory.buffer);
      this.ints = new Int32Array(this.memory.buffer);
      this.buffers.add(this.memory.buffer);
    }
  }

}
