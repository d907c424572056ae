import { Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { lossNote } from './commands/eval.js';
import type { ModelFile } from './model-file.js';

function fileWith(loss: ModelDefinition['loss']): ModelFile {
  const definition: ModelDefinition = { inputShape: [4], layers: [{ kind: 'dense', units: 3 }], loss };
  return { path: 'm.json', bytes: 0, model: new Sequential(definition, createRng(1)) };
}

describe('lossNote: what the loss figure of nnkit eval measures', () => {
  it("names one model's own cost, with its label smoothing", () => {
    const one = (loss: ModelDefinition['loss']) => {
      const file = fileWith(loss);
      return lossNote({ file, files: [file], views: 1 });
    };
    expect(one({ kind: 'softmaxCrossEntropy' })).toBe('cross-entropy');
    expect(one({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 })).toBe("the model's cost: cross-entropy with label smoothing 0.1");
    expect(one({ kind: 'quadratic' })).toBe("the model's cost: quadratic");
    expect(one({ kind: 'sigmoidCrossEntropy' })).toBe("the model's cost: sigmoid cross-entropy");
  });

  it('says the probabilities were averaged over views or members, whatever the cost', () => {
    const smoothed = fileWith({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
    const plain = fileWith({ kind: 'softmaxCrossEntropy' });
    expect(lossNote({ file: smoothed, files: [smoothed], views: 5 })).toBe('cross-entropy of the probabilities averaged over 5 views');
    expect(lossNote({ file: smoothed, files: [smoothed, plain], views: 1 })).toBe('cross-entropy of the probabilities averaged over 2 models');
    expect(lossNote({ file: plain, files: [plain, smoothed, plain], views: 9 })).toBe('cross-entropy of the probabilities averaged over 3 models × 9 views');
  });
});
