import type { MatmulParams } from '@nnkit/tensor';
import type { Workspace } from './workspace.js';

/** The module's matrix-product entry points (byte pointers; see assembly/matmul.ts). */
export interface MatmulExports {
  packA(a: number, rowStride: number, columnStride: number, rows: number, q0: number, kc: number, packed: number): void;
  packB(b: number, rowStride: number, columnStride: number, k: number, n: number, packed: number): void;
  gemmBlock(
    a: number, aPanelStride: number, aRowStride: number, aDepthStride: number,
    b: number, bPanelStride: number, bDepthStride: number,
    kc: number, rows: number, n: number, out: number, outStride: number, add: number, tile: number,
  ): void;
}

/** Depth per block: one 8-column B panel slice (DEPTH_BLOCK × 8 floats) stays in L1. */
const DEPTH_BLOCK = 256;
/** Floats of A per row block (64 KiB): the block stays in L2 while B panels stream by. */
const ROW_BLOCK_FLOATS = 16384;
/** Up to this many columns, row-major B is read in place: a depth block of rows fits in L1. */
const IN_PLACE_B_COLUMNS = 64;
/**
 * Up to this many rows of A, row-major B is read in place whatever its width: B is then used
 * by so few row tiles that packing it (a pass over all of B per call) costs more than its
 * strided reads, which stay in L1 across the tiles (a dense layer of 1000 on a batch of 10:
 * 19 → 25 GFLOP/s, `10×1000·1000×1000` on one thread).
 */
const IN_PLACE_B_ROWS = 16;
/** Up to this depth, row-major A is read in place (four rows at a time) instead of packed. */
const IN_PLACE_A_DEPTH = 64;
/** Up to this many rows, transposed A is read in place (its rows are adjacent floats). */
const IN_PLACE_TRANSPOSED_A_ROWS = 64;
/**
 * Depth per block when transposed A is read in place: a block of A and of B then stays in L1
 * (25 + 20 floats a step for the conv1 weight gradient: 23 KiB), 13 % faster than 256 there.
 */
const IN_PLACE_TRANSPOSED_DEPTH_BLOCK = 128;

function checkLength(what: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) {
    throw new Error(`wasm kernels: ${what} has ${array.length} elements, needs at least ${needed}`);
  }
}

/**
 * out (m×n) = op(a) · op(b) (+ out): copies the operands into linear memory, packs what is read
 * with large strides, and runs the 4×8 register-blocked kernel block by block.
 */
