// Elementwise activations over runs of floats (byte pointers, float counts), four lanes at a
// time with a scalar tail. Outputs may alias inputs: each element is read before it is written.

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
