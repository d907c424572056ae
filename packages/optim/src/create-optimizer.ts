import { Adam } from './adam.js';
import type { Optimizer, OptimizerKind, OptimizerSpec } from './optimizer.js';
import { Rmsprop } from './rmsprop.js';
import { Sgd } from './sgd.js';

/** Every optimizer kind `createOptimizer` accepts. */
export const optimizerKinds: readonly OptimizerKind[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop'];

/** Builds the optimizer a spec describes; throws naming the field on a bad value. */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  if (spec === null || typeof spec !== 'object') throw new TypeError('createOptimizer: expected a spec object like {kind: "sgd", learningRate: 0.1}');
  switch (spec.kind) {
    case 'sgd':
    case 'momentum':
    case 'nesterov':
      return new Sgd(spec);
    case 'adam':
    case 'adamw':
      return new Adam(spec);
    case 'rmsprop':
      return new Rmsprop(spec);
    default:
      throw new TypeError(
        `createOptimizer: kind: expected one of ${optimizerKinds.join(', ')}, got ${JSON.stringify((spec as { kind: unknown }).kind)}`,
      );
  }
}
