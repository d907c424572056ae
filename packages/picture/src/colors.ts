import type { Rgb } from './raster.js';

/**
 * Colour scales shared by every picture nnkit draws (the report's PNG and SVG charts, the
 * playground's confusion matrix), so that a colour means the same thing everywhere.
 */

/** Linear interpolation between colour stops spread evenly over [0, 1]; `t` is clamped (NaN reads as 0). */
export function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (stops.length - 1);
  const index = Math.min(stops.length - 2, Math.floor(position));
  const fraction = position - index;
  const [a, b] = [stops[index], stops[index + 1]];
  return [0, 1, 2].map((channel) => Math.round(a[channel] + (b[channel] - a[channel]) * fraction)) as unknown as Rgb;
}

/** Blue (negative) – near-white (0) – red (positive), ColorBrewer RdBu reversed: weights, signed values. */
export const DIVERGING: readonly Rgb[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

/** Light to dark blue, for what was recognised: a confusion matrix's diagonal (ColorBrewer Blues). */
export const BLUES: readonly Rgb[] = [
  [239, 243, 255],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 69, 148],
];

/** Light to dark orange-red, for mistakes: a confusion matrix's other cells (ColorBrewer OrRd). */
export const ORANGE_REDS: readonly Rgb[] = [
  [254, 240, 217],
  [253, 212, 158],
  [253, 187, 132],
  [252, 141, 89],
  [239, 101, 72],
  [215, 48, 31],
  [153, 0, 0],
];

/** Colour of a value in [−1, 1] on the diverging scale. */
export function diverging(value: number): Rgb {
  return interpolate(DIVERGING, (value + 1) / 2);
}

/** CSS `rgb(…)` text. */
export function css([red, green, blue]: Rgb): string {
  return `rgb(${red},${green},${blue})`;
}

/** WCAG relative luminance of a colour, in [0, 1]. */
export function relativeLuminance(colour: Rgb): number {
  const [red, green, blue] = colour.map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
