// Single-precision matrix product, GotoBLAS style: B is packed once into panels of 8 columns,
// A is packed per (row block, depth block) into micro-panels of 4 rows, and a 4×8 register
// tile of f32x4 accumulators (8 registers; 2×8 for a last micro-panel of one or two rows) runs
// over the depth. All pointers are byte offsets into linear memory; the JavaScript side lays
// the buffers out and validates sizes.
//
// Packed layouts:
//   B panel p (columns 8p..8p+7), depth q: 8 floats at packedB + (p·k + q)·32, zero-padded.
//   A micro-panel r (rows 4r..4r+3 of the block), depth q: 4 floats at packedA + (r·kc + q)·16.

/** c + a·b on four lanes: fused (one rounding) where relaxed SIMD is compiled in. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Four floats from each of four rows `stride` bytes apart (starting at `src`), transposed: the
 * i-th float of every row becomes the four floats at dst + i·32 (one depth step of a B panel).
 */
// @ts-ignore: decorator
@inline function transposeQuad(src: usize, stride: usize, dst: usize): void {
  const x0 = v128.load(src);
  const x1 = v128.load(src + stride);
  const x2 = v128.load(src + stride * 2);
  const x3 = v128.load(src + stride * 3);
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
  v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
  v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
}

/** Packs B (element (q, j) at b + 4·(q·rowStride + j·columnStride)), k×n, into 8-column panels. */
export function packB(b: usize, rowStride: i32, columnStride: i32, k: i32, n: i32, packed: usize): void {
  const panels = (n + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const j0 = p << 3;
    let dst = packed + (<usize>p * <usize>k) * 32;
    if (columnStride == 1 && j0 + 8 <= n) {
      // Contiguous rows: two vector copies per depth step.
      let src = b + (<usize>j0) * 4;
      const step = <usize>rowStride * 4;
      for (let q = 0; q < k; q++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += 32;
      }
    } else if (rowStride == 1 && j0 + 8 <= n) {
      // B stored transposed (its columns contiguous, as dense layers' backward reads W):
      // four depth steps of eight columns at a time, two 4×4 transposes.
      const stride = <usize>columnStride * 4;
      let s0 = b + (<usize>j0 * <usize>columnStride) * 4;
      let q = 0;
      for (; q + 4 <= k; q += 4) {
        transposeQuad(s0, stride, dst);
        transposeQuad(s0 + stride * 4, stride, dst + 16);
        s0 += 16;
        dst += 128;
      }
      for (; q < k; q++) {
        for (let c = 0; c < 8; c++) store<f32>(dst + (<usize>c) * 4, load<f32>(s0 + stride * <usize>c));
        s0 += 4;
        dst += 32;
      }
    } else {
      const width = min(8, n - j0);
      for (let q = 0; q < k; q++) {
        const row = b + (<usize>q * <usize>rowStride + <usize>j0 * <usize>columnStride) * 4;
        let c = 0;
        for (; c < width; c++) store<f32>(dst + (<usize>c) * 4, load<f32>(row + (<usize>c * <usize>columnStride) * 4));
        for (; c < 8; c++) store<f32>(dst + (<usize>c) * 4, 0);
        dst += 32;
      }
    }
  }
}

/**
 * Packs rows [0, rows) and depth [q0, q0 + kc) of A (element (i, q) at
 * a + 4·(i·rowStride + q·columnStride)) into 4-row micro-panels; missing rows are zeros.
 */
