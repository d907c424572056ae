// Optimizer updates over one parameter (byte pointers, float counts), as JavaScript computes
// them: each float32 promoted to f64, f64 arithmetic in the same order, demoted to f32 (round to
// nearest even) when stored. Two lanes of f64 at a time; an odd last element runs through the
// same code with one lane. The caller runs L1 penalties in JavaScript: here g + l2·w stands for
// g + (l2·w + l1·sign(w)) with l1 = 0, which it equals bit for bit.

// @ts-ignore: decorator
@inline function loadPair(pointer: usize, pair: bool): v128 {
  return f64x2.promote_low_f32x4(pair ? v128.load64_zero(pointer) : v128.load32_zero(pointer));
}

// @ts-ignore: decorator
@inline function storePair(pointer: usize, values: v128, pair: bool): void {
  const floats = f32x4.demote_f64x2_zero(values);
  if (pair) v128.store64_lane(pointer, floats, 0);
  else v128.store32_lane(pointer, floats, 0);
}

/** The gradient at `grad`, plus l2·w when penalized. */
// @ts-ignore: decorator
@inline function gradientAt(grad: usize, wi: v128, lambda: v128, penalize: bool, pair: bool): v128 {
  const g = loadPair(grad, pair);
  return penalize ? f64x2.add(g, f64x2.mul(lambda, wi)) : g;
}

/** Stores w − shrink·w − step (decoupled decay, then the step). */
// @ts-ignore: decorator
@inline function storeStep(w: usize, wi: v128, decay: v128, step: v128, pair: bool): void {
  storePair(w, f64x2.sub(f64x2.sub(wi, f64x2.mul(decay, wi)), step), pair);
}

/** Adam/AdamW (`Kernels.adamUpdate`); `penalize` when l2 ≠ 0. */
export function adamUpdate(
  w: usize, grad: usize, m: usize, v: usize, length: i32,
  eta: f64, beta1: f64, beta2: f64, epsilon: f64, correction1: f64, correction2: f64, l2: f64, shrink: f64,
): void {
  const penalize = l2 != 0;
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const oneMinusB1 = f64x2.splat(1 - beta1);
  const oneMinusB2 = f64x2.splat(1 - beta2);
  const rate = f64x2.splat(eta);
  const c1 = f64x2.splat(correction1);
  const c2 = f64x2.splat(correction2);
  const eps = f64x2.splat(epsilon);
  const decay = f64x2.splat(shrink);
  const lambda = f64x2.splat(l2);
  for (let i = 0; i < length; i += 2) {
    const pair = i + 2 <= length;
    const offset = <usize>i << 2;
    const wi = loadPair(w + offset, pair);
    const g = gradientAt(grad + offset, wi, lambda, penalize, pair);
    const mi = f64x2.add(f64x2.mul(b1, loadPair(m + offset, pair)), f64x2.mul(oneMinusB1, g));
    const vi = f64x2.add(f64x2.mul(b2, loadPair(v + offset, pair)), f64x2.mul(f64x2.mul(oneMinusB2, g), g));
    storePair(m + offset, mi, pair);
    storePair(v + offset, vi, pair);
    const step = f64x2.div(f64x2.mul(rate, f64x2.div(mi, c1)), f64x2.add(f64x2.sqrt(f64x2.div(vi, c2)), eps));
    storeStep(w + offset, wi, decay, step, pair);
  }
}

/** Heavy-ball and Nesterov momentum (`Kernels.momentumUpdate`); `plain`: no penalty, decay or Nesterov (w − η·v). */
export function momentumUpdate(w: usize, grad: usize, velocity: usize, length: i32, eta: f64, mu: f64, nesterov: i32, l2: f64, shrink: f64): void {
  const plain = l2 == 0 && shrink == 0 && nesterov == 0;
  const penalize = l2 != 0;
  const rate = f64x2.splat(eta);
  const momentum = f64x2.splat(mu);
  const decay = f64x2.splat(shrink);
  const lambda = f64x2.splat(l2);
  for (let i = 0; i < length; i += 2) {
    const pair = i + 2 <= length;
    const offset = <usize>i << 2;
    const wi = loadPair(w + offset, pair);
    const g = gradientAt(grad + offset, wi, lambda, penalize, pair);
    const vi = f64x2.add(f64x2.mul(momentum, loadPair(velocity + offset, pair)), g);
    storePair(velocity + offset, vi, pair);
    if (plain) {
      storePair(w + offset, f64x2.sub(wi, f64x2.mul(rate, vi)), pair);
    } else {
      const direction = nesterov != 0 ? f64x2.add(g, f64x2.mul(momentum, vi)) : vi;
      storeStep(w + offset, wi, decay, f64x2.mul(rate, direction), pair);
    }
  }
}

/** RMSprop (`Kernels.rmspropUpdate`); `moment` 0 without momentum. */
export function rmspropUpdate(w: usize, grad: usize, meanSquare: usize, moment: usize, length: i32, eta: f64, rho: f64, epsilon: f64, mu: f64, l2: f64, shrink: f64): void {
  const penalize = l2 != 0;
  const rate = f64x2.splat(eta);
  const r = f64x2.splat(rho);
  const oneMinusR = f64x2.splat(1 - rho);
  const eps = f64x2.splat(epsilon);
  const momentum = f64x2.splat(mu);
  const decay = f64x2.splat(shrink);
  const lambda = f64x2.splat(l2);
  for (let i = 0; i < length; i += 2) {
    const pair = i + 2 <= length;
    const offset = <usize>i << 2;
    const wi = loadPair(w + offset, pair);
    const g = gradientAt(grad + offset, wi, lambda, penalize, pair);
    const s = f64x2.add(f64x2.mul(r, loadPair(meanSquare + offset, pair)), f64x2.mul(f64x2.mul(oneMinusR, g), g));
    storePair(meanSquare + offset, s, pair);
    let direction = f64x2.div(g, f64x2.add(f64x2.sqrt(s), eps));
    if (moment != 0) {
      direction = f64x2.add(direction, f64x2.mul(momentum, loadPair(moment + offset, pair)));
      storePair(moment + offset, direction, pair);
    }
    storeStep(w + offset, wi, decay, f64x2.mul(rate, direction), pair);
  }
}
