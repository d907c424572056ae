import { describe, expect, it } from 'vitest';
import { formatConfusionMatrix, formatConfusionMatrixMarkdown } from './format-confusion-matrix.js';

// Row 0: 8 of 10 right (80 % → █ of four shades, green 5 of 6), row 1: 3 of 4 right (75 % → ▓).
// Errors: 2 (the largest → █) and 1 (half of it → ▒).
const matrix = [
  [8, 2],
  [1, 3],
];

describe('formatConfusionMatrix', () => {
  it('draws shade blocks before every count without colour (hand-computed layout)', () => {
    expect(formatConfusionMatrix(matrix, { color: false })).toBe(
      [
        '     predicted →',
        'true     0    1',
        '   0   █ 8  █ 2',
        '   1   ▒ 1  ▓ 3',
        'shade ░▒▓█: diagonal = share of the row predicted correctly; off-diagonal = errors relative to the largest error',
        '',
      ].join('\n'),
    );
  });

  it('uses ANSI 256-colour backgrounds, green on the diagonal and red off it, with the counts visible', () => {
    const text = formatConfusionMatrix(matrix, { classNames: ['cat', 'dog'] });
    const rows = text.split('\n');
    expect(rows[1]).toBe('true  cat  dog');
    expect(rows[2]).toContain('\x1b[48;5;34m\x1b[38;5;231m   8 \x1b[0m'); // green 5 of 6, white text
    expect(rows[2]).toContain('\x1b[48;5;124m\x1b[38;5;231m   2 \x1b[0m'); // darkest red
    expect(rows[3]).toContain('\x1b[48;5;210m\x1b[38;5;16m   1 \x1b[0m'); // mid red, black text
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')[2]).toBe(' cat    8    2 ');
  });

  it('prints zero cells without a background and rejects non-square input', () => {
    expect(formatConfusionMatrix([[0, 0], [0, 1]])).toContain('\x1b[38;5;245m 0 \x1b[0m');
    expect(() => formatConfusionMatrix([[1, 2]])).toThrow(
      'formatConfusionMatrix: row 0 has 2 entries; expected 1 (a square matrix)',
    );
    expect(() => formatConfusionMatrix([[1.5]])).toThrow('formatConfusionMatrix: matrix[0][0] = 1.5 is not a count');
  });
});

describe('formatConfusionMatrixMarkdown', () => {
  it('writes a Markdown table with the diagonal in bold', () => {
    expect(formatConfusionMatrixMarkdown(matrix)).toBe(
      '| true \\ predicted | 0 | 1 |\n| :--- | ---: | ---: |\n| **0** | **8** | 2 |\n| **1** | 1 | **3** |\n',
    );
  });
});
