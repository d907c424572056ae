// im2col and its adjoint col2im over NHWC images: for each output pixel and kernel row, the
// kernel columns that land inside the image form one contiguous run of input floats, so both
// kernels are vector copies (or adds) of runs, with zeros for the padding.
import { addFloats, copyFloats, zeroFloats } from './floats';

/** columns[(b·OH + oy)·OW + ox, (ky·KW + kx)·C + c] = input[b, oy·SH − PT + ky, ox·SW − PL + kx, c] or 0. */
export function im2col(
  input: usize, columns: usize, batch: i32, inputHeight: i32, inputWidth: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, strideHeight: i32, strideWidth: i32, padTop: i32, padLeft: i32,
  outputHeight: i32, outputWidth: i32,
): void {
  const runFloats = kernelWidth * channels;
  const imageBytes = <usize>inputHeight * <usize>inputWidth * <usize>channels * 4;
  let dst = columns;
  for (let b = 0; b < batch; b++) {
    const image = input + <usize>b * imageBytes;
    for (let oy = 0; oy < outputHeight; oy++) {
      for (let ox = 0; ox < outputWidth; ox++) {
        const x0 = ox * strideWidth - padLeft;
        const kxStart = max(0, -x0);
        const kxEnd = min(kernelWidth, inputWidth - x0);
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = oy * strideHeight - padTop + ky;
          if (y < 0 || y >= inputHeight || kxStart >= kxEnd) {
            zeroFloats(dst, runFloats);
          } else {
            const before = kxStart * channels;
            const inside = (kxEnd - kxStart) * channels;
            zeroFloats(dst, before);
            copyFloats(dst + (<usize>before << 2), image + ((<usize>y * <usize>inputWidth + <usize>(x0 + kxStart)) * <usize>channels << 2), inside);
            zeroFloats(dst + (<usize>(before + inside) << 2), runFloats - before - inside);
          }
          dst += <usize>runFloats << 2;
        }
      }
    }
  }
}

/** The adjoint of im2col: inputGrad[b, y, x, c] += every column entry that im2col read from there. */
export function col2im(
  columns: usize, inputGrad: usize, batch: i32, inputHeight: i32, inputWidth: i32, channels: i32,
  kernelHeight: i32, kernelWidth: i32, strideHeight: i32, strideWidth: i32, padTop: i32, padLeft: i32,
  outputHeight: i32, outputWidth: i32,
): void {
  const runFloats = kernelWidth * channels;
  const imageBytes = <usize>inputHeight * <usize>inputWidth * <usize>channels * 4;
  let src = columns;
  for (let b = 0; b < batch; b++) {
    const image = inputGrad + <usize>b * imageBytes;
    for (let oy = 0; oy < outputHeight; oy++) {
      for (let ox = 0; ox < outputWidth; ox++) {
        const x0 = ox * strideWidth - padLeft;
        const kxStart = max(0, -x0);
        const kxEnd = min(kernelWidth, inputWidth - x0);
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = oy * strideHeight - padTop + ky;
          if (y >= 0 && y < inputHeight && kxStart < kxEnd) {
            addFloats(
              image + ((<usize>y * <usize>inputWidth + <usize>(x0 + kxStart)) * <usize>channels << 2),
              src + (<usize>(kxStart * channels) << 2),
              (kxEnd - kxStart) * channels,
            );
          }
          src += <usize>runFloats << 2;
        }
      }
    }
  }
}
