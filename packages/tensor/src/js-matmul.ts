import type { MatmulParams } from './kernels.js';

/**
 * Cache blocking of the packed matmul (GotoBLAS loop order): `depthBlock` (kc) values of the
 * inner dimension at a time; A packed `rowBlock` (mc) rows at a time; B packed `columnBlock`
 * (nc) columns at a time. The defaults keep one 4-column B panel (4·kc floats) in L1 and the
 * packed A block (mc·kc floats) in L2 while the micro-kernel sweeps over it.
 */
export interface MatmulBlocking {
  readonly rowBlock: number;
  readonly depthBlock: number;
  readonly columnBlock: number;
}

/**
 * The blocking `jsKernels.matmul` uses. In plain JavaScript the micro-kernel's own instruction
 * overhead dominates, so blocks from 32 to 256 rows and 128 to 512 deep measured within a few
 * per cent of each other on 512–1024 square products; these sizes also bound the scratch buffer.
 */
export const defaultMatmulBlocking: MatmulBlocking = { rowBlock: 64, depthBlock: 256, columnBlock: 4096 };

/**
 * The micro-kernel's tile: 3 rows of op(A) × 4 columns of op(B), 12 accumulators. With the 3 A
 * values and 1 B value in flight that is 16 doubles, what x64 has in SSE registers; a 4×4 tile
 * (20 live values) spills and measured about 5 % slower in V8 at 512³.
 */
const ROWS = 3;
const COLS = 4;

/** Below this many multiply-adds the packing costs more than it saves. */
const SMALL_PRODUCT = 4096;

function roundUp(size: number, multiple: number): number {
  return Math.ceil(size / multiple) * multiple;
}

/**
 * Copies a `lanes`×`depth` block of a strided matrix into panels of `width` lanes: panel q holds,
 * for each depth step p, the values of lanes width·q … width·q + width − 1 side by side (zeros
 * past the last lane), so the micro-kernel reads both operands sequentially whatever the caller's
 * layout or transposes. Element (lane t, depth p) is `source[origin + t·laneStride + p·depthStride]`.
 */
function packPanels(
  source: Float32Array,
  origin: number,
  laneStride: number,
  depthStride: number,
  lanes: number,
  depth: number,
  width: number,
  pack: Float32Array,
  destination: number,
): void {
  let d = destination;
  for (let lane = 0; lane < lanes; lane += width) {
    const count = Math.min(width, lanes - lane);
    let s = origin + lane * laneStride;
    if (count === 4) {
      const s1 = laneStride;
      const s2 = 2 * laneStride;
      const s3 = 3 * laneStride;
      for (let p = 0; p < depth; p++, s += depthStride, d += 4) {
        pack[d] = source[s];
        pack[d + 1] = source[s + s1];
        pack[d + 2] = source[s + s2];
        pack[d + 3] = source[s + s3];
      }
    } else if (count === 3) {
      const s1 = laneStride;
      const s2 = 2 * laneStride;
      for (let p = 0; p < depth; p++, s += depthStride, d += width) {
        pack[d] = source[s];
        pack[d + 1] = source[s + s1];
        pack[d + 2] = source[s + s2];
        if (width === 4) pack[d + 3] = 0;
      }
    } else {
      for (let p = 0; p < depth; p++, s += depthStride, d += width) {
        for (let t = 0; t < width; t++) pack[d + t] = t < count ? source[s + t * laneStride] : 0;
      }
    }
  }
}

/**
 * out[o + r·n + c] += Σ_p A[r][p]·B[p][c] for one 3×4 tile. A's panel starts at pack[ai], B's at
 * pack[bi] (both in the one scratch buffer, so V8 checks one array per step). The `| 0` keeps
 * index arithmetic in int32 without overflow checks; the accumulators are doubles, rounded to
 * float32 once per depth block. Partial tiles at the edges are computed whole into a small
 * buffer (the packed panels are zero-padded) and the part that exists is added by `addEdge`.
 */
function microKernel(pack: Float32Array, ai: number, bi: number, depth: number, out: Float32Array, o: number, n: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  // Literal strides: a module-level constant here is a context load per step in V8 (−12 %).
  const end = (ai + depth * 3) | 0;
  while (ai < end) {
    const a0 = pack[ai];
    const a1 = pack[(ai + 1) | 0];
    const a2 = pack[(ai + 2) | 0];
    let b = pack[bi];
    c00 += a0 * b; c10 += a1 * b; c20 += a2 * b;
    b = pack[(bi + 1) | 0];
    c01 += a0 * b; c11 += a1 * b; c21 += a2 * b;
    b = pack[(bi + 2) | 0];
    c02 += a0 * b; c12 += a1 * b; c22 += a2 * b;
    b = pack[(bi + 3) | 0];
    c03 += a0 * b; c13 += a1 * b; c23 += a2 * b;
    ai = (ai + 3) | 0;
    bi = (bi + 4) | 0;
  }
  out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
  o += n;
  out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13;
  o += n;
  out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23;
}

