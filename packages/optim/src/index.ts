export {
  type Optimizer,
  type OptimizerSpec,
  type OptimizerKind,
  type OptimizerState,
  type SgdSpec,
  type MomentumSpec,
  type NesterovSpec,
  type AdamSpec,
  type AdamWSpec,
  type RmspropSpec,
  BaseOptimizer,
} from './optimizer.js';
export { createOptimizer, optimizerKinds } from './create-optimizer.js';
export { Sgd, type SgdFamilySpec } from './sgd.js';
export { Adam } from './adam.js';
export { Rmsprop } from './rmsprop.js';
export { type RegularizationOptions, regularizationPenalty } from './regularization.js';
export { gradientNorm, clipGradientNorm } from './clip.js';
export {
  type Schedule,
  type ScheduleSpec,
  type ScheduleState,
  type EpochReport,
  type ConstantScheduleSpec,
  type StepScheduleSpec,
  type ExponentialScheduleSpec,
  type CosineScheduleSpec,
  type InvScalingScheduleSpec,
  type AdaptiveScheduleSpec,
  type PlateauScheduleSpec,
  type WarmupScheduleSpec,
  type OneCycleScheduleSpec,
  oneCycleRate,
  createSchedule,
  parseSchedule,
  normalizeSchedule,
  scheduleForms,
} from './schedule.js';
/** Counts epochs without improvement: the plateau rule shared by schedules and early stopping. */
export { type ImprovementRule, type PlateauState, PlateauTracker } from './plateau.js';
// Re-exported from @nnkit/tensor, where they live, for code that imports them from here.
export { encodeBase64, decodeBase64, encodeFloat32, decodeFloat32 } from '@nnkit/tensor';
