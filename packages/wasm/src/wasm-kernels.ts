import { jsKernels, type Kernels, type MatmulParams } from '@nnkit/tensor';
import { supportsWasmFeatures, wasmBinary, type WasmFeatureSet } from './binary.js';

/** Options of `createWasmKernels`. */
export interface WasmKernelsOptions {
  /** Initial linear memory in 64 KiB pages (default 256 = 16 MiB); it grows on demand. */
  readonly memoryPages?: number;
  /**
   * Use fused multiply-add (`f32x4.relaxed_madd`): `true` requires it, `false` never uses it,
   * `undefined` (default) uses it when the engine validates it.
   */
  readonly relaxedSimd?: boolean;
}

/** The kernels of `createWasmKernels`: a full `Kernels` backend plus what it runs on. */
export interface WasmKernels extends Kernels {
  readonly name: 'wasm';
  /** The instruction set in use: plain SIMD or SIMD with fused multiply-add. */
  readonly features: WasmFeatureSet;
  /** The module's linear memory (scratch space for the kernels; it grows on demand). */
  readonly memory: WebAssembly.Memory;
}

interface KernelExports {
  heapBase(): number;
  packA(a: number, rowStride: number, columnStride: number, rows: number, q0: number, kc: number, packed: number): void;
  packB(b: number, rowStride: number, columnStride: number, k: number, n: number, packed: number): void;
  gemmBlock(packedA: number, packedB: number, k: number, q0: number, kc: number, rows: number, n: number, out: number, outStride: number, add: number, tile: number): void;
}

/** Rows of A per block: the packed block (ROW_BLOCK × DEPTH_BLOCK floats) stays in L2. */
const ROW_BLOCK = 64;
/** Depth per block: one 8-column B panel slice (DEPTH_BLOCK × 8 floats) stays in L1. */
const DEPTH_BLOCK = 256;
const PAGE_BYTES = 65536;

function resolveFeatures(relaxedSimd: boolean | undefined): WasmFeatureSet {
  if (!supportsWasmFeatures('simd')) {
    throw new Error('createWasmKernels: this WebAssembly engine does not support SIMD (fixed-width 128-bit)');
  }
  if (relaxedSimd === false) return 'simd';
  const relaxed = supportsWasmFeatures('relaxed-simd');
  if (relaxedSimd === true && !relaxed) {
    throw new Error(
      'createWasmKernels: relaxedSimd: true but this engine rejects relaxed SIMD (Node 20: call v8.setFlagsFromString("--experimental-wasm-relaxed-simd") before compiling any module)',
    );
  }
  return relaxed ? 'relaxed-simd' : 'simd';
}

function createMemory(memoryPages: number | undefined): WebAssembly.Memory {
  const pages = memoryPages ?? 256;
  if (!Number.isInteger(pages) || pages < 1 || pages > 65536) {
    throw new Error(`createWasmKernels: memoryPages must be an integer in [1, 65536], got ${memoryPages}`);
  }
  return new WebAssembly.Memory({ initial: pages });
}

/**
 * WebAssembly SIMD kernels: `{ ...jsKernels, name: 'wasm', matmul, … }`, compiled
 * asynchronously (works everywhere, including a browser's main thread).
 */
export async function createWasmKernels(options: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const features = resolveFeatures(options.relaxedSimd);
  const memory = createMemory(options.memoryPages);
  const module = await WebAssembly.compile(wasmBinary(features));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return bindKernels(instance.exports as unknown as KernelExports, memory, features);
}

/**
 * The same kernels compiled synchronously: for Node and workers (browsers refuse synchronous
 * compilation of large modules on the main thread; the module is a few KiB).
 */
export function createWasmKernelsSync(options: WasmKernelsOptions = {}): WasmKernels {
  const features = resolveFeatures(options.relaxedSimd);
  const memory = createMemory(options.memoryPages);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBinary(features)), { env: { memory } });
  return bindKernels(instance.exports as unknown as KernelExports, memory, features);
}

function checkLength(what: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) {
    throw new Error(`wasm kernels: ${what} has ${array.length} elements, needs at least ${needed}`);
  }
}

function bindKernels(exports: KernelExports, memory: WebAssembly.Memory, features: WasmFeatureSet): WasmKernels {
  const heapBase = (exports.heapBase() + 63) & ~63;
  let heap = new Float32Array(memory.buffer);

  /** Makes sure bytes [heapBase, heapBase + bytes) exist and returns the float view of memory. */
  function reserve(bytes: number): Float32Array {
    const needed = heapBase + bytes;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
    }
    // Growing detaches the old buffer, so the view is refreshed whenever it changed.
    if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
    return heap;
  }

  function matmul(a: Float32Array, b: Float32Array, out: Float32Array, p: MatmulParams): void {
    const { m, k, n } = p;
    const transposeA = p.transposeA === true;
    const transposeB = p.transposeB === true;
    const accumulate = p.accumulate === true;
    checkLength('matmul a', a, m * k);
    checkLength('matmul b', b, k * n);
    checkLength('matmul out', out, m * n);
    if (m === 0 || n === 0) return;
    if (k === 0) {
      if (!accumulate) out.fill(0, 0, m * n);
      return;
    }
    const rowBlock = Math.min(m, ROW_BLOCK);
    const depthBlock = Math.min(k, DEPTH_BLOCK);
    const panels = Math.ceil(n / 8);
    // Byte layout after heapBase, each region 64-byte aligned.
    const align = (bytes: number) => (bytes + 63) & ~63;
    const tile = heapBase;
    const packedB = tile + 64;
    const rawB = packedB + align(panels * 8 * k * 4);
    const rawA = rawB + align(k * n * 4);
    const packedA = rawA + align((transposeA ? k * m : rowBlock * k) * 4);
    const outBlock = packedA + align(Math.ceil(rowBlock / 4) * 4 * depthBlock * 4);
    const view = reserve(outBlock + rowBlock * n * 4 - heapBase);

    view.set(b.subarray(0, k * n), rawB >> 2);
    exports.packB(rawB, transposeB ? 1 : n, transposeB ? k : 1, k, n, packedB);
    if (transposeA) view.set(a.subarray(0, k * m), rawA >> 2);
    for (let i0 = 0; i0 < m; i0 += rowBlock) {
      const rows = Math.min(rowBlock, m - i0);
      let aStart = rawA;
      if (transposeA) aStart += i0 * 4;
      else view.set(a.subarray(i0 * k, (i0 + rows) * k), rawA >> 2);
      if (accumulate) view.set(out.subarray(i0 * n, (i0 + rows) * n), outBlock >> 2);
      for (let q0 = 0; q0 < k; q0 += depthBlock) {
        const depth = Math.min(depthBlock, k - q0);
        exports.packA(aStart, transposeA ? 1 : k, transposeA ? m : 1, rows, q0, depth, packedA);
        exports.gemmBlock(packedA, packedB, k, q0, depth, rows, n, outBlock, n, accumulate || q0 > 0 ? 1 : 0, tile);
      }
      out.set(view.subarray(outBlock >> 2, (outBlock >> 2) + rows * n), i0 * n);
    }
  }

  return { ...jsKernels, name: 'wasm', features, memory, matmul };
}
