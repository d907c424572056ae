import { type Conv2dGeometry, jsKernels, type Kernels, type Pool2dGeometry } from '@nnkit/tensor';
import { supportsWasmFeatures, wasmBinary, type WasmFeatureSet } from './binary.js';
import { createBatchNorm, type BatchNormExports } from './wasm-batch-norm.js';
import { createMatmul, type MatmulExports } from './wasm-matmul.js';
import { createGather, type GatherExports } from './wasm-gather.js';
import { createOptimizerUpdates, type OptimizerExports } from './wasm-optimizers.js';
import { Workspace } from './workspace.js';

/** Options of `createWasmKernels`. */
export interface WasmKernelsOptions {
  /** Initial linear memory in 64 KiB pages (default 256 = 16 MiB); it grows on demand. */
  readonly memoryPages?: number;
  /**
   * Use fused multiply-add (`f32x4.relaxed_madd`): `true` requires it, `false` never uses it,
   * `undefined` (default) uses it when the engine validates it.
   */
  readonly relaxedSimd?: boolean;
  /**
   * Build over a shared `WebAssembly.Memory`, whose views survive growth, and offer `allocate`:
   * `true` requires it, `false` never uses it, `undefined` (default) uses it when the engine
   * allows it (Node; browsers only on cross-origin-isolated pages).
   */
  readonly sharedMemory?: boolean;
}

/** The kernels of `createWasmKernels`: a full `Kernels` backend plus what it runs on. */
export interface WasmKernels extends Kernels {
  readonly name: 'wasm';
  /** The instruction set in use: plain SIMD or SIMD with fused multiply-add. */
  readonly features: WasmFeatureSet;
  /** The module's linear memory (scratch space for the kernels; it grows on demand). */
  readonly memory: WebAssembly.Memory;
  /**
   * Present over a shared memory: a zeroed array of `length` floats inside linear memory, which
   * every kernel reads and writes in place instead of copying it in and out. Keep the returned
   * array itself alive while it or a view of it is in use: its memory is reused once the array
   * is garbage-collected.
   */
  readonly allocate?: (length: number) => Float32Array;
}

interface KernelExports extends MatmulExports, BatchNormExports, OptimizerExports, GatherExports {
  heapBase(): number;
  im2col(input: number, columns: number, ...geometry: number[]): void;
  col2im(columns: number, inputGrad: number, ...geometry: number[]): void;
  maxPool2d(input: number, out: number, argmax: number, ...geometry: number[]): void;
  maxPool2dBackward(outputGrad: number, argmax: number, inputGrad: number, outputSize: number, inputSize: number): void;
  addRowVector(a: number, bias: number, m: number, n: number): void;
  sumRows(a: number, out: number, m: number, n: number, accumulate: number): void;
  relu(x: number, y: number, length: number): void;
  reluBackward(x: number, dy: number, dx: number, length: number): void;
  axpy(alpha: number, x: number, y: number, length: number): void;
  zero(x: number, length: number): void;
}

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

/** A shared memory declares a maximum; 4 GiB (what the shared builds declare), else 1 GiB. */
const SHARED_MAXIMUM_PAGES = [65536, 16384];

function checkPages(memoryPages: number | undefined): number {
  const pages = memoryPages ?? 256;
  if (!Number.isInteger(pages) || pages < 1 || pages > 65536) {
    throw new Error(`createWasmKernels: memoryPages must be an integer in [1, 65536], got ${memoryPages}`);
  }
  return pages;
}

/** The memory to build over: shared when allowed and possible (views into it survive growth). */
function createMemory(options: WasmKernelsOptions): { memory: WebAssembly.Memory; shared: boolean } {
  const pages = checkPages(options.memoryPages);
  if (options.sharedMemory !== false) {
    for (const maximum of SHARED_MAXIMUM_PAGES) {
      try {
        return { memory: new WebAssembly.Memory({ initial: pages, maximum, shared: true }), shared: true };
      } catch {
        // No SharedArrayBuffer here (a page without cross-origin isolation), or no room to reserve.
      }
    }
    if (options.sharedMemory === true) {
      throw new Error('createWasmKernels: sharedMemory: true but this engine cannot create a shared WebAssembly.Memory (browsers need a cross-origin-isolated page)');
    }
  }
  return { memory: new WebAssembly.Memory({ initial: pages }), shared: false };
}

