import type { Sequential } from './sequential.js';

/** Which layers `transferWeights` copied, and which kept the target's own initial weights. */
export interface WeightTransfer {
  /** Indices of the layers whose params and state came from the source. */
  readonly copied: readonly number[];
  /** Indices of the head layers (from the last dense layer on) that differ and were left as they were. */
  readonly kept: readonly number[];
}

const sameConfig = (a: { kind: string }, b: { kind: string }): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Starts `target` from `source`'s weights (fine-tuning): every layer's params and state are
 * copied, except that the head — the last dense layer and what follows it — may differ (another
 * class count), in which case it keeps `target`'s initial weights. Any other difference (input
 * shape, a layer's config or parameter shapes) throws a `RangeError` naming the first layer that
 * differs.
 */
export function transferWeights(source: Sequential, target: Sequential): WeightTransfer {
  const names = target.layerNames();
  const inputs = (model: Sequential) => JSON.stringify(model.inputShape);
  if (inputs(source) !== inputs(target)) throw new RangeError(`transferWeights: the networks take ${inputs(source)} and ${inputs(target)} inputs`);
  let head = -1;
  target.layers.forEach((layer, index) => {
    if (layer.config.kind === 'dense') head = index;
  });
  if (head < 0) head = target.layers.length;
  const copied: number[] = [];
  const kept: number[] = [];
  target.layers.forEach((layer, index) => {
    const from = source.layers[index];
    const matches = from !== undefined && sameConfig(from.config, layer.config) && JSON.stringify(from.params.map((param) => param.value.shape)) === JSON.stringify(layer.params.map((param) => param.value.shape));
    if (matches) {
      copied.push(index);
      return;
    }
    if (index >= head && source.layers.length === target.layers.length) {
      kept.push(index);
      return;
    }
    const found = from === undefined ? 'nothing' : JSON.stringify(from.config);
    throw new RangeError(`transferWeights: layer ${index} (${names[index]}) is ${JSON.stringify(layer.config)} but the source has ${found} there; only the head (the last dense layer on) may differ`);
  });
  if (source.layers.length !== target.layers.length) {
    throw new RangeError(`transferWeights: the source has ${source.layers.length} layers, the target ${target.layers.length}; only the head (the last dense layer on) may differ`);
  }
  // A changed head changes what the layers after it see, but they hold no weights in a digit network.
  for (const index of copied) {
    source.layers[index].params.forEach((param, p) => target.layers[index].params[p].value.data.set(param.value.data));
    (source.layers[index].state ?? []).forEach((entry, s) => target.layers[index].state?.[s].value.data.set(entry.value.data));
  }
  return { copied, kept };
}
