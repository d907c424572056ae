// im2col and its adjoint col2im over NHWC images: for each output pixel and kernel row, the
// kernel columns that land inside the image form one contiguous run of input floats, so both
// kernels are vector copies (or adds) of runs, with zeros for the padding. Both work on a range
// of output pixels (rows of the column matrix), so the caller can stream the matrix through a
// cache-sized buffer.
import { addFloats } from './floats';

/**
 * dst[0..count) = src[0..count), four floats at a time: writes up to 3 floats past the run and
 * reads up to 3 past the source. im2col writes runs in increasing order, so the next run (or
 * the caller's slack after the buffer) overwrites the excess.
 */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, count: i32): void {
  for (let i = 0; i < count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
}

/** dst[0..count) = 0, four floats at a time, with the same overshoot as copyRun. */
// @ts-ignore: decorator
@inline function zeroRun(dst: usize, count: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < count; i += 4) v128.store(dst + (<usize>i << 2), zero);
}

/**
 * Column-matrix rows [firstRow, firstRow + rowCount) into `columns` (row r at
 * columns + (r − firstRow)·patch·4): row (b·OH + oy)·OW + ox, column (ky·KW + kx)·C + c holds
 * input[b, oy·SH − PT + ky, ox·SW − PL + kx, c], or 0 in the padding. Writes up to 3 floats
 * past the last row and reads up to 3 past the input: the caller leaves slack for both.
 */
export function im2col(
  input: usize, columns: usize, firstRow: i32, rowCount: i32, inputHeight: i32, inputWidth: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, strideHeight: i32, strideWidth: i32, padTop: i32, padLeft: i32,
  outputHeight: i32, outputWidth: i32,
): void {
  const runFloats = kernelWidth * channels;
  const imageFloats = inputHeight * inputWidth * channels;
  const pixels = outputHeight * outputWidth;
  let dst = columns;
  // (b, oy, ox) of the first row, then stepped without divisions.
  const firstImage = firstRow / pixels;
  let oy = (firstRow - firstImage * pixels) / outputWidth;
  let ox = firstRow - firstImage * pixels - oy * outputWidth;
  let image = input + (<usize>(firstImage * imageFloats) << 2);
  for (let row = 0; row < rowCount; row++) {
    if (ox == outputWidth) {
      ox = 0;
      oy++;
      if (oy == outputHeight) {
        oy = 0;
        image += <usize>imageFloats << 2;
      }
    }
    const x0 = ox * strideWidth - padLeft;
    const kxStart = max(0, -x0);
    const kxEnd = min(kernelWidth, inputWidth - x0);
    const before = kxStart * channels;
    const inside = max(0, kxEnd - kxStart) * channels;
    const after = runFloats - before - inside;
    // Kernel rows inside the image: [kyStart, kyEnd); the others are all padding.
    const y0 = oy * strideHeight - padTop;
    const kyStart = inside == 0 ? kernelHeight : min(kernelHeight, max(0, -y0));
    const kyEnd = max(kyStart, min(kernelHeight, inputHeight - y0));
    const runBytes = <usize>runFloats << 2;
    for (let ky = 0; ky < kyStart; ky++, dst += runBytes) zeroRun(dst, runFloats);
    let src = image + (<usize>(((y0 + kyStart) * inputWidth + x0 + kxStart) * channels) << 2);
    const srcStep = <usize>(inputWidth * channels) << 2;
    if (before == 0 && after == 0) {
      for (let ky = kyStart; ky < kyEnd; ky++, dst += runBytes, src += srcStep) copyRun(dst, src, inside);
    } else {
      for (let ky = kyStart; ky < kyEnd; ky++, dst += runBytes, src += srcStep) {
        if (before > 0) zeroRun(dst, before);
        copyRun(dst + (<usize>before << 2), src, inside);
        if (after > 0) zeroRun(dst + (<usize>(before + inside) << 2), after);
      }
    }
    for (let ky = kyEnd; ky < kernelHeight; ky++, dst += runBytes) zeroRun(dst, runFloats);
    ox++;
  }
}

/**
 * The adjoint of im2col for column-matrix rows [firstRow, firstRow + rowCount) (row r at
 * columns + (r − firstRow)·patch·4): inputGrad[b, y, x, c] += every entry im2col read there.
 */
export function col2im(
  columns: usize, inputGrad: usize, firstRow: i32, rowCount: i32, inputHeight: i32, inputWidth: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, strideHeight: i32, strideWidth: i32, padTop: i32, padLeft: i32,
  outputHeight: i32, outputWidth: i32,
): void {
  const runFloats = kernelWidth * channels;
  const imageFloats = inputHeight * inputWidth * channels;
  const pixels = outputHeight * outputWidth;
  let src = columns;
  const firstImage = firstRow / pixels;
  let oy = (firstRow - firstImage * pixels) / outputWidth;
  let ox = firstRow - firstImage * pixels - oy * outputWidth;
  let image = inputGrad + (<usize>(firstImage * imageFloats) << 2);
  for (let row = 0; row < rowCount; row++) {
    if (ox == outputWidth) {
      ox = 0;
      oy++;
      if (oy == outputHeight) {
        oy = 0;
        image += <usize>imageFloats << 2;
      }
    }
    const x0 = ox * strideWidth - padLeft;
    const kxStart = max(0, -x0);
    const kxEnd = min(kernelWidth, inputWidth - x0);
    for (let ky = 0; ky < kernelHeight; ky++) {
      const y = oy * strideHeight - padTop + ky;
      if (y >= 0 && y < inputHeight && kxStart < kxEnd) {
        addFloats(
          image + (<usize>((y * inputWidth + x0 + kxStart) * channels) << 2),
          src + (<usize>(kxStart * channels) << 2),
          (kxEnd - kxStart) * channels,
        );
      }
      src += <usize>runFloats << 2;
    }
    ox++;
  }
}
