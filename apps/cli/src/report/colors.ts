import { relativeLuminance, type Rgb } from '@nnkit/picture';

export { type Rgb, BLUES, DIVERGING, ORANGE_REDS as REDS, css, diverging, interpolate } from '@nnkit/picture';

/** Dark or white text, whichever reads better on `background` (WCAG relative luminance). */
export function textColorOn(background: Rgb): string {
  return relativeLuminance(background) > 0.33 ? '#1f2328' : '#ffffff';
}
