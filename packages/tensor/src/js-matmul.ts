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

/** The micro-kernel's tile: 4×4 outputs held in 16 local variables (registers). */
const TILE = 4;

/** Below this many multiply-adds the packing costs more than it saves. */
const SMALL_PRODUCT = 4096;

function roundUpToTile(size: number): number {
  return Math.ceil(size / TILE) * TILE;
}

/**
 * Copies a `lanes`×`depth` block of a strided matrix into 4-lane panels: panel q holds, for each
 * depth step p, the 4 values of lanes 4q..4q+3 side by side (zeros past the last lane), so the
 * micro-kernel reads both operands sequentially whatever the caller's layout or transposes.
 * Element (lane t, depth p) of the block is `source[origin + t·laneStride + p·depthStride]`.
 */
function packPanels(
  source: Float32Array,
  origin: number,
  laneStride: number,
  depthStride: number,
  lanes: number,
  depth: number,
  pack: Float32Array,
  destination: number,
): void {
  let d = destination;
  for (let lane = 0; lane < lanes; lane += TILE) {
    const count = Math.min(TILE, lanes - lane);
    let s = origin + lane * laneStride;
    if (count === TILE) {
      const s1 = laneStride;
      const s2 = 2 * laneStride;
      const s3 = 3 * laneStride;
      for (let p = 0; p < depth; p++, s += depthStride, d += TILE) {
        pack[d] = source[s];
        pack[d + 1] = source[s + s1];
        pack[d + 2] = source[s + s2];
        pack[d + 3] = source[s + s3];
      }
    } else {
      for (let p = 0; p < depth; p++, s += depthStride, d += TILE) {
        for (let t = 0; t < TILE; t++) pack[d + t] = t < count ? source[s + t * laneStride] : 0;
      }
    }
  }
}

/** Partial tiles at the right and bottom edges go through this buffer. */
const edgeTile = new Float64Array(TILE * TILE);

/**
 * out[o + r·n + c] += Σ_p A[r][p]·B[p][c] for one 4×4 tile, `rows`×`cols` of it kept.
 * A's panel starts at pack[ai], B's at pack[bi] (both in the one scratch buffer, so V8 checks one
 * array per step). The `| 0` keeps index arithmetic in int32 without overflow checks; the
 * accumulators are doubles, rounded to float32 once per depth block.
 */
function microKernel(
  pack: Float32Array,
  ai: number,
  bi: number,
  depth: number,
  out: Float32Array,
  o: number,
  n: number,
  rows: number,
  cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = (ai + depth * TILE) | 0;
  while (ai < end) {
    const a0 = pack[ai];
    const a1 = pack[(ai + 1) | 0];
    const a2 = pack[(ai + 2) | 0];
    const a3 = pack[(ai + 3) | 0];
    // One B value at a time keeps 16 accumulators + 4 A values + 1 B value close to the
    // 15 usable floating-point registers.
    let b = pack[bi];
    c00 += a0 * b; c10 += a1 * b; c20 += a2 * b; c30 += a3 * b;
    b = pack[(bi + 1) | 0];
    c01 += a0 * b; c11 += a1 * b; c21 += a2 * b; c31 += a3 * b;
    b = pack[(bi + 2) | 0];
    c02 += a0 * b; c12 += a1 * b; c22 += a2 * b; c32 += a3 * b;
    b = pack[(bi + 3) | 0];
    c03 += a0 * b; c13 += a1 * b; c23 += a2 * b; c33 += a3 * b;
    ai = (ai + TILE) | 0;
    bi = (bi + TILE) | 0;
  }
  if (rows === TILE && cols === TILE) {
    out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
    o += n;
    out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13;
    o += n;
    out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23;
    o += n;
    out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
    return;
  }
  const tile = edgeTile;
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[o + r * n + c] += tile[r * TILE + c];
  }
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
 * buffer and sweeps a 4×4 register-blocked micro-kernel over them. The scratch buffer grows on
 * demand and is kept, so steady-state calls allocate nothing. `out` must not overlap `a` or `b`.
 */
export function createPackedMatmul(
  blocking: MatmulBlocking = defaultMatmulBlocking,
): (a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams) => void {
  const rowBlock = roundUpToTile(blocking.rowBlock);
  const columnBlock = roundUpToTile(blocking.columnBlock);
  const depthBlock = blocking.depthBlock;
  let pack = new Float32Array(0);

  return function matmul(a, b, out, params) {
    checkMatmulArguments(a, b, out, params);
    const { m, k, n } = params;
    if (!params.accumulate) out.fill(0, 0, m * n);
    if (m < TILE || n < TILE || m * n * k < SMALL_PRODUCT) {
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
    const aStart = roundUpToTile(Math.min(columnBlock, n)) * depthMax;
    const needed = aStart + roundUpToTile(Math.min(rowBlock, m)) * depthMax;
    if (pack.length < needed) pack = new Float32Array(needed);
    const scratch = pack;

    for (let j0 = 0; j0 < n; j0 += columnBlock) {
      const columns = Math.min(columnBlock, n - j0);
      for (let p0 = 0; p0 < k; p0 += depthBlock) {
        const depth = Math.min(depthBlock, k - p0);
        packPanels(b, j0 * bColumnStride + p0 * bDepthStride, bColumnStride, bDepthStride, columns, depth, scratch, 0);
        for (let i0 = 0; i0 < m; i0 += rowBlock) {
          const rows = Math.min(rowBlock, m - i0);
          packPanels(a, i0 * aRowStride + p0 * aDepthStride, aRowStride, aDepthStride, rows, depth, scratch, aStart);
          const panelSize = TILE * depth;
          for (let jr = 0; jr < columns; jr += TILE) {
            const bi = (jr / TILE) * panelSize;
            const cols = Math.min(TILE, columns - jr);
            for (let ir = 0; ir < rows; ir += TILE) {
              const ai = aStart + (ir / TILE) * panelSize;
              microKernel(scratch, ai, bi, depth, out, (i0 + ir) * n + j0 + jr, n, Math.min(TILE, rows - ir), cols);
            }
          }
        }
      }
    }
  };
}