/**
 * WebAssembly SIMD kernels: `{ ...jsKernels, name: 'wasm', matmul, … }`, compiled
 * asynchronously (works everywhere, including a browser's main thread).
 */
export async function createWasmKernels(options: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const features = resolveFeatures(options.relaxedSimd);
  const { memory, shared } = createMemory(options);
  const module = await WebAssembly.compile(wasmBinary(features, shared));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return bindKernels(instance.exports as unknown as KernelExports, memory, features, shared);
}

/**
 * The same kernels compiled synchronously: for Node and workers (browsers refuse synchronous
 * compilation of large modules on the main thread; the module is a few KiB).
 */
export function createWasmKernelsSync(options: WasmKernelsOptions = {}): WasmKernels {
  const features = resolveFeatures(options.relaxedSimd);
  const { memory, shared } = createMemory(options);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBinary(features, shared)), { env: { memory } });
  return bindKernels(instance.exports as unknown as KernelExports, memory, features, shared);
}

/** Floats of the column matrix per chunk (256 KiB): the chunk stays in L2 between the kernel and the copy. */
const COLUMN_CHUNK_FLOATS = 65536;

function checkLength(what: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) {
    throw new Error(`wasm kernels: ${what} has ${array.length} elements, needs at least ${needed}`);
  }
}

/** The geometry after (firstRow, rowCount), as assembly/convolution.ts takes it. */
function convolutionArguments(g: Conv2dGeometry): number[] {
  return [
    g.inputHeight, g.inputWidth, g.inputChannels, g.kernelHeight, g.kernelWidth,
    g.strideHeight, g.strideWidth, g.padTop, g.padLeft, g.outputHeight, g.outputWidth,
  ];
}

function poolArguments(g: Pool2dGeometry): number[] {
  return [
    g.batch, g.inputHeight, g.inputWidth, g.channels, g.poolHeight, g.poolWidth,
    g.strideHeight, g.strideWidth, g.outputHeight, g.outputWidth,
  ];
}

function checkPoolGeometry(what: string, g: Pool2dGeometry): void {
  // The windows read no padding, so the last one must end inside the image.
  const lastY = (g.outputHeight - 1) * g.strideHeight + g.poolHeight;
  const lastX = (g.outputWidth - 1) * g.strideWidth + g.poolWidth;
  if (g.outputHeight > 0 && g.outputWidth > 0 && (lastY > g.inputHeight || lastX > g.inputWidth)) {
    throw new Error(`wasm kernels: ${what}: a ${g.poolHeight}×${g.poolWidth} window at the last output ends outside the ${g.inputHeight}×${g.inputWidth} input`);
  }
}

