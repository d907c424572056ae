/** Options for `formatConfusionMatrix`. */
export interface ConfusionMatrixFormatOptions {
  /** ANSI 256-colour backgrounds (default true); false draws Unicode shade blocks instead. */
  color?: boolean;
  /** Row and column names, one per class; default `0, 1, 2, …`. */
  classNames?: readonly string[];
}

// xterm-256 colour cube indices (16 + 36r + 6g + b), light to dark.
const GREENS = [194, 157, 120, 77, 34, 28];
const REDS = [224, 217, 210, 203, 160, 124];
const SHADES = ['░', '▒', '▓', '█'];
const RESET = '\x1b[0m';

function checkSquare(matrix: readonly (readonly number[])[], where: string): void {
  if (matrix.length === 0) throw new Error(`${where}: the matrix is empty`);
  matrix.forEach((row, i) => {
    if (row.length !== matrix.length) {
      throw new Error(`${where}: row ${i} has ${row.length} entries; expected ${matrix.length} (a square matrix)`);
    }
    row.forEach((value, j) => {
      if (!Number.isInteger(value) || value < 0) {
        throw new Error(`${where}: matrix[${i}][${j}] = ${value} is not a count`);
      }
    });
  });
}

/**
 * Intensity in (0, 1] of a non-zero cell: on the diagonal the share of its row predicted
 * correctly, off the diagonal its count relative to the largest off-diagonal count, so that
 * mistakes stand out even when the diagonal holds nearly every example.
 */
function intensity(matrix: readonly (readonly number[])[], i: number, j: number, largestError: number): number {
  const value = matrix[i][j];
  if (i !== j) return value / largestError;
  const rowTotal = matrix[i].reduce((a, b) => a + b, 0);
  return value / rowTotal;
}

/**
 * A confusion matrix (rows true label, columns predicted) as a terminal heat map with the
 * counts printed in every cell: diagonal cells shaded green by the row's share correct,
 * errors shaded red relative to the largest error; with `color: false`, a shade block
 * (░▒▓█) before each count carries the same intensity. Ends with a one-line legend.
 */
export function formatConfusionMatrix(
  matrix: readonly (readonly number[])[],
  options: ConfusionMatrixFormatOptions = {},
): string {
  checkSquare(matrix, 'formatConfusionMatrix');
  const color = options.color ?? true;
  const names = options.classNames ?? matrix.map((_, index) => String(index));
  if (names.length !== matrix.length) {
    throw new Error(`formatConfusionMatrix: classNames has ${names.length} names for ${matrix.length} classes`);
  }
  let largestError = 0;
  matrix.forEach((row, i) => row.forEach((value, j) => i !== j && value > largestError && (largestError = value)));
  const countWidth = Math.max(...matrix.flat().map((value) => String(value).length), ...names.map((n) => n.length));
  const labelWidth = Math.max('true'.length, ...names.map((name) => name.length));
  // Colour cells are " count " on a background; plain cells are "  shade count".
  const header = (name: string) => (color ? ' ' + name.padStart(countWidth) + ' ' : '    ' + name.padStart(countWidth));

  const cell = (i: number, j: number): string => {
    const value = matrix[i][j];
    const text = String(value).padStart(countWidth);
    const level = value === 0 ? 0 : intensity(matrix, i, j, largestError);
    if (!color) {
      const shade = level === 0 ? ' ' : SHADES[Math.min(SHADES.length - 1, Math.ceil(level * SHADES.length) - 1)];
      return '  ' + shade + ' ' + text;
    }
    if (value === 0) return `\x1b[38;5;245m ${text} ${RESET}`;
    const ramp = i === j ? GREENS : REDS;
    const step = Math.min(ramp.length - 1, Math.ceil(level * ramp.length) - 1);
    const foreground = step >= 3 ? 231 : 16;
    return `\x1b[48;5;${ramp[step]}m\x1b[38;5;${foreground}m ${text} ${RESET}`;
  };

  const lines: string[] = [];
  lines.push(' '.repeat(labelWidth + 1) + 'predicted →');
  lines.push(('true'.padStart(labelWidth) + ' ' + names.map(header).join('')).trimEnd());
  matrix.forEach((row, i) => {
    lines.push(names[i].padStart(labelWidth) + ' ' + row.map((_, j) => cell(i, j)).join(''));
  });
  lines.push(
    color
      ? 'green: share of the row predicted correctly; red: errors relative to the largest error'
      : 'shade ░▒▓█: diagonal = share of the row predicted correctly; off-diagonal = errors relative to the largest error',
  );
  return lines.join('\n') + '\n';
}

/** A confusion matrix as a Markdown table: rows true label, columns predicted, diagonal in bold. */
export function formatConfusionMatrixMarkdown(
  matrix: readonly (readonly number[])[],
  options: Pick<ConfusionMatrixFormatOptions, 'classNames'> = {},
): string {
  checkSquare(matrix, 'formatConfusionMatrixMarkdown');
  const names = options.classNames ?? matrix.map((_, index) => String(index));
  if (names.length !== matrix.length) {
    throw new Error(`formatConfusionMatrixMarkdown: classNames has ${names.length} names for ${matrix.length} classes`);
  }
  const lines = [
    `| true \\ predicted | ${names.join(' | ')} |`,
    `| :--- |${' ---: |'.repeat(names.length)}`,
    ...matrix.map(
      (row, i) => `| **${names[i]}** | ${row.map((value, j) => (i === j ? `**${value}**` : String(value))).join(' | ')} |`,
    ),
  ];
  return lines.join('\n') + '\n';
}
