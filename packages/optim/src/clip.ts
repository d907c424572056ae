import type { Param } from '@nnkit/tensor';

/** ‖g‖₂ over every trainable parameter's gradient taken as one vector (frozen ones left out). */
export function gradientNorm(params: readonly Param[]): number {
  let sum = 0;
  for (const param of params) {
    if (param.trainable === false) continue;
    const g = param.grad.data;
    for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  }
  return Math.sqrt(sum);
}

/**
 * Global-norm clipping: when ‖g‖₂ > maxNorm, scales every gradient by maxNorm/‖g‖₂ in place
 * (direction kept, as `torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
 */
export function clipGradientNorm(params: readonly Param[], maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new RangeError(`clipGradientNorm: maxNorm must be a finite number > 0, got ${String(maxNorm)}`);
  }
  const norm = gradientNorm(params);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const param of params) {
      if (param.trainable === false) continue;
      const g = param.grad.data;
      for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  }
  return norm;
}
