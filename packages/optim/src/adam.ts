import type { Kernels, Param } from '@nnkit/tensor';
import { BaseOptimizer, checkNumber, type AdamSpec, type AdamWSpec } from './optimizer.js';

/**
 * Adam and AdamW (bias-corrected, Kingma & Ba Algorithm 1, the PyTorch/tfjs form):
 * m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
 * L1/L2 are added to g (Adam with L2, like sklearn's `alpha`); AdamW's `weightDecay` λ is
 * decoupled: w ← w − η·λ·w besides the Adam step (default λ 0.01 for 'adamw', 0 for 'adam').
 * sklearn and Keras put ε on the uncorrected √v (ε̂ form); the two agree once √v̂ ≫ ε.
 */
export class Adam extends BaseOptimizer<AdamSpec | AdamWSpec> {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(spec: AdamSpec | AdamWSpec) {
    const kind = spec.kind;
    const config = {
      ...spec,
      learningRate: spec.learningRate ?? 1e-3,
      beta1: checkNumber(spec.beta1 ?? 0.9, 'beta1', kind, 0, 1, true),
      beta2: checkNumber(spec.beta2 ?? 0.999, 'beta2', kind, 0, 1, true),
      epsilon: checkNumber(spec.epsilon ?? 1e-8, 'epsilon', kind, 0, Infinity),
      weightDecay: spec.weightDecay ?? (kind === 'adamw' ? 0.01 : 0),
    };
    super(config, ['m', 'v']);
    this.beta1 = config.beta1;
    this.beta2 = config.beta2;
    this.epsilon = config.epsilon;
  }

  protected update(param: Param, index: number, t: number, kernels: Kernels): void {
    const w = param.value.data;
    const { l2, l1, decay } = this.penalties;
    const { beta1, beta2, epsilon } = this;
    kernels.adamUpdate(w, param.grad.data, this.slots.m[index], this.slots.v[index], w.length, {
      learningRate: this.learningRate,
      beta1,
      beta2,
      epsilon,
      correction1: 1 - Math.pow(beta1, t),
      correction2: 1 - Math.pow(beta2, t),
      l2: param.regularize ? l2 : 0,
      l1: param.regularize ? l1 : 0,
      shrink: param.regularize ? this.learningRate * decay : 0,
    });
  }
}
