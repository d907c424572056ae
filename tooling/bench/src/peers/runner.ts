// The shape every Node runner has: one library, one workload, training then inference.
import type { BenchData } from './data.js';
import type { PhaseTiming } from './measure.js';
import type { ChildSpec } from './protocol.js';
import type { Workload } from './workloads.js';

/** What a runner measured, before the child adds its memory figures. */
export interface RunnerOutcome {
  readonly library: string;
  readonly backend: string;
  readonly train: PhaseTiming | null;
  readonly infer: PhaseTiming | null;
  readonly trainReason?: string;
  readonly inferReason?: string;
}

/** Times `workload` with one library as `spec` says. */
export type Runner = (spec: ChildSpec, workload: Workload, data: BenchData) => Promise<RunnerOutcome>;
