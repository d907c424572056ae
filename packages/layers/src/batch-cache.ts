import { sizeOf, tensor, type Kernels, type Shape, type Tensor } from '@nnkit/tensor';

/**
 * Per-batch-size buffers: built on the first call with a batch size, reused afterwards, so
 * forward/backward allocate nothing in steady state. A few sizes stay cached at once (training
 * batch, last partial batch, evaluation batch); the least recently built one is evicted beyond.
 */
export class BatchCache<T> {
  private readonly entries = new Map<number, T>();

  constructor(
    private readonly create: (batch: number, kernels: Kernels | undefined) => T,
    private readonly capacity = 4,
  ) {}

  /**
   * The buffers for `batch`, built now if this size was not seen (or was evicted); `kernels`,
   * when given, is passed to `create` so that buffers can live in the backend's own memory.
   */
  get(batch: number, kernels?: Kernels): T {
    let entry = this.entries.get(batch);
    if (entry === undefined) {
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value as number;
        this.entries.delete(oldest);
      }
      entry = this.create(batch, kernels);
      this.entries.set(batch, entry);
    }
    return entry;
  }
}

/**
 * A layer's per-batch arrays by purpose ("output", "columns", …), shared by its batch sizes: the
 * array a batch gets is a prefix of the slot's array, built for the largest batch asked for so
 * far. The last, partial batch of an epoch and the scoring pieces then reuse the memory of the
 * training batch's arrays instead of building sets of their own. Every layer overwrites what it
 * reads in a call (or zeroes it first), so what a prefix held before never reaches a result; the
 * arrays are batch-major, so a prefix is the first images. A larger batch gets a new array for
 * the slot; the pool keeps the old ones too, since views of them may still be in use (a backend's
 * `allocate` reuses an array's memory once the array itself is garbage-collected).
 */
export class BufferPool {
  private readonly floatSlots = new Map<string, Float32Array[]>();
  private readonly intSlots = new Map<string, Int32Array[]>();

  /** `length` floats for `slot`, from `kernels.allocate` when the backend offers it. */
  floats(kernels: Kernels | undefined, slot: string, length: number): Float32Array {
    return prefixOf(this.floatSlots, slot, length, () => allocateFloats(kernels, length));
  }

  /** A tensor of `shape` whose data comes from `floats`. */
  tensor(kernels: Kernels | undefined, slot: string, shape: Shape): Tensor {
    return tensor(shape, this.floats(kernels, slot, sizeOf(shape)));
  }

  /** `length` 32-bit integers for `slot` (an ordinary array). */
  ints(slot: string, length: number): Int32Array {
    return prefixOf(this.intSlots, slot, length, () => new Int32Array(length));
  }
}

function prefixOf<T extends Float32Array | Int32Array>(slots: Map<string, T[]>, slot: string, length: number, create: () => T): T {
  const arrays = slots.get(slot) ?? [];
  let array = arrays[arrays.length - 1];
  if (array === undefined || array.length < length) {
    array = create();
    arrays.push(array);
    slots.set(slot, arrays);
  }
  return (array.length === length ? array : array.subarray(0, length)) as T;
}

/**
 * A zeroed array of `length` floats for kernels to work on: from `kernels.allocate` when the
 * backend offers it (its kernels then copy nothing in or out), else an ordinary array.
 */
export function allocateFloats(kernels: Kernels | undefined, length: number): Float32Array {
  return kernels?.allocate?.(length) ?? new Float32Array(length);
}

/** A zero tensor of `shape` whose data comes from `allocateFloats`. */
export function allocateTensor(kernels: Kernels | undefined, shape: Shape): Tensor {
  return tensor(shape, allocateFloats(kernels, sizeOf(shape)));
}

const scratchByKernels = new WeakMap<object, Float32Array>();
const scratchWithoutKernels: { array: Float32Array } = { array: new Float32Array(0) };

/**
 * Working memory for a kernel call that needs it only while the call lasts (a convolution's
 * column gradients, its inference columns): `length` floats of one array per backend (per
 * `kernels` object), shared by every layer that runs on it and grown on demand. Layers run one
 * at a time on a backend, so a model needs its largest such buffer once instead of one per
 * layer. The contents are garbage: callers overwrite what they read.
 */
export function scratchFloats(kernels: Kernels | undefined, length: number): Float32Array {
  const current = kernels === undefined ? scratchWithoutKernels.array : scratchByKernels.get(kernels);
  if (current !== undefined && current.length >= length) return current.subarray(0, length);
  const array = allocateFloats(kernels, length);
  if (kernels === undefined) scratchWithoutKernels.array = array;
  else scratchByKernels.set(kernels, array);
  return array;
}
