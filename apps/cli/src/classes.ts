import { classCountOf } from '@nnkit/datasets';
import type { LoadedData } from '@nnkit/datasets/node';
import type { ModelDefinition } from '@nnkit/layers';
import { UsageError } from './errors.js';
import { type ModelFile, classCount, isRecord } from './model-file.js';

/** What a run learns to tell apart: how many classes, and their names when the data has them. */
export interface DataClasses {
  readonly count: number;
  /** Only when the names are not just the labels `0, 1, …` (saved as `meta.classNames`). */
  readonly names?: readonly string[];
}

/** The classes of loaded data (`classCountOf`): names from an image folder or `classes.txt`. */
export function dataClasses(data: LoadedData): DataClasses {
  const count = classCountOf([data.train, data.test], data.classNames);
  const named = data.classNames !== undefined && data.classNames.some((name, label) => name !== String(label));
  return named ? { count, names: data.classNames } : { count };
}

/**
 * The network with `classes` outputs: the units of its last dense layer set to the class count
 * (a preset's or an `--arch` string's head is written for ten digits). Unchanged when it has them.
 */
export function withClassCount(definition: ModelDefinition, classes: number): ModelDefinition {
  let last = -1;
  definition.layers.forEach((layer, index) => {
    if (layer.kind === 'dense') last = index;
  });
  if (last < 0) throw new UsageError(`the data has ${classes} classes but the network has no dense layer whose units could be set to that`);
  const head = definition.layers[last] as { kind: 'dense'; units: number };
  if (head.units === classes) return definition;
  return { ...definition, layers: definition.layers.map((layer, index) => (index === last ? { ...head, units: classes } : layer)) } as ModelDefinition;
}

/**
 * A model's class names: `meta.classNames` when the file has one name per output, else the
 * output indices `0, 1, …`.
 */
export function modelClassNames(file: ModelFile): string[] {
  const count = classCount(file.model);
  const stored = isRecord(file.meta) ? file.meta.classNames : undefined;
  if (Array.isArray(stored) && stored.length === count && stored.every((name) => typeof name === 'string')) return [...(stored as string[])];
  return Array.from({ length: count }, (_, index) => String(index));
}
