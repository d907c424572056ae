import { describe, expect, it } from 'vitest';
import { classCountOf, parseClassNames } from './class-names.js';
import { createDataset } from './dataset.js';

const labelled = (labels: number[]) => createDataset({ images: new Uint8Array(labels.length * 4), labels: Uint8Array.from(labels), imageShape: [2, 2, 1], name: 'set' });

describe('class names', () => {
  it('reads one name a line, trimmed, without trailing blank lines', () => {
    expect(parseClassNames('\uFEFFT-shirt/top\r\n Trouser \nAnkle boot\n\n', 'classes.txt')).toEqual(['T-shirt/top', 'Trouser', 'Ankle boot']);
  });

  it('refuses blank, repeated or too few names, naming the line', () => {
    expect(() => parseClassNames('a\n\nb\n', 'c.txt')).toThrow('c.txt: line 2: found a blank line; expected one class name a line');
    expect(() => parseClassNames('a\nb\na\n', 'c.txt')).toThrow('c.txt: line 3: found "a" again (line 1); expected a different name for each class');
    expect(() => parseClassNames('only\n', 'c.txt')).toThrow('c.txt: found 1 class name(s); expected at least 2 class names');
  });

  it('counts classes from the names, else from the largest label but never below ten', () => {
    expect(classCountOf([labelled([0, 3, 1])])).toBe(10);
    expect(classCountOf([labelled([0, 25]), undefined, labelled([7])])).toBe(26);
    expect(classCountOf([labelled([0, 2])], ['x', 'y', 'z'])).toBe(3);
    expect(() => classCountOf([labelled([0, 3])], ['x', 'y', 'z'])).toThrow('set: found label 3 at image 1; expected a label 0–2 (one of its 3 class names)');
  });
});
