import { encode as encodePng } from 'fast-png';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type SampleFormat, exportSamples, importSamples, pngToSample } from './sample-files.js';
import { type SampleSet, addSample, addSamples, emptySampleSet } from './teach-samples.js';

/** Samples with varied pixels (a diagonal stroke moved per sample) and labels 0–9 in a shuffled order. */
function drawnSet(count: number): SampleSet {
  let set = emptySampleSet();
  for (let index = 0; index < count; index++) {
    const pixels = new Uint8Array(784);
    for (let step = 0; step < 16; step++) pixels[(6 + step) * 28 + 4 + ((step + index) % 20)] = 40 + ((index * 37 + step * 11) % 216);
    set = addSample(set, (index * 7) % 10, pixels);
  }
  return set;
}

const plain = (set: SampleSet) => set.samples.map((sample) => ({ label: sample.label, pixels: Array.from(sample.pixels) }));

describe('sample files', () => {
  for (const format of ['folder', 'idx', 'csv'] as SampleFormat[]) {
    it(`${format}: export → import gives the same labels and pixels in the same order, and exports the same bytes again`, () => {
      const set = drawnSet(23);
      const file = exportSamples(set.samples, format);
      const imported = importSamples([{ name: file.name, bytes: file.bytes }]);
      expect(imported.problems).toEqual([]);
      const back = addSamples(emptySampleSet(), imported.samples);
      expect(plain(back)).toEqual(plain(set));
      expect(exportSamples(back.samples, format).bytes).toEqual(file.bytes);
    });
  }

  it('writes the layouts the command reads: my-digits/<digit>/NNNN.png, an IDX pair, a Kaggle CSV', () => {
    const set = drawnSet(12);
    const folder = unzipSync(exportSamples(set.samples, 'folder').bytes);
    expect(Object.keys(folder).filter((path) => path.endsWith('.png'))).toEqual(set.samples.map((sample, index) => `my-digits/${sample.label}/${String(index + 1).padStart(4, '0')}.png`));
    expect(Object.keys(unzipSync(exportSamples(set.samples, 'idx').bytes)).sort()).toEqual(['my-digits/README.txt', 'my-digits/train-images-idx3-ubyte', 'my-digits/train-labels-idx1-ubyte']);
    const csv = new TextDecoder().decode(exportSamples(set.samples, 'csv').bytes).split('\n');
    expect(csv[0].startsWith('label,pixel0,pixel1')).toBe(true);
    expect(csv[1].split(',')[0]).toBe(String(set.samples[0].label));
  });

  it('preprocesses a PNG of another size (dark ink on paper) like the pad, and keeps a 28×28 white-on-black one as it is', () => {
    // A 60×60 white page with a dark vertical bar: a "1" off-centre.
    const page = new Uint8Array(60 * 60).fill(250);
    for (let y = 10; y < 40; y++) for (let x = 8; x < 12; x++) page[y * 60 + x] = 20;
    const digit = pngToSample(encodePng({ width: 60, height: 60, data: page, channels: 1, depth: 8 }), 'one.png');
    // Centred by its centre of mass, 20 pixels tall, white on black.
    const rows = [...Array(28).keys()].filter((y) => digit.subarray(y * 28, y * 28 + 28).some((value) => value > 128));
    expect(rows.length).toBeGreaterThanOrEqual(18);
    expect(Math.abs((rows[0] + rows[rows.length - 1]) / 2 - 13.5)).toBeLessThanOrEqual(1.5);
    expect(digit[0]).toBe(0);
    const exact = new Uint8Array(784);
    exact[300] = 200;
    expect(Array.from(pngToSample(encodePng({ width: 28, height: 28, data: exact, channels: 1, depth: 8 }), 'x.png'))).toEqual(Array.from(exact));
  });

  it('reads the good files and names each bad one in a short line', () => {
    const good = exportSamples(drawnSet(3).samples, 'folder');
    const entries = unzipSync(good.bytes);
    const broken = zipSync({
      ...Object.fromEntries(Object.entries(entries).map(([path, bytes]) => [path, [bytes, { level: 0 }]])),
      'my-digits/4/0009.png': [strToU8('not a picture'), { level: 0 }],
      'my-digits/extra/0010.png': [entries[Object.keys(entries).find((path) => path.endsWith('.png'))!], { level: 0 }],
    } as Parameters<typeof zipSync>[0]);
    const result = importSamples([{ name: 'mine.zip', bytes: broken }]);
    expect(result.samples.length).toBe(3);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/^mine\.zip: my-digits\/4\/0009\.png: /);
    expect(result.problems[1]).toBe('mine.zip: my-digits/extra/0010.png: not in a digit folder 0/ … 9/');
    for (const line of result.problems) expect(line).not.toContain('\n');
    expect(importSamples([{ name: 'notes.txt', bytes: strToU8('hello') }]).problems).toEqual(['notes.txt: not a zip, a CSV or an IDX pair']);
    expect(importSamples([{ name: 'bad.csv', bytes: strToU8('label,pixel0\n12,0\n') }]).problems[0]).toMatch(/^bad\.csv: /);
    expect(importSamples([{ name: 'empty.zip', bytes: zipSync({}) }]).problems).toEqual(['empty.zip: no samples found; expected 0/ … 9/ folders of PNG images, an IDX pair or a CSV']);
  });

  it('reads an IDX pair picked as two files', () => {
    const set = drawnSet(5);
    const entries = unzipSync(exportSamples(set.samples, 'idx').bytes);
    const result = importSamples([
      { name: 'train-labels-idx1-ubyte', bytes: entries['my-digits/train-labels-idx1-ubyte'] },
      { name: 'train-images-idx3-ubyte', bytes: entries['my-digits/train-images-idx3-ubyte'] },
    ]);
    expect(result.problems).toEqual([]);
    expect(plain(addSamples(emptySampleSet(), result.samples))).toEqual(plain(set));
  });
});
