// The confusion matrix's colours, the same meaning as in the `nnkit report` page: the diagonal
// in blues by the share of its row recognised, mistakes in orange-reds by count relative to the
// largest mistake (ColorBrewer Blues and OrRd), and text dark or white, whichever contrasts more.

import { BLUES, ORANGE_REDS, contrastRatio, interpolate, type Rgb } from '@nnkit/picture';

export { contrastRatio };

const white: Rgb = [255, 255, 255];
const ink: Rgb = [17, 24, 39];

function textOn(background: Rgb): { text: Rgb; contrast: number } {
  const onWhite = contrastRatio(background, white);
  const onInk = contrastRatio(background, ink);
  return onWhite >= onInk ? { text: white, contrast: onWhite } : { text: ink, contrast: onInk };
}

/**
 * Background and text of a non-empty cell: `share` of its row on the diagonal, else
 * `count / largestError`. Where neither text colour reaches 4.5:1 (mid-scale), the background
 * moves along its scale to the nearest shade where one does.
 */
export function confusionCellColours(diagonal: boolean, fraction: number): { background: string; text: string } {
  const stops = diagonal ? BLUES : ORANGE_REDS;
  const t = diagonal ? 0.15 + 0.85 * fraction : 0.12 + 0.88 * fraction;
  let background = interpolate(stops, t);
  for (let step = 0.01; textOn(background).contrast < 4.5 && step <= 0.5; step += 0.01) {
    const lighter = interpolate(stops, t - step);
    const darker = interpolate(stops, t + step);
    if (textOn(lighter).contrast >= 4.5) background = lighter;
    else if (textOn(darker).contrast >= 4.5) background = darker;
  }
  return { background: `rgb(${background.join(' ')})`, text: `rgb(${textOn(background).text.join(' ')})` };
}
