import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixPng, errorHistogramPng, lineChartPng, misclassifiedSheetPng } from './png-charts.js';

const read = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));
const colorAt = (png: PNG, x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];

describe('PNG charts', () => {
  it('draws the confusion matrix with a blue diagonal and orange-red mistakes', () => {
    const png = read(confusionMatrixPng([[9, 1], [0, 10]]));
    // Layout: cells 40 px from left = label width (textWidth('true', 2) + 24 = 70) and top = 60.
    // Row 0's diagonal holds 9/10: t = 0.15 + 0.85·0.9 = 0.915 on the 7-stop blues, 49 % of the
    // way from (33,113,181) to (8,69,148).
    expect(colorAt(png, 72, 62)).toEqual([21, 91, 165]);
    expect(colorAt(png, 112, 62)).toEqual([153, 0, 0]); // the largest mistake: darkest red
    expect(colorAt(png, 72, 102)).toEqual([255, 255, 255]); // 0: blank
  });

  it('sizes the other charts and the contact sheet predictably', () => {
    expect([read(errorHistogramPng([1, 5, 0])).width, read(errorHistogramPng([1, 5, 0])).height]).toEqual([640, 340]);
    const line = read(lineChartPng([{ name: 'train', color: '#2f6fdf', points: [[1, 0.5], [2, 0.25]] }], { title: 'loss' }));
    expect([line.width, line.height]).toEqual([640, 360]);
    const example = { pixels: new Uint8Array(784), label: '7', predicted: '1', probability: 0.93 };
    const sheet = read(misclassifiedSheetPng([example, example, example], { columns: 2 }));
    expect([sheet.width, sheet.height]).toEqual([2 * (70 + 16) + 8, 2 * (56 + 54) + 8]);
  });
});
