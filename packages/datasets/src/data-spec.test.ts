import { describe, expect, it } from 'vitest';
import { type DataSpec, DataSpecError, formatDataSpec, parseDataSpec } from './data-spec.js';

describe('parseDataSpec', () => {
  it('reads the four kinds, the path being everything after the first colon', () => {
    expect(parseDataSpec('folder:my photos')).toEqual({ kind: 'folder', path: 'my photos' });
    expect(parseDataSpec('mnist')).toEqual({ kind: 'mnist' });
    expect(parseDataSpec('idx:data/mnist')).toEqual({ kind: 'idx', path: 'data/mnist' });
    expect(parseDataSpec('csv:C:\\kaggle\\train.csv')).toEqual({ kind: 'csv', path: 'C:\\kaggle\\train.csv' });
    expect(parseDataSpec('csv:a:b.csv', { output: true })).toEqual({ kind: 'csv', path: 'a:b.csv' });
  });

  it('formats back to the text it parsed', () => {
    for (const text of ['mnist', 'idx:out/', 'csv:train.csv', 'csv:C:\\x.csv', 'folder:photos']) expect(formatDataSpec(parseDataSpec(text))).toBe(text);
    const spec: DataSpec = { kind: 'idx', path: 'folder' };
    expect(parseDataSpec(formatDataSpec(spec))).toEqual(spec);
  });

  it.each([
    ['mnsit', {}, 'data "mnsit": expected mnist, idx:DIR, csv:FILE or folder:DIR'],
    ['', {}, 'data "": expected mnist, idx:DIR, csv:FILE or folder:DIR'],
    ['idx', {}, 'data "idx": idx needs a folder, as in idx:DIR'],
    ['idx:', {}, 'data "idx:": idx needs a folder, as in idx:DIR'],
    ['csv:', {}, 'data "csv:": csv needs a file, as in csv:FILE'],
    ['mnist:x', {}, 'data "mnist:x": mnist takes no path'],
    ['MNIST', {}, 'expected mnist, idx:DIR, csv:FILE or folder:DIR'],
    ['mnist', { output: true }, 'data "mnist": the embedded mnist cannot be written; expected idx:DIR or csv:FILE'],
    ['folder/', { output: true }, 'data "folder/": expected idx:DIR or csv:FILE'],
    ['folder:', {}, 'data "folder:": folder needs a folder, as in folder:DIR'],
    ['folder:photos', { output: true }, 'data "folder:photos": an image folder is read, not written; expected idx:DIR or csv:FILE'],
  ])('rejects %j (%j) with one line saying why', (text, options, message) => {
    let caught: unknown;
    try {
      parseDataSpec(text, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataSpecError);
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as DataSpecError).message).toContain(message);
    expect((caught as DataSpecError).message).not.toContain('\n');
    expect((caught as DataSpecError).spec).toBe(text);
    expect((caught as DataSpecError).message).toBe(`data "${text}": ${(caught as DataSpecError).problem}`);
  });
});
