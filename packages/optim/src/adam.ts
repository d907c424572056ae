import type { Param } from '@nnkit/tensor';
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

  protected update(param: Param, index: number, t: number): void {
    const w = param.value.data;
    const grad = param.grad.data;
    const m = this.slots.m[index];
    const v = this.slots.v[index];
    const eta = this.learningRate;
    const { beta1, beta2, epsilon } = this;
    const { l2, l1, decay } = this.penalties;
    const penalize = param.regularize && (l2 !== 0 || l1 !== 0);
    const shrink = param.regularize ? eta * decay : 0;
    const correction1 = 1 - Math.pow(beta1, t);
    const correction2 = 1 - Math.pow(beta2, t);
    for (let i = 0; i < w.length; i++) {
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
}
