import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { DatasetError } from './dataset-error.js';
import { encodeKaggleCsv, encodeSubmissionCsv, parseKaggleCsv, parseSubmissionCsv } from './kaggle-csv.js';

const encoder = new TextEncoder();
const tiny = { imageShape: [2, 2, 1] }; // 4 pixel columns keep hand-written files readable

function thrown(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

const parse = (content: string, options = {}) => parseKaggleCsv(encoder.encode(content), 'train.csv', { ...tiny, ...options });

describe('Kaggle CSV', () => {
  it('reads the train layout with BOM, quoted header, CRLF and a trailing blank line', () => {
    const dataset = parse('\uFEFF"label","pixel0","pixel1",pixel2,pixel3\r\n7,0,255,12,3\r\n2,1,2,3,4\r\n\r\n');
    expect(dataset.count).toBe(2);
    expect(dataset.unlabelled).toBeUndefined();
    expect([...dataset.labels]).toEqual([7, 2]);
    expect([...dataset.images]).toEqual([0, 255, 12, 3, 1, 2, 3, 4]);
  });

  it('reads the test layout and headerless files, last line unterminated', () => {
    const test = parse('pixel0,pixel1,pixel2,pixel3\n9,8,7,6');
    expect(test.unlabelled).toBe(true);
    expect([...test.images]).toEqual([9, 8, 7, 6]);
    expect([...test.labels]).toEqual([0]);
    expect([...parse('5,1,2,3,4\n').labels]).toEqual([5]);
    expect(parse('1,2,3,4\n').unlabelled).toBe(true);
  });

  it('names line, column and expectation for each malformed input', () => {
    const header = 'label,pixel0,pixel1,pixel2,pixel3\n';
    const cases: [string, string][] = [
      ['', 'train.csv: found an empty file; expected a CSV of digit images (label,pixel0,…,pixel3)'],
      ['\uFEFF\r\n', 'train.csv: found an empty file; expected a CSV of digit images (label,pixel0,…,pixel3)'],
      [header, 'train.csv: line 2: found no data rows after the header; expected at least one row of 5 fields'],
      [`${header}1,2,3,4\n`, 'train.csv: line 2, column pixel3: found end of line after 4 fields; expected 5 fields'],
      [`${header}1,2,3,4,5,6\n`, 'train.csv: line 2, column pixel4: found more than 5 fields; expected 5 fields'],
      [`${header}1,2,3,4,5\n1,2,x3,4,5\n`, 'train.csv: line 3, column pixel1: found "x3"; expected a pixel value 0–255 (an unsigned integer)'],
      [`${header}1,2,3,256,5\n`, 'train.csv: line 2, column pixel2: found "256"; expected a pixel value 0–255 (an unsigned integer)'],
      [`${header}1,2,3,4,-5\n`, 'train.csv: line 2, column pixel3: found "-5"; expected a pixel value 0–255 (an unsigned integer)'],
      [`${header}10,2,3,4,5\n`, 'train.csv: line 2, column label: found "10"; expected a label 0–9 (an unsigned integer)'],
      [`${header}1,2,,4,5\n`, 'train.csv: line 2, column pixel1: found an empty field; expected a pixel value 0–255'],
      [`${header}1,2,3,4,5\n\n1,2,3,4,5\n`, 'train.csv: line 3: found a blank line; expected a row of 5 fields'],
      [`${header}1,2,3,4,5.5\n`, 'train.csv: line 2, column pixel3: found "5.5"; expected a pixel value 0–255 (an unsigned integer)'],
      ['label,pixel0,pixel1,pixel9,pixel3\n', 'train.csv: line 1, column 4: found header "pixel9"; expected header "pixel2"'],
      ['label,pixel0,pixel1,pixel2\n', 'train.csv: line 1: found 4 header names; expected 5 (label, pixel0…pixel3)'],
      ['id,pixel0\n', 'train.csv: line 1, column 1: found "id"; expected header "label" (train layout) or "pixel0" (test layout), or a first row of numbers'],
      ['1,2,3\n', 'train.csv: line 1: found 3 fields; expected 5 fields (label and 4 pixels) or 4 (pixels only)'],
    ];
    for (const [content, message] of cases) expect(thrown(() => parse(content)).message).toBe(message);
    const error = thrown(() => parse(`${header}1,2,3,4,5\n1,2,x3,4,5\n`));
    expect([error.file, error.line, error.column]).toEqual(['train.csv', 3, 'pixel1']);
  });

  it('enforces a required layout', () => {
    expect(thrown(() => parse('1,2,3,4\n', { layout: 'train' })).message).toContain('expected a label column first');
  });

  it('round-trips MNIST images in both layouts, and matches the IDX bytes', () => {
    const sample = mnistSample(30);
    const train = parseKaggleCsv(encodeKaggleCsv(sample), 'train.csv');
    expect(train.images).toEqual(sample.images);
    expect(train.labels).toEqual(sample.labels);
    const test = parseKaggleCsv(encodeKaggleCsv(sample, { layout: 'test' }), 'test.csv', { layout: 'test' });
    expect(test.images).toEqual(sample.images);
    expect(test.unlabelled).toBe(true);
    expect(new TextDecoder().decode(encodeKaggleCsv(sample).subarray(0, 26))).toBe('label,pixel0,pixel1,pixel2');
  });

  it('round-trips random datasets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.nat(), (count, labelled, seed) => {
        const images = Uint8Array.from({ length: count * 4 }, (_, i) => (seed * 7 + i * 101) % 256);
        const labels = Uint8Array.from({ length: count }, (_, i) => (seed + i * 3) % 10);
        const dataset = { images, labels, count, imageShape: [2, 2, 1], name: 'd' };
        const back = parseKaggleCsv(encodeKaggleCsv(dataset, { layout: labelled ? 'train' : 'test' }), 'd.csv', tiny);
        expect(back.images).toEqual(images);
        if (labelled) expect(back.labels).toEqual(labels);
        expect(back.unlabelled === true).toBe(!labelled);
      }),
      { numRuns: 100 },
    );
  });

  it('raises only DatasetError on random corruptions (and terminates)', () => {
    const source = encodeKaggleCsv({ images: Uint8Array.from({ length: 12 }, (_, i) => i * 21), labels: new Uint8Array([1, 2, 3]), count: 3, imageShape: [2, 2, 1], name: 'd' });
    const alphabet = [...encoder.encode('0123456789,\r\n"x-. ')];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.integer({ min: 0, max: 2 })), { maxLength: 5 }),
        (edits) => {
          let bytes = [...source];
          for (const [at, value, operation] of edits) {
            const position = at % (bytes.length + 1);
            if (operation === 0) bytes[position] = value;
            else if (operation === 1) bytes.splice(position, 0, value);
            else bytes.splice(position, 1);
          }
          try {
            const dataset = parseKaggleCsv(Uint8Array.from(bytes), 'd.csv', tiny);
            expect(dataset.images.length).toBe(dataset.count * 4);
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetError);
            expect((error as Error).message).not.toMatch(/[\r\n]/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes and reads a submission with ImageIds from 1', () => {
    const bytes = encodeSubmissionCsv([2, 0, 9]);
    expect(new TextDecoder().decode(bytes)).toBe('ImageId,Label\n1,2\n2,0\n3,9\n');
    expect([...parseSubmissionCsv(bytes, 'submission.csv')]).toEqual([2, 0, 9]);
    expect(thrown(() => parseSubmissionCsv(encoder.encode('ImageId,Label\n2,1\n'), 's.csv')).message).toBe(
      's.csv: line 2, column ImageId: found "2"; expected ImageId 1',
    );
  });
});
