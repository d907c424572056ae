import type { Dataset } from '@nnkit/datasets';
import type { Sequential } from '@nnkit/layers';
import type { Kernels } from '@nnkit/tensor';
import { evaluateEnsemble, evaluateWithTta } from '@nnkit/train';

/** The seeds of an ensemble of `members` models: `seed`, `seed + 1`, …. */
export function memberSeeds(seed: number, members: number): number[] {
  return Array.from({ length: members }, (_, member) => seed + member);
}

/** Where a member's model goes: `--out` itself for one model, `OUT-SEED.json` for each of several. */
export function memberOutPath(out: string | null, seed: number, members: number): string | null {
  if (out === null) return null;
  return members === 1 ? out : out.replace(/(\.json)?$/, `-${seed}.json`);
}

/** An ensemble's test accuracy by majority vote and by averaged probabilities. */
export interface EnsembleScores {
  readonly vote: number;
  readonly average: number;
}

/** Scores the members together on `test`; the averaged probabilities over `views` test-time views of each image (1: none). */
export function scoreEnsemble(models: readonly Sequential[], test: Dataset, kernels: Kernels, views = 1): EnsembleScores {
  return {
    vote: evaluateEnsemble(models, test, { method: 'vote', kernels }).accuracy,
    average: views > 1 ? evaluateWithTta(models, test, { kernels, views }).accuracy : evaluateEnsemble(models, test, { method: 'average', kernels }).accuracy,
  };
}
