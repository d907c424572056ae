import type { AdamCoefficients, MomentumCoefficients, RmspropCoefficients } from './kernels.js';

// The optimizer updates as JavaScript computes them: every element in float64 (the float32
// values promoted), rounded to float32 only when stored. This is the definition every backend
// matches bit for bit; jsKernels and referenceKernels both run it.

/** Adam/AdamW (see `AdamCoefficients`). */
export function adamUpdate(w: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, length: number, coefficients: AdamCoefficients): void {
  const { learningRate: eta, beta1, beta2, epsilon, correction1, correction2, l2, l1, shrink } = coefficients;
  const penalize = l2 !== 0 || l1 !== 0;
  for (let i = 0; i < length; i++) {
    const wi = w[i];
    let g = grad[i];
    if (penalize) g += l2 * wi + l1 * Math.sign(wi);
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - shrink * wi - (eta * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
  }
}

/** Heavy-ball and Nesterov momentum (see `MomentumCoefficients`). */
export function momentumUpdate(w: Float32Array, grad: Float32Array, velocity: Float32Array, length: number, coefficients: MomentumCoefficients): void {
  const { learningRate: eta, momentum: mu, nesterov, l2, l1, shrink } = coefficients;
  const penalize = l2 !== 0 || l1 !== 0;
  if (!penalize && shrink === 0 && !nesterov) {
    for (let i = 0; i < length; i++) {
      const v = mu * velocity[i] + grad[i];
      velocity[i] = v;
      w[i] = w[i] - eta * v;
    }
    return;
  }
  for (let i = 0; i < length; i++) {
    const wi = w[i];
    let g = grad[i];
    if (penalize) g += l2 * wi + l1 * Math.sign(wi);
    const v = mu * velocity[i] + g;
    velocity[i] = v;
    const direction = nesterov ? g + mu * v : v;
    w[i] = wi - shrink * wi - eta * direction;
  }
}

/** RMSprop, with momentum when `moment` is given (see `RmspropCoefficients`). */
export function rmspropUpdate(
  w: Float32Array,
  grad: Float32Array,
  meanSquare: Float32Array,
  moment: Float32Array | null,
  length: number,
  coefficients: RmspropCoefficients,
): void {
  const { learningRate: eta, rho, epsilon, momentum, l2, l1, shrink } = coefficients;
  const penalize = l2 !== 0 || l1 !== 0;
  for (let i = 0; i < length; i++) {
    const wi = w[i];
    let g = grad[i];
    if (penalize) g += l2 * wi + l1 * Math.sign(wi);
    const s = rho * meanSquare[i] + (1 - rho) * g * g;
    meanSquare[i] = s;
    let direction = g / (Math.sqrt(s) + epsilon);
    if (moment !== null) {
      direction += momentum * moment[i];
      moment[i] = direction;
    }
    w[i] = wi - shrink * wi - eta * direction;
  }
}
