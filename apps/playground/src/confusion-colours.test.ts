import { describe, expect, it } from 'vitest';
import { confusionCellColours, contrastRatio } from './confusion-colours.js';

const parse = (css: string) => css.match(/\d+/g)!.map(Number) as [number, number, number];

describe('confusion colours', () => {
  it('gives every cell text with at least 4.5:1 contrast (WCAG AA)', () => {
    for (const diagonal of [true, false]) {
      for (let step = 0; step <= 100; step++) {
        const { background, text } = confusionCellColours(diagonal, step / 100);
        expect(contrastRatio(parse(background), parse(text)), `${diagonal} ${step}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('colours right answers blue and mistakes orange-red, as the report does', () => {
    const [red, , blue] = parse(confusionCellColours(true, 1).background);
    expect(blue).toBeGreaterThan(red);
    const [red2, , blue2] = parse(confusionCellColours(false, 1).background);
    expect(red2).toBeGreaterThan(blue2);
  });
});
