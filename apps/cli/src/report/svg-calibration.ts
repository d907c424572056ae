// The report's probability pictures as SVG: a reliability diagram over a confidence histogram,
// and one-vs-rest precision-recall curves, one line a class.
import type { PrecisionRecallCurve, ReliabilityBin } from './calibration.js';
import { escapeXml, round, svgDocument } from './svg.js';

/** Ten distinguishable line colours (Tableau 10), one a class. */
export const CLASS_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const axisText = (x: number, y: number, text: string, anchor = 'middle') =>
  `<text x="${round(x)}" y="${round(y)}" text-anchor="${anchor}" font-size="11" fill="#57606a">${escapeXml(text)}</text>`;

/**
 * Reliability diagram: per confidence bin, the share correct (bars) against the mean confidence
 * (the diagonal is perfect calibration), and below it how many examples fall in each bin.
 */
export function reliabilitySvg(bins: readonly ReliabilityBin[], expectedCalibrationError: number): string {
  const width = 560;
  const left = 52;
  const right = 16;
  const top = 30;
  const plot = 220;
  const histogram = 70;
  const gap = 34;
  const height = top + plot + gap + histogram + 40;
  const plotWidth = width - left - right;
  const x = (value: number) => left + value * plotWidth;
  const y = (value: number) => top + (1 - value) * plot;
  const parts: string[] = [];
  parts.push(`<text x="${left}" y="18" font-size="13" font-weight="600" fill="#24292f">Reliability (expected calibration error ${(100 * expectedCalibrationError).toFixed(2)} %)</text>`);
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#eaeef2"/>`, axisText(left - 6, y(tick) + 4, `${tick * 100}%`, 'end'));
  }
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  bins.forEach((bin) => {
    const x0 = x(bin.low) + 1;
    const barWidth = x(bin.high) - x(bin.low) - 2;
    if (bin.count > 0) {
      parts.push(
        `<g><title>${escapeXml(`confidence ${bin.low.toFixed(1)}–${bin.high.toFixed(1)}: ${bin.count} examples, ${(100 * bin.accuracy).toFixed(1)} % correct, mean confidence ${(100 * bin.confidence).toFixed(1)} %`)}</title>` +
          `<rect x="${round(x0)}" y="${round(y(bin.accuracy))}" width="${round(barWidth)}" height="${round(plot - (y(bin.accuracy) - top))}" fill="#4e79a7" opacity="0.85"/></g>`,
      );
    }
    const barHeight = (Math.log1p(bin.count) / Math.log1p(most)) * histogram;
    const base = top + plot + gap + histogram;
    parts.push(
      `<g><title>${escapeXml(`${bin.count} examples with confidence ${bin.low.toFixed(1)}–${bin.high.toFixed(1)}`)}</title>` +
        `<rect x="${round(x0)}" y="${round(base - barHeight)}" width="${round(barWidth)}" height="${round(barHeight)}" fill="#9ca3af"/></g>`,
    );
  });
  parts.push(
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#c2410c" stroke-width="2" stroke-dasharray="6 4"/>`,
    axisText(x(0.02), y(0.92), 'dashed: perfectly calibrated', 'start'),
    axisText(left - 6, top + plot + gap + 10, 'count', 'end'),
    axisText(left - 6, top + plot + gap + 22, '(log)', 'end'),
  );
  for (const tick of [0, 0.2, 0.4, 0.6, 0.8, 1]) parts.push(axisText(x(tick), height - 18, tick.toFixed(1)));
  parts.push(axisText(left + plotWidth / 2, height - 3, 'confidence (top probability)'));
  return svgDocument(width, height, 'Reliability diagram: share correct against confidence, with a histogram of confidences', parts.join(''));
}

/** One-vs-rest precision-recall curves, one line a class, average precision in the legend. */
export function precisionRecallSvg(curves: readonly PrecisionRecallCurve[], names: readonly string[]): string {
  const width = 560;
  const left = 52;
  const top = 30;
  const plot = 260;
  const plotWidth = 330;
  const height = top + plot + 44;
  // A good classifier lives in the top right corner: both axes start at the lowest precision
  // reached before the last 2 % of recall (rounded down to a tenth), so the curves are not a corner.
  const low = Math.min(...curves.flatMap((curve) => curve.points.filter(([recall]) => recall <= 0.98).map(([, precision]) => precision)), 1);
  const floor = Math.max(0, Math.min(0.9, Math.floor(low * 10) / 10));
  const x = (recall: number) => left + ((Math.max(recall, floor) - floor) / (1 - floor)) * plotWidth;
  const y = (precision: number) => top + (1 - (Math.max(precision, floor) - floor) / (1 - floor)) * plot;
  const parts: string[] = [`<text x="${left}" y="18" font-size="13" font-weight="600" fill="#24292f">Precision against recall, each class against the rest${floor > 0 ? ` (from ${floor.toFixed(1)})` : ''}</text>`];
  for (let tick = floor; tick <= 1.0001; tick += (1 - floor) / 5) {
    parts.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#eaeef2"/>`,
      `<line y1="${top}" y2="${top + plot}" x1="${round(x(tick))}" x2="${round(x(tick))}" stroke="#eaeef2"/>`,
      axisText(left - 6, y(tick) + 4, tick.toFixed(2), 'end'),
      axisText(x(tick), top + plot + 16, tick.toFixed(2)),
    );
  }
  parts.push(axisText(left + plotWidth / 2, height - 6, 'recall'), `<text transform="translate(14 ${top + plot / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="#57606a">precision</text>`);
  curves.forEach((curve, index) => {
    const path = curve.points.map(([recall, precision], i) => `${i === 0 ? 'M' : 'L'}${round(x(recall))} ${round(y(precision))}`).join('');
    const color = CLASS_COLORS[index % CLASS_COLORS.length];
    parts.push(
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.6"><title>${escapeXml(`${names[index]}: average precision ${curve.averagePrecision.toFixed(4)}`)}</title></path>`,
      `<rect x="${left + plotWidth + 24}" y="${top + index * 22 + 2}" width="14" height="4" fill="${color}"/>`,
      `<text x="${left + plotWidth + 44}" y="${top + index * 22 + 8}" font-size="11" fill="#24292f">${escapeXml(names[index])}  AP ${curve.averagePrecision.toFixed(4)}</text>`,
    );
  });
  return svgDocument(width, height, 'Precision-recall curves, one a class', parts.join(''));
}
