import { tensor } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLoss } from './loss-registry.js';

const extremes = tensor([2, 3], [1e4, -1e4, 0, -1e4, 1e4, 1e4]);

describe('softmaxCrossEntropy', () => {
  const loss = createLoss({ kind: 'softmaxCrossEntropy' });

  it('is the mean of logsumexp(z) − z_label with gradient (softmax − onehot)/batch (hand-computed)', () => {
    // Row 1: z = [0, ln 3] → softmax [¼, ¾], label 1: −ln ¾. Row 2: z = [0, 0], label 0: ln 2.
    const output = tensor([2, 2], [0, Math.log(3), 0, 0]);
    const grad = new Float32Array(4);
    const value = loss.compute(output, [1, 0], grad);
    expect(value).toBeCloseTo((-Math.log(0.75) + Math.log(2)) / 2, 6);
    [0.125, -0.125, -0.25, 0.25].forEach((g, i) => expect(grad[i]).toBeCloseTo(g, 6));
    const probabilities = loss.probabilities(output);
    [0.25, 0.75, 0.5, 0.5].forEach((p, i) => expect(probabilities[i]).toBeCloseTo(p, 6));
  });

  it('stays finite for logits of ±1e4', () => {
    const grad = new Float32Array(6);
    const value = loss.compute(extremes, [1, 0], grad);
    // Row 1: logsumexp = 1e4, label logit −1e4 → 2e4. Row 2: logsumexp = 1e4 + ln 2, label −1e4 → 2e4 + ln 2.
    expect(value).toBeCloseTo((4e4 + Math.log(2)) / 2, 2);
    expect([...grad].every(Number.isFinite)).toBe(true);
    expect([...grad]).toEqual([0.5, -0.5, 0, -0.5, 0.25, 0.25]);
  });

  it('has gradients summing to zero per row (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -50, max: 50, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), (logits, label) => {
        const grad = new Float32Array(4);
        loss.compute(tensor([1, 4], logits), [label], grad);
        expect(Math.abs(grad.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
      }),
      { seed: 3 },
    );
  });
});

describe('softmaxCrossEntropy with label smoothing', () => {
  const smoothed = createLoss({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.2 });

  it('targets (1 − ε)·onehot + ε/K (hand-computed)', () => {
    // z = [0, ln 3] → p = [¼, ¾]; label 1, ε = 0.2, K = 2 → q = [0.1, 0.9].
    // C = −(0.1·ln ¼ + 0.9·ln ¾); dC/dz = p − q = [0.15, −0.15].
    const grad = new Float32Array(2);
    const value = smoothed.compute(tensor([1, 2], [0, Math.log(3)]), [1], grad);
    expect(value).toBeCloseTo(-(0.1 * Math.log(0.25) + 0.9 * Math.log(0.75)), 6);
    expect(grad[0]).toBeCloseTo(0.15, 6);
    expect(grad[1]).toBeCloseTo(-0.15, 6);
  });

  it('has the gradient of its loss (central differences, property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (logits, first, second) => {
        const labels = [first, second];
        const grad = new Float32Array(8);
        smoothed.compute(tensor([2, 4], logits), labels, grad);
        const h = 1e-2;
        for (let i = 0; i < 8; i++) {
          const plus = [...logits];
          const minus = [...logits];
          plus[i] += h;
          minus[i] -= h;
          const numeric = (smoothed.compute(tensor([2, 4], plus), labels, null) - smoothed.compute(tensor([2, 4], minus), labels, null)) / (2 * h);
          expect(Math.abs(numeric - grad[i])).toBeLessThan(2e-3);
        }
      }),
      { seed: 5, numRuns: 50 },
    );
  });

  it('with ε = 0 gives the same bytes and config as plain cross-entropy', () => {
    const plain = createLoss({ kind: 'softmaxCrossEntropy' });
    const zero = createLoss({ kind: 'softmaxCrossEntropy', labelSmoothing: 0 });
    expect(zero.config).toEqual({ kind: 'softmaxCrossEntropy' });
    const output = tensor([2, 3], [0.3, -1.2, 2.5, 0.7, 0.1, -0.4]);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    expect(zero.compute(output, [2, 0], a)).toBe(plain.compute(output, [2, 0], b));
    expect([...a]).toEqual([...b]);
    expect(smoothed.config).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.2 });
  });

  it('rejects ε outside [0, 1) and options other losses do not take', () => {
    expect(() => createLoss({ kind: 'softmaxCrossEntropy', labelSmoothing: 1 })).toThrow('labelSmoothing: expected a number in [0, 1), got 1');
    expect(() => createLoss({ kind: 'quadratic', labelSmoothing: 0.1 } as never)).toThrow('loss: labelSmoothing: unknown option (quadratic takes no options)');
  });
});

