import { describe, expect, it } from 'vitest';
import { linkProblems, numberFields, readDistortions, readNumber, readSchedule, scheduleRateNote, smoothingProblem } from './setup-fields.js';

const field = (name: string) => numberFields.find((spec) => spec.field === name)!;

describe('setup fields', () => {
  it('accepts values in range and refuses the rest with a reason naming the field', () => {
    expect(readNumber(field('learningRate'), '0.01')).toEqual({ value: 0.01 });
    expect(readNumber(field('learningRate'), '0')).toEqual({ error: 'Learning rate: 0 is outside 0.000001 to 100.' });
    expect(readNumber(field('learningRate'), '1000')).toMatchObject({ error: expect.stringContaining('outside') });
    expect(readNumber(field('batchSize'), '0')).toMatchObject({ error: expect.stringContaining('Batch size') });
    expect(readNumber(field('epochs'), '1.5')).toMatchObject({ error: expect.stringContaining('whole number') });
    expect(readNumber(field('epochs'), '')).toMatchObject({ error: expect.stringContaining('not a number') });
  });

  it('reads distortions into their normal form or says what is wrong', () => {
    expect(readDistortions('none')).toEqual({ value: '' });
    expect(readDistortions(' rotate:10 ')).toEqual({ value: 'rotate:10' });
    expect(readDistortions('rotate:abc')).toEqual({ error: 'Distortions "rotate:abc": rotate (degrees) must be a non-negative number, got "abc"' });
    expect(readDistortions('rotate:10,wobble:3')).toEqual({
      error: 'Distortions "rotate:10,wobble:3": "wobble:3": unknown distortion "wobble" (expected one of rotate, scale, stretch, shear, translate, shift, elastic, noise)',
    });
  });

  it('reads a schedule text for the run or refuses it with the parser\'s one-line message', () => {
    expect(readSchedule('onecycle', 1)).toEqual({ value: 'onecycle' });
    expect(readSchedule(' step:10, 0.5 ', 1)).toEqual({ value: 'step:10,0.5' });
    expect(readSchedule('adaptive', 1)).toEqual({ value: 'adaptive' });
    expect(readSchedule('', 1)).toEqual({ value: '' });
    expect(readSchedule('constant', 1)).toEqual({ value: '' });
    expect(readSchedule('foo', 1)).toEqual({
      error: 'Schedule "foo": unknown kind "foo"; expected one of constant, step, exponential, cosine, invscaling, adaptive, plateau, warmup, onecycle',
    });
    expect(readSchedule('exponential:-1', 1)).toEqual({
      error: 'Schedule "exponential:-1": factor must be a number with 0 ≤ factor ≤ Infinity, got -1; expected exponential:<factor>  e.g. exponential:0.95',
    });
    // A warm-up needs epochs after it: refused in the field, not by `fit` at Start.
    expect(readSchedule('warmup:1,cosine', 1)).toEqual({ error: "Schedule warmup: epochs 1 leaves none of the run's 1 epochs after the warm-up" });
    expect(readSchedule('warmup:1,cosine', 3)).toEqual({ value: 'warmup:1,cosine' });
  });

  it('refuses schedules that watch validation accuracy, which the playground does not measure', () => {
    const reason = (text: string) => `Schedule: "${text}" watches validation accuracy, and the playground holds no validation images out; try cosine, onecycle or adaptive.`;
    expect(readSchedule('plateau:2', 5)).toEqual({ error: reason('plateau:2') });
    expect(readSchedule('warmup:1,plateau:2', 5)).toEqual({ error: reason('warmup:1,plateau:2') });
  });

  it('refuses label smoothing out of range, or with a loss other than softmax cross-entropy', () => {
    expect(readNumber(field('labelSmoothing'), '0.1')).toEqual({ value: 0.1 });
    expect(readNumber(field('labelSmoothing'), '0.6')).toEqual({ error: 'Label smoothing: 0.6 is outside 0 to 0.5.' });
    expect(readNumber(field('labelSmoothing'), '-0.1')).toEqual({ error: 'Label smoothing: -0.1 is outside 0 to 0.5.' });
    expect(smoothingProblem(0.1, 'softmaxCrossEntropy')).toBeNull();
    expect(smoothingProblem(0, 'quadratic')).toBeNull();
    expect(smoothingProblem(0.1, 'quadratic')).toBe('Label smoothing: only softmax cross-entropy takes it; set 0 or change the loss.');
    expect(smoothingProblem(0.1, 'sigmoidCrossEntropy')).toBe('Label smoothing: only softmax cross-entropy takes it; set 0 or change the loss.');
  });

  it('says what the learning rate means under a schedule, and when a change to it applies', () => {
    expect(scheduleRateNote('')).toBe('');
    expect(scheduleRateNote('onecycle')).toBe('Learning rate is the one-cycle peak (training starts at a 25th of it); a change to it applies from the next Start or Reset.');
    expect(scheduleRateNote('onecycle:0.003')).toBe('Learning rate is not used: onecycle sets its own peak, 0.003.');
    expect(scheduleRateNote('warmup:1,onecycle:0.003')).toBe('Learning rate is the rate the warm-up rises to; a change to it applies from the next Start or Reset.');
    expect(scheduleRateNote('warmup:1,cosine')).toBe('Learning rate is the rate the warm-up rises to; a change to it applies from the next Start or Reset.');
    expect(scheduleRateNote('step:10,0.5')).toBe("Learning rate is the schedule's starting rate; a change to it applies from the next Start or Reset.");
  });

  it('lists what a link sets that cannot be used', () => {
    const problems = linkProblems('#preset=custom&layers=flatten dense(abc) dense(10)&lr=1000&epochs=3&distort=wobble:3');
    expect(Object.keys(problems).sort()).toEqual(['distortions', 'layers', 'learningRate']);
    expect(problems.layers?.error).toContain('dense(abc)');
    expect(problems.learningRate?.text).toBe('1000');
    expect(linkProblems('#preset=small&lr=0.1&layers=flatten dense(10)')).toEqual({});
  });

  it('lists a link\'s refused schedule and label smoothing with the text as given', () => {
    expect(linkProblems('#schedule=wobble&smooth=0.7')).toEqual({
      schedule: { text: 'wobble', error: 'Schedule "wobble": unknown kind "wobble"; expected one of constant, step, exponential, cosine, invscaling, adaptive, plateau, warmup, onecycle' },
      labelSmoothing: { text: '0.7', error: 'Label smoothing: 0.7 is outside 0 to 0.5.' },
    });
    expect(linkProblems('#loss=quadratic&smooth=0.1')).toEqual({
      labelSmoothing: { text: '0.1', error: 'Label smoothing: only softmax cross-entropy takes it; set 0 or change the loss.' },
    });
    expect(linkProblems('#schedule=plateau:3&epochs=10').schedule?.error).toContain('watches validation accuracy');
    // Read against the link's epochs.
    expect(linkProblems('#schedule=warmup:1,cosine&epochs=1').schedule?.error).toContain('leaves none');
    expect(linkProblems('#schedule=warmup:1,cosine&epochs=2')).toEqual({});
    expect(linkProblems('#loss=softmaxCrossEntropy&smooth=0.1&schedule=onecycle')).toEqual({});
    // A link made before the two fields.
    expect(linkProblems('#preset=custom&layers=flatten dense(10)&loss=quadratic&optimizer=sgd&lr=0.1&batch=10&epochs=3&distort=none')).toEqual({});
  });
});