export function packA(a: usize, rowStride: i32, columnStride: i32, rows: i32, q0: i32, kc: i32, packed: usize): void {
  const panels = (rows + 3) >> 2;
  for (let r = 0; r < panels; r++) {
    const i0 = r << 2;
    let dst = packed + (<usize>r * <usize>kc) * 16;
    if (rowStride == 1 && i0 + 4 <= rows) {
      // A read transposed: the four rows of a depth step are adjacent.
      let src = a + (<usize>i0 + <usize>q0 * <usize>columnStride) * 4;
      const step = <usize>columnStride * 4;
      for (let q = 0; q < kc; q++) {
        v128.store(dst, v128.load(src));
        src += step;
        dst += 16;
      }
    } else if (columnStride == 1 && i0 + 4 <= rows) {
      // Row-major A: interleave four rows, four depth steps at a time (a 4×4 transpose).
      const stride = <usize>rowStride * 4;
      let s0 = a + (<usize>i0 * <usize>rowStride + <usize>q0) * 4;
      let s1 = s0 + stride;
      let s2 = s1 + stride;
      let s3 = s2 + stride;
      let q = 0;
      for (; q + 4 <= kc; q += 4) {
        const x0 = v128.load(s0);
        const x1 = v128.load(s1);
        const x2 = v128.load(s2);
        const x3 = v128.load(s3);
        const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
        s0 += 16;
        s1 += 16;
        s2 += 16;
        s3 += 16;
        dst += 64;
      }
      for (; q < kc; q++) {
        store<f32>(dst, load<f32>(s0));
        store<f32>(dst, load<f32>(s1), 4);
        store<f32>(dst, load<f32>(s2), 8);
        store<f32>(dst, load<f32>(s3), 12);
        s0 += 4;
        s1 += 4;
        s2 += 4;
        s3 += 4;
        dst += 16;
      }
    } else {
      const height = min(4, rows - i0);
      for (let q = 0; q < kc; q++) {
        let s = 0;
        for (; s < height; s++) {
          store<f32>(dst + (<usize>s) * 4, load<f32>(a + ((<usize>(i0 + s)) * <usize>rowStride + (<usize>(q0 + q)) * <usize>columnStride) * 4));
        }
        for (; s < 4; s++) store<f32>(dst + (<usize>s) * 4, 0);
        dst += 16;
      }
    }
  }
}

/** Adds (or stores) an accumulator pair into one output row of 8 (or fewer) columns. */
// @ts-ignore: decorator
@inline function storeRow(out: usize, low: v128, high: v128, add: bool, width: i32, tile: usize): void {
  if (width == 8) {
    if (add) {
      v128.store(out, f32x4.add(v128.load(out), low));
      v128.store(out, f32x4.add(v128.load(out, 16), high), 16);
    } else {
      v128.store(out, low);
      v128.store(out, high, 16);
    }
  } else {
    // A partial panel: whole low vector when it fits, the remaining lanes one by one.
    let c = 0;
    if (width >= 4) {
      v128.store(out, add ? f32x4.add(v128.load(out), low) : low);
      v128.store(tile, high);
      c = 4;
    } else {
      v128.store(tile, low);
    }
    for (let lane = 0; c < width; c++, lane++) {
      const place = out + (<usize>c) * 4;
      const value = load<f32>(tile + (<usize>lane) * 4);
      store<f32>(place, add ? load<f32>(place) + value : value);
    }
  }
}

/** Adds (or stores) the first `width` (≤ 4) lanes of an accumulator into one output row. */
// @ts-ignore: decorator
@inline function storeNarrowRow(out: usize, value: v128, add: bool, width: i32, tile: usize): void {
  if (width == 4) {
    v128.store(out, add ? f32x4.add(v128.load(out), value) : value);
  } else {
    v128.store(tile, value);
    for (let c = 0; c < width; c++) {
      const place = out + (<usize>c) * 4;
      const lane = load<f32>(tile + (<usize>c) * 4);
      store<f32>(place, add ? load<f32>(place) + lane : lane);
    }
  }
}

/**
 * out (rows×n, row stride `outStride` floats) = or += A (rows×kc) · B (kc×n), where A and B are
 * either packed or read in place, described by byte strides:
 *   A element (4p + r, q) at a + p·aPanelStride + r·aRowStride + q·aDepthStride
 *   B element (q, 8p + c) at b + p·bPanelStride + c·4 + q·bDepthStride
 * Packed A is (kc·16, 4, 16), row-major A read in place (4·rowStride·4, rowStride·4, 4), A stored
 * transposed (16, 4, columnStride·4); packed B is (k·32, 32), row-major B in place (32, n·4).
 * Rows past the end of a partial micro-panel re-read its last row (never stored), so A is
 * never read out of bounds; B columns past n are read but not stored (the caller pads B).
 * `tile` is 32 bytes of scratch for partial tiles.
 */
