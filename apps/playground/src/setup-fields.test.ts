import { describe, expect, it } from 'vitest';
import { linkProblems, numberFields, readDistortions, readNumber } from './setup-fields.js';

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
    expect(readDistortions('rotate:abc')).toMatchObject({ error: expect.stringContaining('Distortions: ') });
  });

  it('lists what a link sets that cannot be used', () => {
    const problems = linkProblems('#preset=custom&layers=flatten dense(abc) dense(10)&lr=1000&epochs=3&distort=wobble:3');
    expect(Object.keys(problems).sort()).toEqual(['distortions', 'layers', 'learningRate']);
    expect(problems.layers?.error).toContain('dense(abc)');
    expect(problems.learningRate?.text).toBe('1000');
    expect(linkProblems('#preset=small&lr=0.1&layers=flatten dense(10)')).toEqual({});
  });
});
