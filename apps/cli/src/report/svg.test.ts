import { describe, expect, it } from 'vitest';
import { historySeries, historyTable } from './history.js';
import { niceTicks } from './svg.js';
import { errorHistogramSvg } from './svg-bar-chart.js';
import { confusionMatrixSvg } from './svg-confusion-matrix.js';
import { lineChartSvg } from './svg-line-chart.js';

describe('niceTicks', () => {
  it('picks round steps that cover the range', () => {
    expect(niceTicks(0, 35, 4)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0.8, 1, 5)).toEqual([0.8, 0.85, 0.9, 0.95, 1]);
    expect(niceTicks(1, 12, 11)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(niceTicks(3, 3, 5).length).toBeGreaterThan(1);
  });
});

describe('confusionMatrixSvg', () => {
  it('draws one titled cell per entry with its count, and escapes class names', () => {
    const svg = confusionMatrixSvg(
      [
        [5, 1],
        [0, 7],
      ],
      ['<a>', 'b'],
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g><title>true /g)).toHaveLength(4);
    expect(svg).toContain('<title>true &lt;a&gt;, predicted b: 1 (16.7% of row)</title>');
    expect(svg).toMatch(/>7<\/text>/);
    expect(svg).not.toContain('<a>');
  });
});

describe('errorHistogramSvg', () => {
  it('draws a bar, a count and an error rate per class', () => {
    const svg = errorHistogramSvg([3, 0, 12], { supports: [100, 50, 200] });
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('>12</text>');
    expect(svg).toContain('>6.0%</text>');
    expect(svg).toContain('true 1: 0 misclassified of 50 (0.0%)');
  });
});

describe('history', () => {
  it('flattens flat, Keras-style and nested records into the same series', () => {
    const flat = historyTable([
      { epoch: 1, trainLoss: 0.5, validationLoss: 0.6, trainAccuracy: 0.8 },
      { epoch: 2, trainLoss: 0.3, validationLoss: 0.4, trainAccuracy: 0.9 },
    ]);
    const keras = historyTable([{ loss: 0.5, valLoss: 0.6, accuracy: 0.8 }, { loss: 0.3, valLoss: 0.4, accuracy: 0.9 }]);
    const nested = historyTable([
      { epoch: 1, train: { loss: 0.5, accuracy: 0.8 }, validation: { loss: 0.6 } },
      { epoch: 2, train: { loss: 0.3, accuracy: 0.9 }, validation: { loss: 0.4 } },
    ]);
    for (const table of [flat, keras, nested]) {
      const loss = historySeries(table, 'loss');
      expect(loss.map((line) => line.name)).toEqual(['train', 'validation']);
      expect(loss[1].points).toEqual([
        [1, 0.6],
        [2, 0.4],
      ]);
      expect(historySeries(table, 'accuracy').map((line) => line.name)).toEqual(['train']);
    }
  });

  it('charts each series as a path with a legend entry', () => {
    const svg = lineChartSvg(
      [
        { name: 'train', color: '#00f', points: [[1, 0.5], [2, 0.3]] },
        { name: 'test', color: '#0f0', points: [[1, 0.6], [2, Number.NaN]] },
      ],
      { title: 'Loss' },
    );
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('>train</text>');
    expect(svg).not.toContain('NaN');
  });
});
