import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKaggleCsv, type Dataset } from '@nnkit/datasets';
import { loadModel, saveModel, Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';

/** Model files for scoring tests, the two networks loaded in-process, and a Kaggle test.csv read as the CLI reads it. */
export interface ScoringFixtures {
  /** A copy of `model` that asks to be scored over `views` test-time views (`meta.testTimeViews`, as a playground export records it). */
  readonly viewed: string;
  /** A second, untrained network (one dense layer): its probabilities pull an average away from `viewed`'s. */
  readonly other: string;
  /** An ensemble file listing `viewed` and `other`, relative to its folder. */
  readonly ensembleFile: string;
  readonly networks: readonly Sequential[];
  readonly test: Dataset;
}

export function writeScoringFixtures(folder: string, model: string, views: number, testCsv: string, seed: number): ScoringFixtures {
  const own = JSON.parse(readFileSync(model, 'utf8')) as { meta?: Record<string, unknown> };
  own.meta = { ...own.meta, testTimeViews: views };
  const viewed = join(folder, `${views}-views.json`);
  writeFileSync(viewed, JSON.stringify(own));
  const other = join(folder, 'other.json');
  writeFileSync(other, saveModel(new Sequential({ inputShape: [28, 28, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10 }], loss: { kind: 'softmaxCrossEntropy' } }, createRng(seed))));
  const ensembleFile = join(folder, 'pair.json');
  writeFileSync(ensembleFile, JSON.stringify({ format: 'nnkit-ensemble', version: 1, members: [`${views}-views.json`, 'other.json'] }));
  return {
    viewed,
    other,
    ensembleFile,
    networks: [viewed, other].map((path) => loadModel(readFileSync(path, 'utf8'), path).model),
    test: parseKaggleCsv(new Uint8Array(readFileSync(testCsv)), testCsv, { layout: 'test' }),
  };
}
