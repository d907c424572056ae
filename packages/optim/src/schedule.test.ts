import { describe, expect, it } from 'vitest';
import { createSchedule, parseSchedule, type EpochReport, type Schedule } from './schedule.js';

/** Runs `losses.length` epochs, returning the learning rate used in each. */
function run(schedule: Schedule, reports: Partial<EpochReport>[]): number[] {
  const rates: number[] = [];
  reports.forEach((report, i) => {
    rates.push(schedule.learningRate);
    schedule.epochEnd({ epoch: i + 1, samplesSeen: (i + 1) * 100, trainLoss: 1, ...report });
  });
  return rates;
}

const epochs = (n: number): Partial<EpochReport>[] => Array.from({ length: n }, () => ({}));

/** η at every step of a run of `epochs` epochs of `steps` batches, calling epochEnd between epochs like fit. */
function stepRates(schedule: Schedule, epochs: number, steps: number): number[] {
  const rates: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b < steps; b++) rates.push(schedule.stepRate!(epoch * steps + b, steps));
    schedule.epochEnd({ epoch: epoch + 1, samplesSeen: 0, trainLoss: 1 });
  }
  return rates;
}

describe('warm-up and one-cycle schedules', () => {
  it('onecycle follows PyTorch OneCycleLR (hand-computed at 10 steps)', () => {
    // max 1, div 25, final div 1e4: initial 0.04, min 4e-6. pctStart 0.3 of 10 steps: the peak
    // is at step 0.3·10 − 1 = 2; step 1 is half way up: 1 + (0.04 − 1)·(1 + cos(π/2))/2 = 0.52.
    // Then down over steps 2..9: step 9 reaches the minimum.
    const rates = stepRates(createSchedule('onecycle:1', 0.001, { epochs: 2 }), 2, 5);
    expect(rates[0]).toBeCloseTo(0.04, 12);
    expect(rates[1]).toBeCloseTo(0.52, 12);
    expect(rates[2]).toBeCloseTo(1, 12);
    expect(rates[9]).toBeCloseTo(4e-6, 12);
    // Half way down (step 2 + 3.5) is the mean of max and min.
    expect(createSchedule({ kind: 'onecycle' }, 2, { epochs: 1 }).stepRate!(5.5, 10)).toBeCloseTo((2 + 2 / 25 / 1e4) / 2, 12);
  });

  it('onecycle rises then falls monotonically, within [min, max] (property over lengths)', () => {
    for (const [epochs, steps] of [[1, 7], [3, 4], [5, 33]]) {
      const rates = stepRates(createSchedule('onecycle:0.01,0.25', 1, { epochs }), epochs, steps);
      const top = rates.indexOf(Math.max(...rates));
      rates.forEach((rate, i) => {
        expect(rate).toBeGreaterThan(0);
        expect(rate).toBeLessThanOrEqual(0.01 + 1e-15);
        if (i > 0 && i <= top) expect(rate).toBeGreaterThanOrEqual(rates[i - 1]);
        if (i > top) expect(rate).toBeLessThanOrEqual(rates[i - 1]);
      });
    }
  });

  it('warmup:E rises linearly to η₀ over E epochs, then runs its schedule over the rest', () => {
    const rates = stepRates(createSchedule('warmup:1,cosine', 0.4, { epochs: 3 }), 3, 4);
    expect(rates.slice(0, 4)).toEqual([0.1, 0.2, 0.30000000000000004, 0.4]);
    // cosine over the 2 remaining epochs: η₀ in the first, η₀/2 in the second.
    expect(rates.slice(4, 8)).toEqual([0.4, 0.4, 0.4, 0.4]);
    expect(rates[8]).toBeCloseTo(0.2, 12);
    expect(createSchedule('warmup:2', 1, { epochs: 5 }).config).toEqual({ kind: 'warmup', epochs: 2, then: { kind: 'constant' } });
    expect(parseSchedule('warmup:2,cosine:28,0.0001')).toEqual({ kind: 'warmup', epochs: 2, then: { kind: 'cosine', epochs: 28, minLearningRate: 0.0001 } });
  });

  it('restores a warm-up state and refuses bad forms in one line', () => {
    const first = createSchedule('warmup:1,step:1,0.5', 1, { epochs: 4 });
    stepRates(first, 3, 2);
    const second = createSchedule('warmup:1,step:1,0.5', 1, { epochs: 4 });
    second.setState(first.getState());
    expect(second.stepRate!(7, 2)).toBe(first.stepRate!(7, 2));
    expect(() => parseSchedule('warmup:x')).toThrow('schedule "warmup:x": warm-up epochs ("x") must be a positive integer');
    expect(() => parseSchedule('warmup:1,warmup:1')).toThrow('a warm-up cannot follow a warm-up');
    expect(() => createSchedule('warmup:3', 1, { epochs: 3 })).toThrow('leaves none of the run');
    expect(() => parseSchedule('onecycle:1,2')).toThrow(/pctStart/);
  });
});

