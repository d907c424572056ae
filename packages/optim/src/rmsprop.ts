import type { Kernels, Param } from '@nnkit/tensor';
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

  protected update(param: Param, index: number, _t: number, kernels: Kernels): void {
    const w = param.value.data;
    const { l2, l1, decay } = this.penalties;
    const moment = this.momentum > 0 ? this.slots.moment[index] : null;
    kernels.rmspropUpdate(w, param.grad.data, this.slots.meanSquare[index], moment, w.length, {
      learningRate: this.learningRate,
      rho: this.rho,
      epsilon: this.epsilon,
      momentum: this.momentum,
      l2: param.regularize ? l2 : 0,
      l1: param.regularize ? l1 : 0,
      shrink: param.regularize ? this.learningRate * decay : 0,
    });
  }
}