function bindKernels(exports: KernelExports, memory: WebAssembly.Memory, features: WasmFeatureSet, shared: boolean): WasmKernels {
  const workspace = new Workspace(memory, exports.heapBase(), shared);

  const matmul = createMatmul(exports, workspace);

  function im2col(input: Float32Array, columns: Float32Array, g: Conv2dGeometry): void {
    const inputSize = g.batch * g.inputHeight * g.inputWidth * g.inputChannels;
    const patch = g.kernelHeight * g.kernelWidth * g.inputChannels;
    const rows = g.batch * g.outputHeight * g.outputWidth;
    checkLength('im2col input', input, inputSize);
    checkLength('im2col columns', columns, rows * patch);
    if (rows === 0 || patch === 0) return;
    const geometry = convolutionArguments(g);
    const columnsAt = workspace.address(columns);
    // The kernel writes up to 3 floats past its last row and reads up to 3 past the input.
    const chunkRows = columnsAt >= 0 ? 1 : Math.max(1, Math.floor(COLUMN_CHUNK_FLOATS / patch));
    const [inputCopy, chunkAt] = workspace.layout(workspace.address(input) >= 0 ? 0 : inputSize + 4, Math.min(rows, chunkRows) * patch + 4);
    const inputAt = workspace.input(input, inputSize, inputCopy);
    if (columnsAt >= 0) {
      // Resident columns: every row but the last in place (each overshoot lands in the next
      // row, rewritten right after), the last one through scratch so nothing past it changes.
      if (rows > 1) exports.im2col(inputAt, columnsAt, 0, rows - 1, ...geometry);
      exports.im2col(inputAt, chunkAt, rows - 1, 1, ...geometry);
      workspace.read(chunkAt, columns, patch, (rows - 1) * patch);
      return;
    }
    // The column matrix streams through a cache-sized buffer instead of being built whole in
    // linear memory and copied out from there.
    for (let firstRow = 0; firstRow < rows; firstRow += chunkRows) {
      const count = Math.min(chunkRows, rows - firstRow);
      exports.im2col(inputAt, chunkAt, firstRow, count, ...geometry);
      workspace.read(chunkAt, columns, count * patch, firstRow * patch);
    }
  }

  function col2im(columns: Float32Array, inputGrad: Float32Array, g: Conv2dGeometry): void {
    const inputSize = g.batch * g.inputHeight * g.inputWidth * g.inputChannels;
    const patch = g.kernelHeight * g.kernelWidth * g.inputChannels;
    const rows = g.batch * g.outputHeight * g.outputWidth;
    checkLength('col2im columns', columns, rows * patch);
    checkLength('col2im inputGrad', inputGrad, inputSize);
    if (rows === 0 || patch === 0) return;
    const geometry = convolutionArguments(g);
    const columnsAt = workspace.address(columns);
    const chunkRows = columnsAt >= 0 ? rows : Math.max(1, Math.floor(COLUMN_CHUNK_FLOATS / patch));
    const [gradientCopy, chunkAt] = workspace.layout(
      workspace.address(inputGrad) >= 0 ? 0 : inputSize,
      columnsAt >= 0 ? 0 : Math.min(rows, chunkRows) * patch,
    );
    const gradientAt = workspace.input(inputGrad, inputSize, gradientCopy);
    for (let firstRow = 0; firstRow < rows; firstRow += chunkRows) {
      const count = Math.min(chunkRows, rows - firstRow);
      let at = columnsAt + firstRow * patch * 4;
      if (columnsAt < 0) {
        workspace.write(chunkAt, columns.subarray(firstRow * patch, (firstRow + count) * patch), count * patch);
        at = chunkAt;
      }
      exports.col2im(at, gradientAt, firstRow, count, ...geometry);
    }
    workspace.finish(gradientAt, inputGrad, inputSize);
  }

  function maxPool2d(input: Float32Array, out: Float32Array, argmax: Int32Array, g: Pool2dGeometry): void {
    const inputSize = g.batch * g.inputHeight * g.inputWidth * g.channels;
    const outSize = g.batch * g.outputHeight * g.outputWidth * g.channels;
    checkLength('maxPool2d input', input, inputSize);
    checkLength('maxPool2d out', out, outSize);
    checkLength('maxPool2d argmax', argmax, outSize);
    checkPoolGeometry('maxPool2d', g);
    const [inputCopy, outCopy, argmaxCopy] = workspace.layout(inputSize, outSize, outSize);
    const inputAt = workspace.input(input, inputSize, inputCopy);
    const outAt = workspace.address(out) >= 0 ? workspace.address(out) : outCopy;
    const argmaxAt = workspace.address(argmax) >= 0 ? workspace.address(argmax) : argmaxCopy;
    exports.maxPool2d(inputAt, outAt, argmaxAt, ...poolArguments(g));
    workspace.finish(outAt, out, outSize);
    workspace.finish(argmaxAt, argmax, outSize);
  }

  function maxPool2dBackward(outputGrad: Float32Array, argmax: Int32Array, inputGrad: Float32Array, g: Pool2dGeometry): void {
    const inputSize = g.batch * g.inputHeight * g.inputWidth * g.channels;
    const outSize = g.batch * g.outputHeight * g.outputWidth * g.channels;
    checkLength('maxPool2dBackward outputGrad', outputGrad, outSize);
    checkLength('maxPool2dBackward argmax', argmax, outSize);
    checkLength('maxPool2dBackward inputGrad', inputGrad, inputSize);
    const [gradientCopy, argmaxCopy, inputGradCopy] = workspace.layout(outSize, outSize, inputSize);
    const gradientAt = workspace.input(outputGrad, outSize, gradientCopy);
    const argmaxAt = workspace.input(argmax, outSize, argmaxCopy);
    const inputGradAt = workspace.input(inputGrad, inputSize, inputGradCopy);
    exports.maxPool2dBackward(gradientAt, argmaxAt, inputGradAt, outSize, inputSize);
    workspace.finish(inputGradAt, inputGrad, inputSize);
  }

  function addRowVector(a: Float32Array, bias: Float32Array, m: number, n: number): void {
    checkLength('addRowVector a', a, m * n);
    checkLength('addRowVector bias', bias, n);
    const [aCopy, biasCopy] = workspace.layout(m * n, n);
    const aAt = workspace.input(a, m * n, aCopy);
    exports.addRowVector(aAt, workspace.input(bias, n, biasCopy), m, n);
    workspace.finish(aAt, a, m * n);
  }

  function sumRows(a: Float32Array, out: Float32Array, m: number, n: number, accumulate = false): void {
    checkLength('sumRows a', a, m * n);
    checkLength('sumRows out', out, n);
    const [aCopy, outCopy] = workspace.layout(m * n, n);
    const aAt = workspace.input(a, m * n, aCopy);
    const outAt = accumulate ? workspace.input(out, n, outCopy) : workspace.address(out) >= 0 ? workspace.address(out) : outCopy;
    exports.sumRows(aAt, outAt, m, n, accumulate ? 1 : 0);
    workspace.finish(outAt, out, n);
  }

  function relu(x: Float32Array, y: Float32Array, length: number): void {
    checkLength('relu x', x, length);
    checkLength('relu y', y, length);
    const [xCopy, yCopy] = workspace.layout(length, length);
    const xAt = workspace.input(x, length, xCopy);
    const yAt = workspace.address(y) >= 0 ? workspace.address(y) : yCopy;
    exports.relu(xAt, yAt, length);
    workspace.finish(yAt, y, length);
  }

  function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, length: number): void {
    checkLength('reluBackward x', x, length);
    checkLength('reluBackward dy', dy, length);
    checkLength('reluBackward dx', dx, length);
    const [xCopy, gradientCopy, dxCopy] = workspace.layout(length, length, length);
    const xAt = workspace.input(x, length, xCopy);
    const gradientAt = workspace.input(dy, length, gradientCopy);
    const dxAt = workspace.address(dx) >= 0 ? workspace.address(dx) : dxCopy;
    exports.reluBackward(xAt, gradientAt, dxAt, length);
    workspace.finish(dxAt, dx, length);
  }

  function axpy(alpha: number, x: Float32Array, y: Float32Array, length: number): void {
    checkLength('axpy x', x, length);
    checkLength('axpy y', y, length);
    const xAt = workspace.address(x);
    const yAt = workspace.address(y);
    // Two streams and one pass: copying them into linear memory and back would cost more than
    // the plain loop, so only arrays already there (allocate, fit's weights) run in WebAssembly.
    if (xAt < 0 || yAt < 0) jsKernels.axpy(alpha, x, y, length);
    else exports.axpy(alpha, xAt, yAt, length);
  }

  function zero(array: Float32Array): void {
    const at = workspace.address(array);
    // An ordinary array fills fast in JavaScript; one in this memory is a SharedArrayBuffer's.
    if (at < 0) array.fill(0);
    else exports.zero(at, array.length);
  }

  return {
    ...jsKernels,
    name: 'wasm',
    features,
    memory,
    ...(shared ? { allocate: (length: number) => workspace.allocate(length) } : {}),
    matmul,
    im2col,
    col2im,
    maxPool2d,
    maxPool2dBackward,
    addRowVector,
    sumRows,
    relu,
    reluBackward,
    axpy,
    zero,
    batchNorm: createBatchNorm(exports, workspace, memory),
    ...createOptimizerUpdates(exports, workspace),
    ...createGather(exports, workspace),
  };
}