describe('schedules', () => {
  it('constant, step, exponential', () => {
    expect(run(createSchedule('constant', 0.1), epochs(3))).toEqual([0.1, 0.1, 0.1]);
    expect(run(createSchedule('step:2,0.5', 0.8), epochs(6))).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
    expect(run(createSchedule({ kind: 'exponential', factor: 0.5 }, 1), epochs(4))).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it('cosine goes η₀ → (η₀+η_min)/2 at half time → η_min', () => {
    const rates = run(createSchedule('cosine:4,0.1', 1.1), epochs(5));
    expect(rates[0]).toBe(1.1);
    expect(rates[2]).toBeCloseTo(0.6, 12);
    expect(rates[4]).toBeCloseTo(0.1, 12);
    // Without its own length it takes the run's.
    expect(createSchedule('cosine', 1, { epochs: 30 }).config).toEqual({ kind: 'cosine', epochs: 30, minLearningRate: 0 });
    expect(() => createSchedule('cosine', 1)).toThrow(/epochs is needed/);
  });

  it('invscaling follows sklearn: η₀/(t + 1)^power_t with t the examples seen', () => {
    const schedule = createSchedule('invscaling', 0.1);
    schedule.epochEnd({ epoch: 1, samplesSeen: 99, trainLoss: 1 });
    expect(schedule.learningRate).toBeCloseTo(0.01, 15);
    schedule.epochEnd({ epoch: 2, samplesSeen: 9999, trainLoss: 1 });
    expect(schedule.learningRate).toBeCloseTo(0.001, 15);
  });

  it('adaptive divides by 5 after 2 epochs that miss the best loss by tol, and stops at 1e-6', () => {
    const schedule = createSchedule('adaptive', 0.01);
    // Epoch 2 improves by less than tol, epoch 3 is worse: two stalls.
    const rates = run(schedule, [{ trainLoss: 1 }, { trainLoss: 0.99995 }, { trainLoss: 1.2 }, { trainLoss: 0.5 }]);
    expect(rates).toEqual([0.01, 0.01, 0.01, 0.002]);
    const tiny = createSchedule({ kind: 'adaptive', minLearningRate: 0.002 }, 0.002);
    run(tiny, [{ trainLoss: 1 }, { trainLoss: 1 }, { trainLoss: 1 }]);
    expect(tiny.stopRequested).toBe(true);
    expect(tiny.learningRate).toBe(0.002);
  });

  it('plateau (Nielsen) halves η after n epochs without a new best validation accuracy and stops at η₀/128', () => {
    const schedule = createSchedule('plateau:2', 1);
    const reports = [0.9, 0.95, 0.95, 0.94, 0.96, 0.96, 0.96].map((validationAccuracy) => ({ validationAccuracy }));
    expect(run(schedule, reports)).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5]);
    expect(schedule.learningRate).toBe(0.25);
    const stopping = createSchedule({ kind: 'plateau', patience: 1 }, 1);
    const rates = run(stopping, epochs(8).map(() => ({ validationAccuracy: 0.5 })));
    expect(rates).toEqual([1, 1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]);
    expect(stopping.stopRequested).toBe(true); // halving 1/64 would reach 1/128
    expect(() => createSchedule('plateau:1', 1).epochEnd({ epoch: 1, samplesSeen: 1, trainLoss: 1 })).toThrow(
      /plateau: epoch 1 reported no finite validationAccuracy/,
    );
  });

  it('state round trip continues identically', () => {
    const a = createSchedule('adaptive', 0.01);
    run(a, [{ trainLoss: 1 }, { trainLoss: 1 }]);
    const b = createSchedule('adaptive', 0.01);
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    a.epochEnd({ epoch: 3, samplesSeen: 300, trainLoss: 1 });
    b.epochEnd({ epoch: 3, samplesSeen: 300, trainLoss: 1 });
    expect(b.getState()).toEqual(a.getState());
    expect(b.learningRate).toBe(0.002);
  });
});

describe('parseSchedule', () => {
  it('reads every text form', () => {
    expect(parseSchedule('step:10,0.5')).toEqual({ kind: 'step', every: 10, factor: 0.5 });
    expect(parseSchedule(' exponential : 0.95 ')).toEqual({ kind: 'exponential', factor: 0.95 });
    expect(parseSchedule('cosine')).toEqual({ kind: 'cosine' });
    expect(parseSchedule('invscaling:0.25')).toEqual({ kind: 'invscaling', powerT: 0.25 });
    expect(parseSchedule('adaptive:1e-4,11')).toEqual({ kind: 'adaptive', tol: 1e-4, patience: 11 });
    expect(parseSchedule('plateau:10,0.5,128')).toEqual({ kind: 'plateau', patience: 10, factor: 0.5, stopDivisor: 128 });
  });

  it('explains what is wrong in one line', () => {
    expect(() => parseSchedule('stepp:10')).toThrow('schedule "stepp:10": unknown kind "stepp"; expected one of constant, step, exponential, cosine, invscaling, adaptive, plateau, warmup, onecycle');
    expect(() => parseSchedule('step:10')).toThrow('schedule "step:10": step takes 2 arguments, got 1; expected step:<every epochs>,<factor>  e.g. step:10,0.5');
    expect(() => parseSchedule('step:10,x')).toThrow(/argument 2 \("x"\) is not a number/);
    expect(() => parseSchedule('step:2.5,0.5')).toThrow(/schedule "step:2.5,0.5": every must be a positive integer, got 2.5; expected step/);
    expect(() => parseSchedule('')).toThrow(/expected text like/);
    for (const text of ['step:10', 'plateau', 'constant:1', 'adaptive:-1']) expect(() => parseSchedule(text)).toThrow(/^schedule "[^\n]+$/);
  });
});
