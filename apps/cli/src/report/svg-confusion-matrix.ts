import { BLUES, REDS, css, textColorOn } from './colors.js';
import { confusionCellColor, largestError as largestOffDiagonal } from './confusion-colors.js';
import { escapeXml, round, svgDocument } from './svg.js';

/**
 * Confusion matrix (rows true label, columns predicted) as an SVG heat map with the count in
 * every cell: the diagonal in blues by the share of its row predicted correctly, mistakes in
 * orange-reds by count relative to the largest mistake (so rare errors stay visible next to a
 * diagonal holding ~99 % of the examples), zeros blank with a faint 0. Each cell has a tooltip.
 */
export function confusionMatrixSvg(matrix: readonly (readonly number[])[], classNames?: readonly string[], options: { rowShares?: boolean } = {}): string {
  // With `rowShares`, each cell shows the percentage of its row (recall on the diagonal).
  const rowShares = options.rowShares === true;
  const idSuffix = rowShares ? '-rows' : '';
  const classes = matrix.length;
  const names = classNames ?? matrix.map((_, index) => String(index));
  const cell = classes <= 10 ? 46 : Math.max(18, Math.floor(460 / classes));
  const fontSize = cell >= 40 ? 13 : Math.max(8, Math.floor(cell * 0.34));
  const left = 64;
  const top = 58;
  const size = cell * classes;
  const legendHeight = 46;
  const width = left + size + 16;
  const height = top + size + legendHeight + 12;
  const largestError = largestOffDiagonal(matrix);

  const parts: string[] = [];
  parts.push(
    `<text x="${left + size / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600" fill="#57606a">Predicted label</text>`,
    `<text transform="translate(16 ${top + size / 2}) rotate(-90)" text-anchor="middle" font-size="13" font-weight="600" fill="#57606a">True label</text>`,
  );
  names.forEach((name, index) => {
    const center = index * cell + cell / 2;
    parts.push(
      `<text x="${left + center}" y="${top - 10}" text-anchor="middle" font-size="${fontSize}" fill="#24292f">${escapeXml(name)}</text>`,
      `<text x="${left - 10}" y="${top + center}" text-anchor="end" dominant-baseline="central" font-size="${fontSize}" fill="#24292f">${escapeXml(name)}</text>`,
    );
  });
  matrix.forEach((row, i) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((value, j) => {
      const x = left + j * cell;
      const y = top + i * cell;
      const share = rowTotal > 0 ? value / rowTotal : 0;
      const color = confusionCellColor(value, rowTotal, i === j, largestError);
      const fill = color ? css(color) : '#ffffff';
      const textFill = color ? textColorOn(color) : '#d0d7de';
      const tip = `true ${names[i]}, predicted ${names[j]}: ${value} (${(share * 100).toFixed(1)}% of row)`;
      parts.push(
        `<g><title>${escapeXml(tip)}</title>` +
          `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#eaeef2" stroke-width="1"/>` +
          `<text x="${round(x + cell / 2)}" y="${round(y + cell / 2)}" text-anchor="middle" dominant-baseline="central" ` +
          `font-size="${rowShares ? Math.max(8, fontSize - 2) : fontSize}" fill="${textFill}" font-weight="${i === j ? 600 : 400}" style="font-variant-numeric:tabular-nums">${rowShares ? (value === 0 ? '0' : (share * 100).toFixed(share >= 0.995 || share < 0.1 ? 1 : 0)) : value}</text></g>`,
      );
    });
  });
  parts.push(`<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#d0d7de"/>`);

  // Legend: two small gradients explaining the two colour scales.
  const legendY = top + size + 18;
  const legendWidth = Math.min(150, (size - 24) / 2);
  const gradient = (id: string, stops: readonly (readonly [number, number, number])[]) =>
    `<linearGradient id="${id}">${stops
      .map((stop, index) => `<stop offset="${round((index / (stops.length - 1)) * 100)}%" stop-color="${css(stop)}"/>`)
      .join('')}</linearGradient>`;
  parts.push(`<defs>${gradient(`cm-blues${idSuffix}`, BLUES)}${gradient(`cm-reds${idSuffix}`, REDS)}</defs>`);
  const legend = (x: number, id: string, label: string) =>
    `<rect x="${x}" y="${legendY}" width="${round(legendWidth)}" height="10" rx="2" fill="url(#${id})"/>` +
    `<text x="${x}" y="${legendY + 26}" font-size="11" fill="#57606a">${escapeXml(label)}</text>`;
  parts.push(
    legend(left, `cm-blues${idSuffix}`, 'correct: share of the row'),
    legend(left + size / 2 + 12, `cm-reds${idSuffix}`, `errors: 1 … ${largestError}`),
  );
  const label = rowShares ? 'Confusion matrix as percentages of each true label' : 'Confusion matrix: rows true label, columns predicted label';
  return svgDocument(width, height, label, parts.join(''));
}
