import { type Sequential, transferWeights } from '@nnkit/layers';
import type { FitOptions } from './fit-options.js';
import type { TrainableModel } from './model.js';

/**
 * `fit`'s fine-tuning options, applied before training: `initFrom`'s weights copied into `model`
 * (`transferWeights`), then the `freeze` layers kept fixed (`Sequential.freeze`). Both need a
 * `Sequential`; errors say which option.
 */
export function startFineTuning(model: TrainableModel, options: Pick<FitOptions, 'initFrom' | 'freeze'>): void {
  if (options.initFrom === undefined && options.freeze === undefined) return;
  const sequential = model as Partial<Sequential>;
  if (typeof sequential.freeze !== 'function' || sequential.layers === undefined) {
    throw new TypeError('fit: initFrom and freeze need a Sequential model (@nnkit/layers)');
  }
  if (options.initFrom !== undefined) transferWeights(options.initFrom, sequential as Sequential);
  if (options.freeze !== undefined) sequential.freeze(options.freeze);
}
