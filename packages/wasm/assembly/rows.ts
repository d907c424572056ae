// Row-vector broadcasts over an m×n row-major matrix (biases forward and backward).
import { addFloats, zeroFloats } from './floats';

/** a[i, j] += bias[j]. */
export function addRowVector(a: usize, bias: usize, m: i32, n: i32): void {
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < m; i++) addFloats(a + <usize>i * rowBytes, bias, n);
}

/** out[j] = (out[j] if accumulate) + Σ_i a[i, j], summing rows in order like the reference. */
export function sumRows(a: usize, out: usize, m: i32, n: i32, accumulate: bool): void {
  if (!accumulate) zeroFloats(out, n);
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < m; i++) addFloats(out, a + <usize>i * rowBytes, n);
}
