// Elementwise activations over runs of floats (byte pointers, float counts), four lanes at a
// time with a scalar tail. Outputs may alias inputs: each element is read before it is written.
import { zeroFloats } from './floats';

/** x[0..length) = +0: vector stores, where a JavaScript fill over shared memory goes element by element. */
export function zero(x: usize, length: i32): void {
  zeroFloats(x, length);
}

/** y[i] = max(x[i], 0): f32x4.max returns NaN for a NaN lane and +0 for −0, like the reference. */
export function relu(x: usize, y: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const offset = <usize>i << 2;
    v128.store(y + offset, f32x4.max(v128.load(x + offset), zero));
  }
  for (; i < length; i++) {
    const offset = <usize>i << 2;
    const value = load<f32>(x + offset);
    store<f32>(y + offset, value > 0 || value != value ? value : 0);
  }
}

/** dx[i] = dy[i] where x[i] > 0, else 0: the lane mask of x > 0 (false for NaN) ANDed with dy. */
export function reluBackward(x: usize, dy: usize, dx: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const offset = <usize>i << 2;
    v128.store(dx + offset, v128.and(v128.load(dy + offset), f32x4.gt(v128.load(x + offset), zero)));
  }
  for (; i < length; i++) {
    const offset = <usize>i << 2;
    store<f32>(dx + offset, load<f32>(x + offset) > 0 ? load<f32>(dy + offset) : 0);
  }
}

/**
 * y[i] = y[i] + alpha·x[i], as JavaScript computes it on float32 arrays: both floats promoted to
 * f64, an f64 product and sum, demoted to f32 (round to nearest even) by the store. Two lanes of
 * f64 at a time: the low and the high halves of four floats. Same bytes as the scalar loop.
 */
export function axpy(alpha: f64, x: usize, y: usize, length: i32): void {
  const a = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const offset = <usize>i << 2;
    const xs = v128.load(x + offset);
    const ys = v128.load(y + offset);
    const low = f64x2.add(f64x2.promote_low_f32x4(ys), f64x2.mul(a, f64x2.promote_low_f32x4(xs)));
    const xHigh = i8x16.shuffle(xs, xs, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    const yHigh = i8x16.shuffle(ys, ys, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    const high = f64x2.add(f64x2.promote_low_f32x4(yHigh), f64x2.mul(a, f64x2.promote_low_f32x4(xHigh)));
    const lowFloats = f32x4.demote_f64x2_zero(low);
    const highFloats = f32x4.demote_f64x2_zero(high);
    v128.store(y + offset, i8x16.shuffle(lowFloats, highFloats, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
  }
  for (; i < length; i++) {
    const offset = <usize>i << 2;
    store<f32>(y + offset, <f32>(<f64>load<f32>(y + offset) + alpha * <f64>load<f32>(x + offset)));
  }
}
