// The confusion matrix's colours, the same meaning as in the `nnkit report` page: the diagonal
// in blues by the share of its row recognised, mistakes in orange-reds by count relative to the
// largest mistake (ColorBrewer Blues and OrRd), and text dark or white, whichever contrasts more.

type Rgb = readonly [number, number, number];

const blues: readonly Rgb[] = [
  [239, 243, 255],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 69, 148],
];
const orangeReds: readonly Rgb[] = [
  [254, 240, 217],
  [253, 212, 158],
  [253, 187, 132],
  [252, 141, 89],
  [239, 101, 72],
  [215, 48, 31],
  [153, 0, 0],
];

function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const position = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const index = Math.min(stops.length - 2, Math.floor(position));
  const fraction = position - index;
  return [0, 1, 2].map((channel) => Math.round(stops[index][channel] + (stops[index + 1][channel] - stops[index][channel]) * fraction)) as unknown as Rgb;
}

/** WCAG contrast ratio of two colours. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const luminance = (colour: Rgb): number => {
    const [red, green, blue] = colour.map((channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

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
  const stops = diagonal ? blues : orangeReds;
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
