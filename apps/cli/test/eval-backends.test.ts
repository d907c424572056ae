import { describe, expect, inject, it } from 'vitest';
import { runCli } from './run-cli.js';

const model = inject('smokeModel');

describe('nnkit eval --backend', () => {
  it('scores a model (trained with the default threads) the same under the js and wasm kernels, up to float rounding', () => {
    const scores = (['js', 'wasm'] as const).map((backend) => {
      const run = runCli(['eval', model, '--limit', '2000', '--backend', backend, '--json']);
      expect(run.code, run.stderr).toBe(0);
      return run.json<{ accuracy: number; loss: number; confusionMatrix: number[][] }>();
    });
    // Different summation orders (packed JS against SIMD with fused multiply-add) move the loss
    // in its last float32 digits only: relative tolerance 1e-5; the predictions are the same.
    expect(scores[1].confusionMatrix).toEqual(scores[0].confusionMatrix);
    expect(scores[1].accuracy).toBe(scores[0].accuracy);
    expect(Math.abs(scores[1].loss - scores[0].loss) / scores[0].loss).toBeLessThan(1e-5);
  });

  it('--threads 2 splits the images over two threads: the same predictions as one, the loss up to rounding', () => {
    const scores = [1, 2].map((threads) => {
      const run = runCli(['eval', model, '--limit', '2000', '--backend', 'wasm', '--threads', String(threads), '--json']);
      expect(run.code, run.stderr).toBe(0);
      return run.json<{ accuracy: number; loss: number; confusionMatrix: number[][] }>();
    });
    expect(scores[1].confusionMatrix).toEqual(scores[0].confusionMatrix);
    expect(scores[1].accuracy).toBe(scores[0].accuracy);
    expect(Math.abs(scores[1].loss - scores[0].loss) / scores[0].loss).toBeLessThan(1e-5);
    // Test-time views split over threads too: the same predictions as one thread.
    const views = [1, 2].map((threads) => {
      const run = runCli(['eval', model, '--limit', '500', '--tta', '3', '--threads', String(threads), '--json']);
      expect(run.code, run.stderr).toBe(0);
      return run.json<{ accuracy: number; tta: number; confusionMatrix: number[][] }>();
    });
    expect(views[1].confusionMatrix).toEqual(views[0].confusionMatrix);
    expect(views[1]).toMatchObject({ accuracy: views[0].accuracy, tta: 3 });
  });
});
