// Batch normalisation's per-channel loops over an [rows, channels] matrix of floats, with
// float64 per-channel arrays (byte pointers): the same bits as jsBatchNorm in @nnkit/tensor.
// Two channels at a time in f64x2 lanes (the floats promoted exactly, f64 products and sums,
// never fused, rounded to f32 on the store as JavaScript does), every sum in row order; an odd
// last channel runs the same arithmetic on scalars.

/** Two floats at `at`, promoted to f64 lanes. */
// @ts-ignore: decorator
@inline function loadPair(at: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(at));
}

/** The two f64 lanes of `value`, rounded to f32 (nearest, ties to even), stored at `at`. */
// @ts-ignore: decorator
@inline function storePair(at: usize, value: v128): void {
  v128.store64_lane(at, f32x4.demote_f64x2_zero(value), 0);
}

/** out[c] = 0 for c < channels (f64). */
// @ts-ignore: decorator
@inline function zeroDoubles(out: usize, channels: i32): void {
  for (let c = 0; c < channels; c++) store<f64>(out + (<usize>c << 3), 0);
}

/** out[c] /= rows (f64). */
// @ts-ignore: decorator
@inline function divideDoubles(out: usize, channels: i32, rows: i32): void {
  const divisor = <f64>rows;
  for (let c = 0; c < channels; c++) {
    const place = out + (<usize>c << 3);
    store<f64>(place, load<f64>(place) / divisor);
  }
}

/** mean[c] = Σ_r x / rows; variance[c] = Σ_r (x − mean[c])² / rows. */
export function batchNormStatistics(x: usize, rows: i32, channels: i32, mean: usize, variance: usize): void {
  const rowBytes = <usize>channels << 2;
  zeroDoubles(mean, channels);
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const place = mean + (<usize>c << 3);
      v128.store(place, f64x2.add(v128.load(place), loadPair(row + (<usize>c << 2))));
    }
    if (c < channels) {
      const place = mean + (<usize>c << 3);
      store<f64>(place, load<f64>(place) + <f64>load<f32>(row + (<usize>c << 2)));
    }
  }
  divideDoubles(mean, channels, rows);
  zeroDoubles(variance, channels);
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const place = variance + (<usize>c << 3);
      const deviation = f64x2.sub(loadPair(row + (<usize>c << 2)), v128.load(mean + (<usize>c << 3)));
      v128.store(place, f64x2.add(v128.load(place), f64x2.mul(deviation, deviation)));
    }
    if (c < channels) {
      const place = variance + (<usize>c << 3);
      const deviation = <f64>load<f32>(row + (<usize>c << 2)) - load<f64>(mean + (<usize>c << 3));
      store<f64>(place, load<f64>(place) + deviation * deviation);
    }
  }
  divideDoubles(variance, channels, rows);
}

/**
 * v = (x − mean[c])·inverseStd[c]; normalized = f32(v) when `keep`; y = f32(γ[c]·v + β[c]), with
 * γ and β floats.
 */
export function batchNormForward(
  x: usize, rows: i32, channels: i32, mean: usize, inverseStd: usize,
  gamma: usize, beta: usize, y: usize, normalized: usize, keep: bool,
): void {
  const rowBytes = <usize>channels << 2;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * rowBytes;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const floatAt = <usize>c << 2;
      const doubleAt = <usize>c << 3;
      const value = f64x2.mul(f64x2.sub(loadPair(x + offset + floatAt), v128.load(mean + doubleAt)), v128.load(inverseStd + doubleAt));
      if (keep) storePair(normalized + offset + floatAt, value);
      storePair(y + offset + floatAt, f64x2.add(f64x2.mul(loadPair(gamma + floatAt), value), loadPair(beta + floatAt)));
    }
    if (c < channels) {
      const floatAt = <usize>c << 2;
      const doubleAt = <usize>c << 3;
      const value = (<f64>load<f32>(x + offset + floatAt) - load<f64>(mean + doubleAt)) * load<f64>(inverseStd + doubleAt);
      if (keep) store<f32>(normalized + offset + floatAt, <f32>value);
      store<f32>(y + offset + floatAt, <f32>(<f64>load<f32>(gamma + floatAt) * value + <f64>load<f32>(beta + floatAt)));
    }
  }
}

/** sumGrad[c] = Σ_r dy; sumGradNormalized[c] = Σ_r dy·x̂. */
export function batchNormGradientSums(dy: usize, normalized: usize, rows: i32, channels: i32, sumGrad: usize, sumGradNormalized: usize): void {
  const rowBytes = <usize>channels << 2;
  zeroDoubles(sumGrad, channels);
  zeroDoubles(sumGradNormalized, channels);
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * rowBytes;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const floatAt = <usize>c << 2;
      const doubleAt = <usize>c << 3;
      const gradient = loadPair(dy + offset + floatAt);
      v128.store(sumGrad + doubleAt, f64x2.add(v128.load(sumGrad + doubleAt), gradient));
      v128.store(sumGradNormalized + doubleAt, f64x2.add(v128.load(sumGradNormalized + doubleAt), f64x2.mul(gradient, loadPair(normalized + offset + floatAt))));
    }
    if (c < channels) {
      const floatAt = <usize>c << 2;
      const doubleAt = <usize>c << 3;
      const gradient = <f64>load<f32>(dy + offset + floatAt);
      store<f64>(sumGrad + doubleAt, load<f64>(sumGrad + doubleAt) + gradient);
      store<f64>(sumGradNormalized + doubleAt, load<f64>(sumGradNormalized + doubleAt) + gradient * <f64>load<f32>(normalized + offset + floatAt));
    }
  }
}

/** dx = f32(γ[c]·inverseStd[c]·((dy − meanGrad[c]) − x̂·meanGradNormalized[c])). */
export function batchNormInputGradient(
  dy: usize, normalized: usize, rows: i32, channels: i32, gamma: usize,
  inverseStd: usize, meanGrad: usize, meanGradNormalized: usize, dx: usize,
): void {
  const rowBytes = <usize>channels << 2;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * rowBytes;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const floatAt = <usize>c << 2;
      const doubleAt = <usize>c << 3;
      const scale = f64x2.mul(loadPair(gamma + floatAt), v128.load(inverseStd + doubleAt));
      const centred = f64x2.sub(loadPair(dy + offset + floatAt), v128.load(meanGrad + doubleAt));
      const difference = f64x2.sub(centred, f64x2.mul(loadPair(normalized + offset + floatAt), v128.load(meanGradNormalized + doubleAt)));
      storePair(dx + offset + floatAt, f64x2.mul(scale, difference));
    }
    if (c < channels) {
      const floatAt = <usize>c << 2;
      const doubleAt = <usize>c << 3;
      const scale = <f64>load<f32>(gamma + floatAt) * load<f64>(inverseStd + doubleAt);
      const centred = <f64>load<f32>(dy + offset + floatAt) - load<f64>(meanGrad + doubleAt);
      store<f32>(dx + offset + floatAt, <f32>(scale * (centred - <f64>load<f32>(normalized + offset + floatAt) * load<f64>(meanGradNormalized + doubleAt))));
    }
  }
}