describe('sigmoidCrossEntropy', () => {
  const loss = createLoss({ kind: 'sigmoidCrossEntropy' });

  it('sums −[y ln a + (1 − y) ln(1 − a)] over outputs, mean over batch, with delta a − y (hand-computed)', () => {
    // z = [0, 0], label 0: each output a = ½ costs ln 2, so the sum is 2 ln 2; delta [½ − 1, ½].
    const grad = new Float32Array(2);
    expect(loss.compute(tensor([1, 2], [0, 0]), [0], grad)).toBeCloseTo(2 * Math.log(2), 6);
    expect([...grad]).toEqual([-0.5, 0.5]);
    expect([...loss.probabilities(tensor([1, 2], [0, Math.log(3)]))].map((p) => Number(p.toFixed(6)))).toEqual([0.5, 0.75]);
  });

  it('stays finite for logits of ±1e4', () => {
    const grad = new Float32Array(6);
    const value = loss.compute(extremes, [1, 0], grad);
    // Row 1 (label 1): 1e4 (a = 1, y = 0) + 1e4 (a ≈ 0, y = 1) + ln 2 (a = ½, y = 0).
    // Row 2 (label 0): 1e4 (a ≈ 0, y = 1) + 1e4 + 1e4 (a = 1, y = 0).
    expect(value).toBeCloseTo((5e4 + Math.log(2)) / 2, 2);
    expect([...grad]).toEqual([0.5, -0.5, 0.25, -0.5, 0.5, 0.5]);
  });
});

describe('quadratic', () => {
  const loss = createLoss({ kind: 'quadratic' });

  it('is ½‖a − y‖² summed over outputs, mean over batch, gradient (a − y)/batch (hand-computed)', () => {
    // Row 1: a = [0.5, 0.5], y = [1, 0]: ½(0.25 + 0.25) = 0.25. Row 2: a = [0, 1], y = [0, 1]: 0.
    const grad = new Float32Array(4);
    expect(loss.compute(tensor([2, 2], [0.5, 0.5, 0, 1]), [0, 1], grad)).toBeCloseTo(0.125, 7);
    expect([...grad]).toEqual([-0.25, 0.25, 0, 0]);
    expect([...loss.probabilities(tensor([2, 2], [0.2, 0.6, -1, -1]))].map((p) => Number(p.toFixed(6)))).toEqual([0.25, 0.75, 0.5, 0.5]);
  });
});

describe('loss validation', () => {
  it('rejects unknown kinds, bad labels and mismatched sizes in one line', () => {
    expect(() => createLoss({ kind: 'hinge' } as never)).toThrow('loss: kind: expected one of softmaxCrossEntropy, sigmoidCrossEntropy, quadratic, got "hinge"');
    const loss = createLoss({ kind: 'softmaxCrossEntropy' });
    expect(() => loss.compute(tensor([1, 3]), [3], null)).toThrow('softmaxCrossEntropy: labels[0] = 3 is not a class index in [0, 3)');
    expect(() => loss.compute(tensor([2, 3]), [0], null)).toThrow('softmaxCrossEntropy: expected 2 labels (one per example), got 1');
  });
});
