/** One epoch of training, as `onEpochEnd` receives it and `FitResult.history` keeps it. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean training cost over the epoch's batches, as the weights moved (plus the L1/L2 penalty when the optimizer has one). */
  readonly trainLoss: number;
  /** Fraction of the epoch's training images classified right at the moment they were trained on (dropout on). */
  readonly trainAccuracy: number;
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  /** η used during the epoch. */
  readonly learningRate: number;
  /** Wall time of the epoch including evaluation (not part of any determinism guarantee). */
  readonly seconds: number;
}
