import type { Param } from '@nnkit/tensor';
import { BaseOptimizer, checkNumber, type RmspropSpec } from './optimizer.js';

/**
 * RMSprop (Hinton's lecture 6e; PyTorch/Keras form, ε outside the root):
 * s ← ρs + (1−ρ)g²; w ← w − η·g/(√s + ε); with momentum μ: b ← μb + g/(√s + ε), w ← w − η·b.
 */
export class Rmsprop extends BaseOptimizer<RmspropSpec> {
  private readonly rho: number;
  private readonly epsilon: number;
  private readonly momentum: number;

  constructor(spec: RmspropSpec) {
    const config = {
      ...spec,
      learningRate: spec.learningRate ?? 1e-3,
      rho: checkNumber(spec.rho ?? 0.9, 'rho', 'rmsprop', 0, 1, true),
      epsilon: checkNumber(spec.epsilon ?? 1e-8, 'epsilon', 'rmsprop', 0, Infinity),
      momentum: checkNumber(spec.momentum ?? 0, 'momentum', 'rmsprop', 0, 1, true),
    };
    super(config, config.momentum > 0 ? ['meanSquare', 'moment'] : ['meanSquare']);
    this.rho = config.rho;
    this.epsilon = config.epsilon;
    this.momentum = config.momentum;
  }

  protected update(param: Param, index: number, _t: number): void {
    const w = param.value.data;
    const grad = param.grad.data;
    const meanSquare = this.slots.meanSquare[index];
    const moment = this.momentum > 0 ? this.slots.moment[index] : null;
    const eta = this.learningRate;
    const { rho, epsilon, momentum } = this;
    const { l2, l1, decay } = this.penalties;
    const penalize = param.regularize && (l2 !== 0 || l1 !== 0);
    const shrink = param.regularize ? eta * decay : 0;
    for (let i = 0; i < w.length; i++) {
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
}
