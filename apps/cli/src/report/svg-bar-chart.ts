import { escapeXml, niceTicks, round, svgDocument } from './svg.js';

/**
 * Misclassified examples per true class as an SVG bar chart: one bar per class with its count
 * above it and, under the class name, the error rate (errors / support) when supports are given.
 */
export function errorHistogramSvg(
  errors: readonly number[],
  options: { classNames?: readonly string[]; supports?: readonly number[] } = {},
): string {
  const names = options.classNames ?? errors.map((_, index) => String(index));
  const width = 560;
  const height = 290;
  const margin = { left: 48, right: 12, top: 22, bottom: options.supports ? 54 : 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const ticks = niceTicks(0, Math.max(1, ...errors), 4);
  const top = ticks[ticks.length - 1];
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / errors.length;
  const barWidth = Math.min(38, slot * 0.68);
  const largest = Math.max(...errors);
  const parts: string[] = [];
  for (const tick of ticks) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="${tick === 0 ? '#8c959f' : '#eaeef2'}"/>`,
      `<text x="${margin.left - 8}" y="${round(y(tick))}" text-anchor="end" dominant-baseline="central" font-size="11" fill="#57606a">${tick}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(13 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#57606a">misclassified</text>`,
  );
  errors.forEach((count, index) => {
    const center = margin.left + slot * index + slot / 2;
    const support = options.supports?.[index];
    const rate = support ? `${((count / support) * 100).toFixed(1)}%` : '';
    const tip = `true ${names[index]}: ${count} misclassified${support ? ` of ${support} (${rate})` : ''}`;
    const fill = count === largest && count > 0 ? '#d6604d' : '#f4a582';
    parts.push(
      `<g><title>${escapeXml(tip)}</title>` +
        `<rect x="${round(center - barWidth / 2)}" y="${round(y(count))}" width="${round(barWidth)}" height="${round(y(0) - y(count))}" rx="2" fill="${fill}"/>` +
        `<text x="${round(center)}" y="${round(y(count) - 6)}" text-anchor="middle" font-size="12" font-weight="600" fill="#24292f">${count}</text></g>`,
      `<text x="${round(center)}" y="${height - margin.bottom + 18}" text-anchor="middle" font-size="13" fill="#24292f">${escapeXml(names[index])}</text>`,
    );
    if (rate) {
      parts.push(
        `<text x="${round(center)}" y="${height - margin.bottom + 34}" text-anchor="middle" font-size="10" fill="#6e7781">${rate}</text>`,
      );
    }
  });
  return svgDocument(width, height, 'Misclassified test examples per true class', parts.join(''));
}
