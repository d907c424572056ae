import { extent } from './extent.js';
import { escapeXml, niceTicks, round, svgDocument } from './svg.js';

/** One line of a chart: `points` are (x, y) pairs, drawn in `color`. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/**
 * Line chart (e.g. loss or accuracy per epoch) as SVG: nice ticks on both axes, integer x
 * ticks, dots on every point when there are few, a legend, and `formatY` for tick labels.
 */
export function lineChartSvg(
  series: readonly LineSeries[],
  options: { title: string; xLabel?: string; formatY?: (value: number) => string; yMinimum?: number; yMaximum?: number },
): string {
  const width = 560;
  const height = 300;
  const margin = { left: 58, right: 16, top: 34, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const points = series.flatMap((line) => line.points).filter(([, value]) => Number.isFinite(value));
  const xs = points.map(([x]) => x);
  const ys = points.map(([, value]) => value);
  const xMinimum = Math.min(extent(xs).min, 1);
  const xMaximum = Math.max(extent(xs).max, xMinimum + 1);
  let { min: yLow, max: yHigh } = extent(ys);
  const pad = (yHigh - yLow) * 0.06 || Math.abs(yHigh) * 0.05 || 0.5;
  yLow -= pad;
  yHigh += pad;
  if (options.yMinimum !== undefined) yLow = Math.max(yLow, options.yMinimum);
  if (options.yMaximum !== undefined) yHigh = Math.min(yHigh, options.yMaximum);
  const yTicks = niceTicks(yLow, yHigh, 5);
  const [yStart, yEnd] = [yTicks[0], yTicks[yTicks.length - 1]];
  const xTicks = niceTicks(xMinimum, xMaximum, Math.min(12, xMaximum - xMinimum)).filter(
    (tick) => Number.isInteger(tick) && tick >= xMinimum && tick <= xMaximum,
  );
  const x = (value: number) => margin.left + ((value - xMinimum) / (xMaximum - xMinimum)) * plotWidth;
  const y = (value: number) => margin.top + plotHeight - ((value - yStart) / (yEnd - yStart)) * plotHeight;
  const formatY = options.formatY ?? ((value: number) => String(value));
  const parts: string[] = [];
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#eaeef2"/>`,
      `<text x="${margin.left - 8}" y="${round(y(tick))}" text-anchor="end" dominant-baseline="central" font-size="11" fill="#57606a">${escapeXml(formatY(tick))}</text>`,
    );
  }
  for (const tick of xTicks) {
    parts.push(
      `<line x1="${round(x(tick))}" x2="${round(x(tick))}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}" stroke="#8c959f"/>`,
      `<text x="${round(x(tick))}" y="${margin.top + plotHeight + 18}" text-anchor="middle" font-size="11" fill="#57606a">${tick}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#8c959f"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" font-size="12" fill="#57606a">${escapeXml(options.xLabel ?? 'epoch')}</text>`,
    `<text x="${margin.left}" y="18" font-size="13" font-weight="600" fill="#24292f">${escapeXml(options.title)}</text>`,
  );
  const dots = Math.max(0, ...series.map((line) => line.points.length)) <= 40;
  for (const line of series) {
    const visible = line.points.filter(([, value]) => Number.isFinite(value));
    if (visible.length === 0) continue;
    const path = visible.map(([px, py], index) => `${index === 0 ? 'M' : 'L'}${round(x(px))},${round(y(py))}`).join('');
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="2.2" stroke-linejoin="round" stroke-linecap="round"/>`);
    if (dots) {
      for (const [px, py] of visible) {
        parts.push(
          `<circle cx="${round(x(px))}" cy="${round(y(py))}" r="3.2" fill="#fff" stroke="${line.color}" stroke-width="1.8"><title>${escapeXml(`${line.name}, ${options.xLabel ?? 'epoch'} ${px}: ${formatY(py)}`)}</title></circle>`,
        );
      }
    }
  }
  // Legend at the top right, one entry per series, right-aligned.
  let legendX = width - margin.right;
  for (const line of [...series].reverse()) {
    const textWidth = line.name.length * 6.6;
    legendX -= textWidth;
    parts.push(
      `<text x="${round(legendX)}" y="18" font-size="12" fill="#57606a">${escapeXml(line.name)}</text>`,
      `<line x1="${round(legendX - 22)}" x2="${round(legendX - 6)}" y1="14" y2="14" stroke="${line.color}" stroke-width="2.6" stroke-linecap="round"/>`,
    );
    legendX -= 34;
  }
  return svgDocument(width, height, options.title, parts.join(''));
}
