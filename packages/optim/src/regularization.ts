import type { Param } from '@nnkit/tensor';

/**
 * Weight penalties, applied only to params with `regularize: true` (weights, not biases).
 * Nielsen's convention: with n = `trainingSize`, L2 adds (λ₂/n)·w and L1 adds (λ₁/n)·sgn(w) to
 * the batch-mean gradient, so plain SGD gives w ← (1 − ηλ₂/n)·w − η·grad exactly (network2.py).
 * These penalties are coupled: adaptive optimizers (Adam, RMSprop) rescale them with the
 * gradient. `weightDecay` is decoupled (Loshchilov & Hutter): w ← w − η·λ·w applied beside the
 * optimizer's own update, as AdamW does.
 */
export interface RegularizationOptions {
  /** λ₂ of the cost term (λ₂/2n)·Σw². */
  readonly l2?: number;
  /** λ₁ of the cost term (λ₁/n)·Σ|w|. */
  readonly l1?: number;
  /** n in the terms above: the number of training examples (Nielsen), or the batch size (sklearn). */
  readonly trainingSize?: number;
  /** Decoupled weight decay λ: w ← w − η·λ·w each step. */
  readonly weightDecay?: number;
}

/** The per-element coefficients an optimizer needs: grad += l2·w + l1·sgn(w); w −= η·decay·w. */
export interface PenaltyCoefficients {
  readonly l2: number;
  readonly l1: number;
  readonly decay: number;
}

function nonNegative(value: number | undefined, name: string, owner: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${owner}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Validates the options and turns λ and n into per-element coefficients (λ/n). */
export function penaltyCoefficients(options: RegularizationOptions, owner: string): PenaltyCoefficients {
  const l2 = nonNegative(options.l2, 'l2', owner);
  const l1 = nonNegative(options.l1, 'l1', owner);
  const decay = nonNegative(options.weightDecay, 'weightDecay', owner);
  if (l1 === 0 && l2 === 0) return { l2: 0, l1: 0, decay };
  const n = options.trainingSize;
  if (n === undefined || !Number.isInteger(n) || n <= 0) {
    throw new RangeError(
      `${owner}: l1/l2 need trainingSize, a positive integer (n in λ/n: the number of training examples), got ${String(n)}`,
    );
  }
  return { l2: l2 / n, l1: l1 / n, decay };
}

/**
 * The penalty part of the cost for reporting: (λ₂/2n)·Σw² + (λ₁/n)·Σ|w| over regularised params
 * (the term Nielsen's `total_cost` and sklearn's `loss_curve_` include).
 */
export function regularizationPenalty(params: readonly Param[], options: RegularizationOptions): number {
  const { l2, l1 } = penaltyCoefficients(options, 'regularizationPenalty');
  if (l2 === 0 && l1 === 0) return 0;
  let squares = 0;
  let absolutes = 0;
  for (const param of params) {
    if (!param.regularize) continue;
    const w = param.value.data;
    for (let i = 0; i < w.length; i++) {
      squares += w[i] * w[i];
      absolutes += Math.abs(w[i]);
    }
  }
  return 0.5 * l2 * squares + l1 * absolutes;
}
