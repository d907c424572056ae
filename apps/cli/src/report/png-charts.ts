import { GLYPH_HEIGHT, Raster, textWidth } from '@nnkit/picture';
import { encodePng } from '@nnkit/picture/node';
import { type Rgb, textColorOn } from './colors.js';
import { confusionCellColor, largestError as largestOffDiagonal } from './confusion-colors.js';
import { extent } from './extent.js';
import { niceTicks } from './svg.js';
import type { LineSeries } from './svg-line-chart.js';

const INK: Rgb = [31, 35, 40];
const MUTED: Rgb = [87, 96, 106];
const GRID: Rgb = [234, 238, 242];
const AXIS: Rgb = [140, 149, 159];
const BORDER: Rgb = [208, 215, 222];
const WRONG: Rgb = [207, 34, 46];

function hex(color: string): Rgb {
  const value = Number.parseInt(color.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * The confusion matrix as a PNG heat map with the count in every cell (same colours as the
 * SVG: blues for correct, orange-reds for mistakes), "predicted" across the top, "true" down
 * the side.
 */
export function confusionMatrixPng(matrix: readonly (readonly number[])[], classNames?: readonly string[]): Uint8Array {
  const names = classNames ?? matrix.map((_, index) => String(index));
  const widest = Math.max(...matrix.flat().map((value) => textWidth(String(value), 2)), ...names.map((n) => textWidth(n, 2)));
  const cell = Math.max(40, widest + 12);
  const labelWidth = Math.max(textWidth('true', 2), ...names.map((n) => textWidth(n, 2))) + 24;
  const left = labelWidth;
  const top = 60;
  const size = cell * matrix.length;
  const raster = new Raster(left + size + 20, top + size + 20);
  const largestError = largestOffDiagonal(matrix);
  raster.text(left + size / 2, 12, 'predicted', MUTED, { align: 'center' });
  raster.text(12, top - 24, 'true', MUTED);
  names.forEach((name, index) => {
    raster.text(left + index * cell + cell / 2, top - 24, name, INK, { align: 'center' });
    raster.text(left - 12, top + index * cell + cell / 2, name, INK, { align: 'right', baseline: 'middle' });
  });
  matrix.forEach((row, i) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((value, j) => {
      const x = left + j * cell;
      const y = top + i * cell;
      const color = confusionCellColor(value, rowTotal, i === j, largestError);
      if (color) raster.fillRect(x, y, cell, cell, color);
      raster.strokeRect(x, y, cell + 1, cell + 1, GRID);
      const textColor = color ? hex(textColorOn(color)) : BORDER;
      raster.text(x + cell / 2, y + cell / 2, String(value), textColor, { align: 'center', baseline: 'middle' });
    });
  });
  raster.strokeRect(left, top, size + 1, size + 1, BORDER);
  return encodePng(raster);
}

/** Misclassified examples per true class as a PNG bar chart with the count above each bar. */
export function errorHistogramPng(errors: readonly number[], classNames?: readonly string[]): Uint8Array {
  const names = classNames ?? errors.map((_, index) => String(index));
  const width = 640;
  const height = 340;
  const margin = { left: 56, right: 16, top: 40, bottom: 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const raster = new Raster(width, height);
  const ticks = niceTicks(0, Math.max(1, ...errors), 4);
  const topValue = ticks[ticks.length - 1];
  const y = (value: number) => margin.top + plotHeight - (value / topValue) * plotHeight;
  raster.text(margin.left, 10, 'misclassified per true class', MUTED);
  for (const tick of ticks) {
    raster.fillRect(margin.left, y(tick), plotWidth, 1, tick === 0 ? AXIS : GRID);
    raster.text(margin.left - 10, y(tick), String(tick), MUTED, { align: 'right', baseline: 'middle' });
  }
  const slot = plotWidth / errors.length;
  const barWidth = Math.min(40, Math.floor(slot * 0.68));
  const largest = Math.max(...errors);
  errors.forEach((count, index) => {
    const center = margin.left + slot * index + slot / 2;
    const color: Rgb = count === largest && count > 0 ? [214, 96, 77] : [244, 165, 130];
    raster.fillRect(center - barWidth / 2, y(count), barWidth, y(0) - y(count), color);
    raster.text(center, y(count) - 6 - GLYPH_HEIGHT * 2, String(count), INK, { align: 'center' });
    raster.text(center, height - margin.bottom + 12, names[index], INK, { align: 'center' });
  });
  return encodePng(raster);
}

/** A learning curve (one line per split, e.g. loss per epoch) as a PNG chart with a legend. */
export function lineChartPng(
  series: readonly LineSeries[],
  options: { title: string; formatY?: (value: number) => string },
): Uint8Array {
  const width = 640;
  const height = 360;
  const formatY = options.formatY ?? ((value: number) => String(value));
  const points = series.flatMap((line) => line.points).filter(([, value]) => Number.isFinite(value));
  const ys = points.map(([, value]) => value);
  const xs = points.map(([x]) => x);
  const yTicks = niceTicks(extent(ys).min, extent(ys).max, 5);
  const labelWidth = Math.max(...yTicks.map((tick) => textWidth(formatY(tick), 2)));
  const margin = { left: labelWidth + 20, right: 20, top: 44, bottom: 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const xMinimum = Math.min(extent(xs).min, 1);
  const xMaximum = Math.max(extent(xs).max, xMinimum + 1);
  const [yStart, yEnd] = [yTicks[0], yTicks[yTicks.length - 1]];
  const x = (value: number) => margin.left + ((value - xMinimum) / (xMaximum - xMinimum)) * plotWidth;
  const y = (value: number) => margin.top + plotHeight - ((value - yStart) / (yEnd - yStart)) * plotHeight;
  const raster = new Raster(width, height);
  raster.text(margin.left, 12, options.title, INK);
  for (const tick of yTicks) {
    raster.fillRect(margin.left, y(tick), plotWidth, 1, GRID);
    raster.text(margin.left - 10, y(tick), formatY(tick), MUTED, { align: 'right', baseline: 'middle' });
  }
  raster.fillRect(margin.left, margin.top + plotHeight, plotWidth, 1, AXIS);
  const xTicks = niceTicks(xMinimum, xMaximum, Math.min(12, xMaximum - xMinimum)).filter(
    (tick) => Number.isInteger(tick) && tick >= xMinimum && tick <= xMaximum,
  );
  for (const tick of xTicks) raster.text(x(tick), margin.top + plotHeight + 10, String(tick), MUTED, { align: 'center' });
  let legendX = width - margin.right;
  for (const line of [...series].reverse()) {
    const color = hex(line.color);
    legendX -= textWidth(line.name, 2);
    raster.text(legendX, 12, line.name, MUTED);
    raster.fillRect(legendX - 26, 17, 18, 4, color);
    legendX -= 40;
    const visible = line.points.filter(([, value]) => Number.isFinite(value));
    visible.forEach(([px, py], index) => {
      if (index > 0) raster.line(x(visible[index - 1][0]), y(visible[index - 1][1]), x(px), y(py), color, 2);
    });
    if (visible.length <= 40) for (const [px, py] of visible) raster.fillRect(x(px) - 3, y(py) - 3, 7, 7, color);
  }
  return encodePng(raster);
}

/** One misclassified example for `misclassifiedSheetPng`. */
export interface MisclassifiedExample {
  readonly pixels: ArrayLike<number>;
  readonly label: string;
  readonly predicted: string;
  /** Probability given to the predicted class, shown as "(0.93)". */
  readonly probability?: number;
}

/**
 * A contact sheet of misclassified digits, each captioned "true → predicted" with "(p)" under
 * it: the image 2× enlarged (56×56 for MNIST), `columns` per row.
 */
export function misclassifiedSheetPng(
  examples: readonly MisclassifiedExample[],
  options: { columns?: number; imageShape?: readonly [number, number] } = {},
): Uint8Array {
  const [imageHeight, imageWidth] = options.imageShape ?? [28, 28];
  const columns = Math.max(1, Math.min(options.columns ?? 10, examples.length));
  const tileWidth = Math.max(imageWidth * 2, textWidth('(0.00)', 2)) + 16;
  const tileHeight = imageHeight * 2 + 54;
  const rows = Math.max(1, Math.ceil(examples.length / columns));
  const raster = new Raster(columns * tileWidth + 8, rows * tileHeight + 8);
  examples.forEach((example, index) => {
    const x = 4 + (index % columns) * tileWidth;
    const y = 4 + Math.floor(index / columns) * tileHeight;
    raster.strokeRect(x + 2, y + 2, tileWidth - 4, tileHeight - 4, GRID);
    raster.drawGray(x + (tileWidth - imageWidth * 2) / 2, y + 8, example.pixels, imageWidth, imageHeight, { scale: 2 });
    const captionY = y + 14 + imageHeight * 2;
    const center = x + tileWidth / 2;
    const caption = `${example.label} → ${example.predicted}`;
    let cursor = center - textWidth(caption, 2) / 2;
    cursor += raster.text(cursor, captionY, `${example.label} → `, INK) + 2; // + the gap after the last space
    raster.text(cursor, captionY, example.predicted, WRONG);
    if (example.probability !== undefined) {
      raster.text(center, captionY + 18, `(${example.probability.toFixed(2)})`, MUTED, { align: 'center' });
    }
  });
  return encodePng(raster);
}
