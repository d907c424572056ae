import type { Kernels, Param } from '@nnkit/tensor';
import { BaseOptimizer, checkNumber, type MomentumSpec, type NesterovSpec, type SgdSpec } from './optimizer.js';

/** The configs an `Sgd` accepts: plain SGD, classical momentum or Nesterov momentum. */
export type SgdFamilySpec = SgdSpec | MomentumSpec | NesterovSpec;

/**
 * Mini-batch gradient descent, with optional momentum or Nesterov momentum. With g the
 * batch-mean gradient plus the L1/L2 terms: sgd w ← w − η·g (Nielsen's (η/m)·Σ∇ since g is
 * already divided by m); momentum v ← μv + g, w ← w − η·v; Nesterov w ← w − η·(g + μ·v).
 * Decoupled `weightDecay` λ subtracts η·λ·w on top.
 */
export class Sgd extends BaseOptimizer<SgdFamilySpec> {
  private readonly momentum: number;

  constructor(spec: SgdFamilySpec) {
    const kind = spec.kind;
    const momentum = kind === 'sgd' ? 0 : checkNumber(spec.momentum ?? 0.9, 'momentum', kind, 0, 1, true);
    const config = (kind === 'sgd' ? { ...spec } : { ...spec, momentum }) as SgdFamilySpec;
    super(config, kind === 'sgd' ? [] : ['velocity']);
    this.momentum = momentum;
  }

  protected update(param: Param, index: number, _t: number, kernels: Kernels): void {
    const w = param.value.data;
    const grad = param.grad.data;
    const eta = this.learningRate;
    const { l2, l1, decay } = this.penalties;
    const penalize = param.regularize && (l2 !== 0 || l1 !== 0);
    const shrink = param.regularize ? eta * decay : 0;
    const kind = this.config.kind;
    const mu = this.momentum;
    const velocity = kind === 'sgd' ? null : this.slots.velocity[index];
    if (velocity !== null) {
      // Momentum and Nesterov: the kernel's arithmetic is the loop this class once ran.
      kernels.momentumUpdate(w, grad, velocity, w.length, {
        learningRate: eta,
        momentum: mu,
        nesterov: kind === 'nesterov',
        l2: penalize ? l2 : 0,
        l1: penalize ? l1 : 0,
        shrink,
      });
      return;
    }
    if (!penalize && shrink === 0) {
      // Plain SGD as a tight loop (a million-weight layer updated every 10 images spends a tenth
      // of its step here); same arithmetic as the general loop below: w + (−η)·g is w − η·g to
      // the bit, as IEEE negation is exact.
      kernels.axpy(-eta, grad, w, w.length);
      return;
    }
    for (let i = 0; i < w.length; i++) {
      const wi = w[i];
      let g = grad[i];
      if (penalize) g += l2 * wi + l1 * Math.sign(wi);
      w[i] = wi - shrink * wi - eta * g;
    }
  }
}
