import { type Conv2dGeometry, jsKernels, type Kernels, type Pool2dGeometry } from '@nnkit/tensor';
import { supportsWasmFeatures, wasmBinary, type WasmFeatureSet } from './binary.js';
import { createMatmul, type MatmulExports } from './wasm-matmul.js';
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
}

/** The kernels of `createWasmKernels`: a full `Kernels` backend plus what it runs on. */
export interface WasmKernels extends Kernels {
  readonly name: 'wasm';
  /** The instruction set in use: plain SIMD or SIMD with fused multiply-add. */
  readonly features: WasmFeatureSet;
  /** The module's linear memory (scratch space for the kernels; it grows on demand). */
  readonly memory: WebAssembly.Memory;
}

interface KernelExports extends MatmulExports {
  heapBase(): number;
  im2col(input: number, columns: number, ...geometry: number[]): void;
  col2im(columns: number, inputGrad: number, ...geometry: number[]): void;
  maxPool2d(input: number, out: number, argmax: number, ...geometry: number[]): void;
  addRowVector(a: number, bias: number, m: number, n: number): void;
  sumRows(a: number, out: number, m: number, n: number, accumulate: number): void;
  relu(x: number, y: number, length: number): void;
  reluBackward(x: number, dy: number, dx: number, length: number): void;
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

function bindKernels(exports: KernelExports, memory: WebAssembly.Memory, features: WasmFeatureSet): WasmKernels {
  const workspace = new Workspace(memory, exports.heapBase());

  const matmul = createMatmul(exports, workspace);

  function im2col(input: Float32Array, columns: Float32Array, g: Conv2dGeometry): void {
    const inputSize = g.batch * g.inputHeight * g.inputWidth * g.inputChannels;
    const patch = g.kernelHeight * g.kernelWidth * g.inputChannels;
    const rows = g.batch * g.outputHeight * g.outputWidth;
    checkLength('im2col input', input, inputSize);
    checkLength('im2col columns', columns, rows * patch);
    if (rows === 0 || patch === 0) return;
    // The column matrix streams through a cache-sized buffer instead of being built whole in
    // linear memory and copied out from there; +4 floats of slack for the vector overshoot.
    const chunkRows = Math.max(1, Math.floor(COLUMN_CHUNK_FLOATS / patch));
    const [inputAt, chunkAt] = workspace.layout(inputSize + 4, Math.min(rows, chunkRows) * patch + 4);
    workspace.write(inputAt, input, inputSize);
    const geometry = convolutionArguments(g);
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
    const chunkRows = Math.max(1, Math.floor(COLUMN_CHUNK_FLOATS / patch));
    const [inputAt, chunkAt] = workspace.layout(inputSize, Math.min(rows, chunkRows) * patch);
    workspace.write(inputAt, inputGrad, inputSize);
    const geometry = convolutionArguments(g);
    for (let firstRow = 0; firstRow < rows; firstRow += chunkRows) {
      const count = Math.min(chunkRows, rows - firstRow);
      workspace.write(chunkAt, columns.subarray(firstRow * patch, (firstRow + count) * patch), count * patch);
      exports.col2im(chunkAt, inputAt, firstRow, count, ...geometry);
    }
    workspace.read(inputAt, inputGrad, inputSize);
  }

  function maxPool2d(input: Float32Array, out: Float32Array, argmax: Int32Array, g: Pool2dGeometry): void {
    const inputSize = g.batch * g.inputHeight * g.inputWidth * g.channels;
    const outSize = g.batch * g.outputHeight * g.outputWidth * g.channels;
    checkLength('maxPool2d input', input, inputSize);
    checkLength('maxPool2d out', out, outSize);
    checkLength('maxPool2d argmax', argmax, outSize);
    checkPoolGeometry('maxPool2d', g);
    const [inputAt, outAt, argmaxAt] = workspace.layout(inputSize, outSize, outSize);
    workspace.write(inputAt, input, inputSize);
    exports.maxPool2d(inputAt, outAt, argmaxAt, ...poolArguments(g));
    workspace.read(outAt, out, outSize);
    workspace.read(argmaxAt, argmax, outSize);
  }

  function addRowVector(a: Float32Array, bias: Float32Array, m: number, n: number): void {
    checkLength('addRowVector a', a, m * n);
    checkLength('addRowVector bias', bias, n);
    const [aAt, biasAt] = workspace.layout(m * n, n);
    workspace.write(aAt, a, m * n);
    workspace.write(biasAt, bias, n);
    exports.addRowVector(aAt, biasAt, m, n);
    workspace.read(aAt, a, m * n);
  }

  function sumRows(a: Float32Array, out: Float32Array, m: number, n: number, accumulate = false): void {
    checkLength('sumRows a', a, m * n);
    checkLength('sumRows out', out, n);
    const [aAt, outAt] = workspace.layout(m * n, n);
    workspace.write(aAt, a, m * n);
    if (accumulate) workspace.write(outAt, out, n);
    exports.sumRows(aAt, outAt, m, n, accumulate ? 1 : 0);
    workspace.read(outAt, out, n);
  }

  function relu(x: Float32Array, y: Float32Array, length: number): void {
    checkLength('relu x', x, length);
    checkLength('relu y', y, length);
    const [at] = workspace.layout(length);
    workspace.write(at, x, length);
    exports.relu(at, at, length);
    workspace.read(at, y, length);
  }

  function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, length: number): void {
    checkLength('reluBackward x', x, length);
    checkLength('reluBackward dy', dy, length);
    checkLength('reluBackward dx', dx, length);
    const [xAt, gradientAt] = workspace.layout(length, length);
    workspace.write(xAt, x, length);
    workspace.write(gradientAt, dy, length);
    exports.reluBackward(xAt, gradientAt, gradientAt, length);
    workspace.read(gradientAt, dx, length);
  }

  return {
    ...jsKernels,
    name: 'wasm',
    features,
    memory,
    matmul,
    im2col,
    col2im,
    maxPool2d,
    addRowVector,
    sumRows,
    relu,
    reluBackward,
  };
}
