import { describe, expect, it } from 'vitest';
import { PlateauTracker } from './plateau.js';

describe('PlateauTracker', () => {
  it('counts epochs that fail to beat the best by tol, and keeps a smaller gain as the best', () => {
    const tracker = new PlateauTracker({ tol: 0.1 });
    // 1 is the first best; 1.05 and 1.1 are new bests but not by tol; 1.3 beats 1.1 by 0.2.
    expect([1, 1.05, 1.1, 1.3, 0.5].map((score) => [tracker.observe(score), tracker.epochsWithoutImprovement])).toEqual([
      [true, 0],
      [true, 1],
      [true, 2],
      [true, 0],
      [false, 1],
    ]);
    expect(tracker.getState()).toEqual({ best: 1.3, epochsWithoutImprovement: 1 });
  });

  it("with 'newBest' counts a tie as no improvement and any new best as one", () => {
    const tracker = new PlateauTracker('newBest');
    expect([0.9, 0.9, 0.9000001, 0.8].map((score) => (tracker.observe(score), tracker.epochsWithoutImprovement))).toEqual([0, 1, 0, 1]);
  });

  it('restarts the count and resumes from its state', () => {
    const tracker = new PlateauTracker({ tol: 0 });
    tracker.observe(3);
    tracker.observe(2);
    tracker.restart();
    expect(tracker.epochsWithoutImprovement).toBe(0);
    const copy = new PlateauTracker({ tol: 0 });
    copy.setState({ best: 3, epochsWithoutImprovement: 4 });
    copy.observe(2.5);
    expect(copy.getState()).toEqual({ best: 3, epochsWithoutImprovement: 5 });
  });
});
