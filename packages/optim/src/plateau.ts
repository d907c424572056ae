/**
 * When an epoch counts as an improvement: `{tol}` is scikit-learn's rule (it must beat the
 * best so far by at least `tol`; a smaller gain still becomes the new best), 'newBest' is
 * Nielsen's "no-improvement-in-n" (any new best counts, a tie does not).
 */
export type ImprovementRule = { readonly tol: number } | 'newBest';

/** A tracker's progress, JSON-able for checkpoints. */
export interface PlateauState {
  readonly best: number | null;
  readonly epochsWithoutImprovement: number;
}

/**
 * Counts consecutive epochs that fail to improve a score that grows with improvement
 * (accuracy, or minus a loss). The one plateau detector: learning-rate schedules (adaptive,
 * plateau) and early stopping each decide what to do once the count reaches their patience.
 */
export class PlateauTracker {
  readonly rule: ImprovementRule;
  private best: number | null = null;
  private stalled = 0;

  constructor(rule: ImprovementRule) {
    this.rule = rule;
  }

  /** Records one epoch's score; returns true when it is a new best (always for the first epoch). */
  observe(score: number): boolean {
    const best = this.best ?? -Infinity;
    const improved = this.rule === 'newBest' ? score > best : !(score < best + this.rule.tol);
    this.stalled = improved ? 0 : this.stalled + 1;
    if (!(score > best)) return false;
    this.best = score;
    return true;
  }

  /** Consecutive epochs without improvement so far. */
  get epochsWithoutImprovement(): number {
    return this.stalled;
  }

  /** Starts counting again (after the schedule acted on a plateau). */
  restart(): void {
    this.stalled = 0;
  }

  /** What the tracker has seen so far, as JSON-able data, to resume from. */
  getState(): PlateauState {
    return { best: this.best, epochsWithoutImprovement: this.stalled };
  }

  /** Restores what `getState` returned. */
  setState(state: PlateauState): void {
    this.best = state.best;
    this.stalled = state.epochsWithoutImprovement;
  }
}
