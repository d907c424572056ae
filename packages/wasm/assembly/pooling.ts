// Max pooling over NHWC: channels are contiguous, so four channels' windows are reduced at once
// with lane-wise compares; ties keep the first element in row-major window order (strict >),
// exactly like the reference.

/** out[b, oy, ox, c] = max of the window; argmax gets the flat input index of that maximum. */
export function maxPool2d(
  input: usize, out: usize, argmax: usize, batch: i32, inputHeight: i32, inputWidth: i32, channels: i32,
  poolHeight: i32, poolWidth: i32, strideHeight: i32, strideWidth: i32, outputHeight: i32, outputWidth: i32,
): void {
  const lanes = i32x4(0, 1, 2, 3);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const imageBase = b * inputHeight * inputWidth * channels;
    for (let oy = 0; oy < outputHeight; oy++) {
      for (let ox = 0; ox < outputWidth; ox++) {
        const cornerBase = imageBase + (oy * strideHeight * inputWidth + ox * strideWidth) * channels;
        let c = 0;
        for (; c + 4 <= channels; c += 4, o += 4) {
          let bestIndex = i32x4.add(i32x4.splat(cornerBase + c), lanes);
          let best = v128.load(input + (<usize>(cornerBase + c) << 2));
          for (let py = 0; py < poolHeight; py++) {
            for (let px = py == 0 ? 1 : 0; px < poolWidth; px++) {
              const index = cornerBase + (py * inputWidth + px) * channels + c;
              const value = v128.load(input + (<usize>index << 2));
              const greater = f32x4.gt(value, best);
              best = v128.bitselect(value, best, greater);
              bestIndex = v128.bitselect(i32x4.add(i32x4.splat(index), lanes), bestIndex, greater);
            }
          }
          v128.store(out + (<usize>o << 2), best);
          v128.store(argmax + (<usize>o << 2), bestIndex);
        }
        for (; c < channels; c++, o++) {
          let bestIndex = cornerBase + c;
          let best = load<f32>(input + (<usize>bestIndex << 2));
          for (let py = 0; py < poolHeight; py++) {
            for (let px = py == 0 ? 1 : 0; px < poolWidth; px++) {
              const index = cornerBase + (py * inputWidth + px) * channels + c;
              const value = load<f32>(input + (<usize>index << 2));
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          store<f32>(out + (<usize>o << 2), best);
          store<i32>(argmax + (<usize>o << 2), bestIndex);
        }
      }
    }
  }
}

/**
 * inputGrad[argmax[o]] += outputGrad[o] for o in [0, outputSize), in order (the reference's
 * rounding); an index outside [0, inputSize) is skipped, as a JavaScript typed array ignores it.
 */
export function maxPool2dBackward(outputGrad: usize, argmax: usize, inputGrad: usize, outputSize: i32, inputSize: i32): void {
  for (let o = 0; o < outputSize; o++) {
    const index = load<i32>(argmax + (<usize>o << 2));
    if (<u32>index < <u32>inputSize) {
      const place = inputGrad + (<usize>index << 2);
      store<f32>(place, load<f32>(place) + load<f32>(outputGrad + (<usize>o << 2)));
    }
  }
}