export function gemmBlock(
  a: usize, aPanelStride: i32, aRowStride: i32, aDepthStride: i32,
  b: usize, bPanelStride: i32, bDepthStride: i32,
  kc: i32, rows: i32, n: i32, out: usize, outStride: i32, add: bool, tile: usize,
): void {
  const panels = (n + 7) >> 3;
  const microPanels = (rows + 3) >> 2;
  const rowBytes = <usize>outStride * 4;
  const aStep = <usize>aDepthStride;
  const bStep = <usize>bDepthStride;
  for (let p = 0; p < panels; p++) {
    const j0 = p << 3;
    const width = min(8, n - j0);
    const bStart = b + <usize>p * <usize>bPanelStride;
    for (let r = 0; r < microPanels; r++) {
      const i0 = r << 2;
      const height = min(4, rows - i0);
      let a0 = a + <usize>r * <usize>aPanelStride;
      let a1 = a0 + <usize>(min(1, height - 1) * aRowStride);
      let a2 = a0 + <usize>(min(2, height - 1) * aRowStride);
      let a3 = a0 + <usize>(min(3, height - 1) * aRowStride);
      let pb = bStart;
      let o = out + (<usize>i0 * <usize>outStride + <usize>j0) * 4;
      if (width <= 4) {
        // A narrow last panel: a 4×4 tile, half the work of padding it to 8 columns.
        let d0 = f32x4.splat(0);
        let d1 = f32x4.splat(0);
        let d2 = f32x4.splat(0);
        let d3 = f32x4.splat(0);
        for (let q = 0; q < kc; q++) {
          const b0 = v128.load(pb);
          d0 = madd(v128.load32_splat(a0), b0, d0);
          d1 = madd(v128.load32_splat(a1), b0, d1);
          d2 = madd(v128.load32_splat(a2), b0, d2);
          d3 = madd(v128.load32_splat(a3), b0, d3);
          a0 += aStep;
          a1 += aStep;
          a2 += aStep;
          a3 += aStep;
          pb += bStep;
        }
        storeNarrowRow(o, d0, add, width, tile);
        if (height > 1) storeNarrowRow(o + rowBytes, d1, add, width, tile);
        if (height > 2) storeNarrowRow(o + rowBytes * 2, d2, add, width, tile);
        if (height > 3) storeNarrowRow(o + rowBytes * 3, d3, add, width, tile);
        continue;
      }
      if (height <= 2) {
        // The last one or two rows (m = 10: rows 8 and 9) as a 2×8 tile, not a padded 4×8 one.
        let e00 = f32x4.splat(0);
        let e01 = f32x4.splat(0);
        let e10 = f32x4.splat(0);
        let e11 = f32x4.splat(0);
        for (let q = 0; q < kc; q++) {
          const b0 = v128.load(pb);
          const b1 = v128.load(pb, 16);
          let x = v128.load32_splat(a0);
          e00 = madd(x, b0, e00);
          e01 = madd(x, b1, e01);
          x = v128.load32_splat(a1);
          e10 = madd(x, b0, e10);
          e11 = madd(x, b1, e11);
          a0 += aStep;
          a1 += aStep;
          pb += bStep;
        }
        storeRow(o, e00, e01, add, width, tile);
        if (height > 1) storeRow(o + rowBytes, e10, e11, add, width, tile);
        continue;
      }
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      for (let q = 0; q < kc; q++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let x = v128.load32_splat(a0);
        c00 = madd(x, b0, c00);
        c01 = madd(x, b1, c01);
        x = v128.load32_splat(a1);
        c10 = madd(x, b0, c10);
        c11 = madd(x, b1, c11);
        x = v128.load32_splat(a2);
        c20 = madd(x, b0, c20);
        c21 = madd(x, b1, c21);
        x = v128.load32_splat(a3);
        c30 = madd(x, b0, c30);
        c31 = madd(x, b1, c31);
        a0 += aStep;
        a1 += aStep;
        a2 += aStep;
        a3 += aStep;
        pb += bStep;
      }
      storeRow(o, c00, c01, add, width, tile);
      if (height > 1) storeRow(o + rowBytes, c10, c11, add, width, tile);
      if (height > 2) storeRow(o + rowBytes * 2, c20, c21, add, width, tile);
      if (height > 3) storeRow(o + rowBytes * 3, c30, c31, add, width, tile);
    }
  }
}