export function createMatmul(exports: MatmulExports, workspace: Workspace) {
  /**
   * B for the whole depth, at its own place when resident, else copied; then packed unless it is
   * read in place. Returns where B (unpacked) lives.
   */
  function placeB(b: Float32Array, k: number, n: number, inPlaceB: boolean, transposeB: boolean, rawB: number, packedB: number): number {
    let at = workspace.address(b);
    if (at < 0) {
      workspace.write(rawB, b, k * n);
      // In place, the last partial panel reads up to 7 floats past B: zeros, not stale data
      // (a resident B is followed by its block's slack or by other finite floats; either way
      // those lanes only reach columns that are never stored).
      workspace.fill(rawB + k * n * 4, 8, 0);
      at = rawB;
    }
    if (!inPlaceB) exports.packB(at, transposeB ? 1 : n, transposeB ? k : 1, k, n, packedB);
    return at;
  }

  /**
   * Row-major A: row blocks outermost, so each block of A is copied once (unless resident),
   * packed (unless the depth is small enough to read four rows in place) and multiplied by
   * every B panel.
   */
  function rowMajorProduct(
    a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number,
    depthBlock: number, inPlaceB: boolean, transposeB: boolean, accumulate: boolean,
  ): void {
    // Skinny products (small k) take many rows per block, so the per-block overhead vanishes.
    const rowBlock = Math.min(m, Math.max(64, Math.floor(ROW_BLOCK_FLOATS / depthBlock / 4) * 4));
    const inPlaceA = k <= IN_PLACE_A_DEPTH;
    const residentA = workspace.address(a);
    const residentB = workspace.address(b) >= 0;
    const residentOut = workspace.address(out);
    const [tile, rawB, packedB, rawA, packedA, outBlock] = workspace.layout(
      8,
      residentB ? 0 : k * n + 8,
      inPlaceB ? 0 : Math.ceil(n / 8) * 8 * k,
      residentA >= 0 ? 0 : rowBlock * k,
      inPlaceA ? 0 : Math.ceil(rowBlock / 4) * 4 * depthBlock,
      residentOut >= 0 ? 0 : rowBlock * n,
    );
    const bAt = placeB(b, k, n, inPlaceB, transposeB, rawB, packedB);
    for (let i0 = 0; i0 < m; i0 += rowBlock) {
      const rows = Math.min(rowBlock, m - i0);
      let aAt = rawA;
      if (residentA >= 0) aAt = residentA + i0 * k * 4;
      else workspace.write(rawA, a.subarray(i0 * k, (i0 + rows) * k), rows * k);
      let outAt = outBlock;
      if (residentOut >= 0) outAt = residentOut + i0 * n * 4;
      else if (accumulate) workspace.write(outBlock, out.subarray(i0 * n, (i0 + rows) * n), rows * n);
      for (let q0 = 0; q0 < k; q0 += depthBlock) {
        const depth = Math.min(depthBlock, k - q0);
        const add = accumulate || q0 > 0 ? 1 : 0;
        const bStart = inPlaceB ? bAt + q0 * n * 4 : packedB + q0 * 32;
        const bPanelStride = inPlaceB ? 32 : k * 32;
        const bDepthStride = inPlaceB ? n * 4 : 32;
        if (inPlaceA) {
          exports.gemmBlock(aAt + q0 * 4, 16 * k, k * 4, 4, bStart, bPanelStride, bDepthStride, depth, rows, n, outAt, n, add, tile);
        } else {
          exports.packA(aAt, k, 1, rows, q0, depth, packedA);
          exports.gemmBlock(packedA, depth * 16, 4, 16, bStart, bPanelStride, bDepthStride, depth, rows, n, outAt, n, add, tile);
        }
      }
      if (residentOut < 0) workspace.read(outBlock, out, rows * n, i0 * n);
    }
  }

  /**
   * A stored transposed (k×m): depth blocks outermost, because a depth block of A is then one
   * contiguous slice, copied once into a cache-sized buffer (and B's rows likewise when read in
   * place) unless resident, while the whole output stays in linear memory.
   */
  function transposedProduct(
    a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number,
    depthBlock: number, inPlaceB: boolean, transposeB: boolean, accumulate: boolean,
  ): void {
    // A whole number of 4-row micro-panels: a fractional block would step i0 off the float grid.
    const rowBlock = Math.min(m, Math.max(4, Math.floor(ROW_BLOCK_FLOATS / depthBlock / 4) * 4));
    const inPlaceA = m <= IN_PLACE_TRANSPOSED_A_ROWS;
    const residentA = workspace.address(a);
    const residentB = workspace.address(b);
    const residentOut = workspace.address(out);
    const [tile, rawB, packedB, rawA, packedA, outCopy] = workspace.layout(
      8,
      residentB >= 0 ? 0 : (inPlaceB ? depthBlock * n : k * n) + 8,
      inPlaceB ? 0 : Math.ceil(n / 8) * 8 * k,
      residentA >= 0 ? 0 : depthBlock * m,
      inPlaceA ? 0 : Math.ceil(rowBlock / 4) * 4 * depthBlock,
      residentOut >= 0 ? 0 : m * n,
    );
    if (inPlaceB) {
      // Zeros after the first (largest) depth block of B; a shorter last block leaves rows of the
      // previous block there instead: finite values, read only into columns that are not stored.
      if (residentB < 0) workspace.fill(rawB + depthBlock * n * 4, 8, 0);
    } else {
      placeB(b, k, n, inPlaceB, transposeB, rawB, packedB);
    }
    const outAll = residentOut >= 0 ? residentOut : outCopy;
    if (accumulate && residentOut < 0) workspace.write(outAll, out, m * n);
    for (let q0 = 0; q0 < k; q0 += depthBlock) {
      const depth = Math.min(depthBlock, k - q0);
      const add = accumulate || q0 > 0 ? 1 : 0;
      let aAt = rawA;
      if (residentA >= 0) aAt = residentA + q0 * m * 4;
      else workspace.write(rawA, a.subarray(q0 * m, (q0 + depth) * m), depth * m);
      let bStart = packedB + q0 * 32;
      if (inPlaceB && residentB >= 0) bStart = residentB + q0 * n * 4;
      else if (inPlaceB) {
        workspace.write(rawB, b.subarray(q0 * n, (q0 + depth) * n), depth * n);
        bStart = rawB;
      }
      const bPanelStride = inPlaceB ? 32 : k * 32;
      const bDepthStride = inPlaceB ? n * 4 : 32;
      for (let i0 = 0; i0 < m; i0 += rowBlock) {
        const rows = Math.min(rowBlock, m - i0);
        const outBlock = outAll + i0 * n * 4;
        if (inPlaceA) {
          exports.gemmBlock(aAt + i0 * 4, 16, 4, m * 4, bStart, bPanelStride, bDepthStride, depth, rows, n, outBlock, n, add, tile);
        } else {
          exports.packA(aAt + i0 * 4, 1, m, rows, 0, depth, packedA);
          exports.gemmBlock(packedA, depth * 16, 4, 16, bStart, bPanelStride, bDepthStride, depth, rows, n, outBlock, n, add, tile);
        }
      }
    }
    if (residentOut < 0) workspace.read(outAll, out, m * n);
  }

  return function matmul(a: Float32Array, b: Float32Array, out: Float32Array, p: MatmulParams): void {
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
    const inPlaceTransposedA = transposeA && m <= IN_PLACE_TRANSPOSED_A_ROWS;
    const depthBlock = Math.min(k, inPlaceTransposedA ? IN_PLACE_TRANSPOSED_DEPTH_BLOCK : DEPTH_BLOCK);
    const inPlaceB = !transposeB && (n <= IN_PLACE_B_COLUMNS || m <= IN_PLACE_B_ROWS);
    if (transposeA) transposedProduct(a, b, out, m, k, n, depthBlock, inPlaceB, transposeB, accumulate);
    else rowMajorProduct(a, b, out, m, k, n, depthBlock, inPlaceB, transposeB, accumulate);
  };
}