/** Adds the `rows`×`cols` corner of a tile computed into `tile` (stride COLS) to out at o. */
function addEdge(tile: Float32Array, out: Float32Array, o: number, n: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[o + r * n + c] += tile[r * COLS + c];
    tile.fill(0, r * COLS, r * COLS + COLS);
  }
  tile.fill(0, rows * COLS);
}

/** i-p-j loops for products too small (or too thin) to repay packing; `out` is already zeroed or accumulating. */
function smallMatmul(a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams): void {
  const { m, k, n } = params;
  const aRowStride = params.transposeA ? 1 : k;
  const aDepthStride = params.transposeA ? m : 1;
  const bDepthStride = params.transposeB ? 1 : n;
  const bColumnStride = params.transposeB ? k : 1;
  for (let i = 0; i < m; i++) {
    const outRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * aRowStride + p * aDepthStride];
      const bRow = p * bDepthStride;
      for (let j = 0; j < n; j++) out[outRow + j] += aip * b[bRow + j * bColumnStride];
    }
  }
}

function checkDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`matmul: ${name} must be a non-negative integer, got ${value}`);
}

function checkMatmulArguments(a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams): void {
  const { m, k, n } = params;
  checkDimension('m', m);
  checkDimension('k', k);
  checkDimension('n', n);
  if (a.length < m * k) throw new RangeError(`matmul: a has ${a.length} values, needs m·k = ${m}·${k} = ${m * k}`);
  if (b.length < k * n) throw new RangeError(`matmul: b has ${b.length} values, needs k·n = ${k}·${n} = ${k * n}`);
  if (out.length < m * n) throw new RangeError(`matmul: out has ${out.length} values, needs m·n = ${m}·${n} = ${m * n}`);
}

/**
 * A matmul (`Kernels.matmul`) that packs panels of op(A) and op(B) into one reusable scratch
 * buffer and sweeps a 3×4 register-blocked micro-kernel over them. The scratch buffer grows on
 * demand and is kept, so steady-state calls allocate nothing. `out` must not overlap `a` or `b`.
 */
export function createPackedMatmul(
  blocking: MatmulBlocking = defaultMatmulBlocking,
): (a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams) => void {
  const rowBlock = roundUp(blocking.rowBlock, ROWS);
  const columnBlock = roundUp(blocking.columnBlock, COLS);
  const edgeTile = new Float32Array(ROWS * COLS);
  const depthBlock = blocking.depthBlock;
  let pack = new Float32Array(0);

  return function matmul(a, b, out, params) {
    checkMatmulArguments(a, b, out, params);
    const { m, k, n } = params;
    if (!params.accumulate) out.fill(0, 0, m * n);
    if (m < ROWS || n < COLS || m * n * k < SMALL_PRODUCT) {
      smallMatmul(a, b, out, params);
      return;
    }
    // Element (i, p) of op(A) is a[i·aRowStride + p·aDepthStride]; (p, j) of op(B) likewise.
    const aRowStride = params.transposeA ? 1 : k;
    const aDepthStride = params.transposeA ? m : 1;
    const bColumnStride = params.transposeB ? k : 1;
    const bDepthStride = params.transposeB ? 1 : n;

    // One buffer: the packed B block first, then the packed A block.
    const depthMax = Math.min(depthBlock, k);
    const aStart = roundUp(Math.min(columnBlock, n), COLS) * depthMax;
    const needed = aStart + roundUp(Math.min(rowBlock, m), ROWS) * depthMax;
    if (pack.length < needed) pack = new Float32Array(needed);
    const scratch = pack;
    const tile = edgeTile;

    for (let j0 = 0; j0 < n; j0 += columnBlock) {
      const columns = Math.min(columnBlock, n - j0);
      for (let p0 = 0; p0 < k; p0 += depthBlock) {
        const depth = Math.min(depthBlock, k - p0);
        packPanels(b, j0 * bColumnStride + p0 * bDepthStride, bColumnStride, bDepthStride, columns, depth, COLS, scratch, 0);
        for (let i0 = 0; i0 < m; i0 += rowBlock) {
          const rows = Math.min(rowBlock, m - i0);
          packPanels(a, i0 * aRowStride + p0 * aDepthStride, aRowStride, aDepthStride, rows, depth, ROWS, scratch, aStart);
          for (let jr = 0; jr < columns; jr += COLS) {
            const bi = (jr / COLS) * COLS * depth;
            const cols = Math.min(COLS, columns - jr);
            for (let ir = 0; ir < rows; ir += ROWS) {
              const ai = aStart + (ir / ROWS) * ROWS * depth;
              const o = (i0 + ir) * n + j0 + jr;
              const tileRows = Math.min(ROWS, rows - ir);
              if (tileRows === ROWS && cols === COLS) microKernel(scratch, ai, bi, depth, out, o, n);
              else {
                microKernel(scratch, ai, bi, depth, tile, 0, COLS);
                addEdge(tile, out, o, n, tileRows, cols);
              }
            }
          }
        }
      }
    }
  };
}
