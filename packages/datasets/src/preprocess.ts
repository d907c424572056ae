/** Options for `preprocessDigit`. */
export interface PreprocessOptions {
  /** `'auto'` (default) inverts when the border is light (dark ink on paper); or force it. */
  readonly invert?: 'auto' | boolean;
  /** Ink below this fraction of the strongest ink is treated as background (default 0.1). */
  readonly noiseFloor?: number;
  /** Side of the box the digit is fitted into, keeping its aspect ratio (MNIST: 20). */
  readonly boxSize?: number;
  /** Side of the square output (MNIST: 28). */
  readonly outputSize?: number;
}

/**
 * Turns RGBA (or RGB) pixels into gray bytes: luminance 0.299 R + 0.587 G + 0.114 B,
 * composited over `background` (0–255, default white) by alpha, so transparent canvas pixels
 * read as paper. `channels` is 4 (RGBA, default) or 3.
 */
export function toGray(pixels: ArrayLike<number>, width: number, height: number, options: { channels?: 3 | 4; background?: number } = {}): Uint8Array {
  const channels = options.channels ?? 4;
  const background = options.background ?? 255;
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`toGray: ${pixels.length} values do not hold a ${width}×${height} image of ${channels} channels`);
  }
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const at = i * channels;
    const luminance = 0.299 * pixels[at] + 0.587 * pixels[at + 1] + 0.114 * pixels[at + 2];
    const alpha = channels === 4 ? pixels[at + 3] / 255 : 1;
    gray[i] = Math.round(alpha * luminance + (1 - alpha) * background);
  }
  return gray;
}

/** Per output cell along one axis: the source cells it reads and their weights (summing to 1). */
function axisWeights(sourceLength: number, targetLength: number): { index: number[]; weight: number[] }[] {
  const ratio = sourceLength / targetLength;
  const cells: { index: number[]; weight: number[] }[] = [];
  for (let t = 0; t < targetLength; t++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (ratio >= 1) {
      // Shrinking: average the source cells covering [t, t + 1) · ratio (area averaging).
      const from = t * ratio;
      const to = (t + 1) * ratio;
      for (let s = Math.floor(from); s < Math.min(sourceLength, Math.ceil(to)); s++) {
        const overlap = Math.min(to, s + 1) - Math.max(from, s);
        if (overlap > 1e-9) {
          index.push(s);
          weight.push(overlap / ratio);
        }
      }
    } else {
      // Enlarging: bilinear between the two nearest source centres.
      const position = Math.min(sourceLength - 1, Math.max(0, (t + 0.5) * ratio - 0.5));
      const left = Math.floor(position);
      const fraction = position - left;
      index.push(left);
      weight.push(1 - fraction);
      if (fraction > 0) {
        index.push(left + 1);
        weight.push(fraction);
      }
    }
    cells.push({ index, weight });
  }
  return cells;
}

/**
 * MNIST-style preprocessing of a user's digit (LeCun et al.: fitted into 20×20 keeping the aspect
 * ratio with anti-aliasing, then centred by centre of mass in 28×28): gray → invert if the
 * background is light → background removed and contrast stretched → crop to the ink's bounding
 * box → resize so the longer side is 20 (area averaging down, bilinear up) → place so the centre
 * of mass is at pixel (14, 14). `gray` is Uint8Array 0–255 or Float32Array 0–1, `width × height`.
 * Returns `outputSize²` bytes (784), white ink on black; all zeros when there is no ink.
 */
export function preprocessDigit(gray: Float32Array | Uint8Array, width: number, height: number, options: PreprocessOptions = {}): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || gray.length !== width * height) {
    throw new RangeError(`preprocessDigit: ${gray.length} values do not hold a ${width}×${height} gray image`);
  }
  const boxSize = options.boxSize ?? 20;
  const outputSize = options.outputSize ?? 28;
  const noiseFloor = options.noiseFloor ?? 0.1;
  const scale = gray instanceof Uint8Array ? 1 / 255 : 1;
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = Math.min(1, Math.max(0, gray[i] * scale));

  // The background is the median of the border, robust to strokes touching the edge.
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(values[x], values[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(values[y * width], values[y * width + width - 1]);
  border.sort((a, b) => a - b);
  let background = border[Math.floor(border.length / 2)];
  const invert = options.invert === undefined || options.invert === 'auto' ? background > 0.5 : options.invert;
  if (invert) {
    for (let i = 0; i < values.length; i++) values[i] = 1 - values[i];
    background = 1 - background;
  }
  let strongest = 0;
  for (let i = 0; i < values.length; i++) strongest = Math.max(strongest, values[i] - background);
  const output = new Uint8Array(outputSize * outputSize);
  if (strongest < 0.05) return output;

  // Ink relative to the background, stretched to [0, 1]; the faintest is dropped as noise.
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const ink = (values[i] - background) / strongest;
      values[i] = ink < noiseFloor ? 0 : ink;
      if (values[i] > 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const fit = boxSize / Math.max(boxWidth, boxHeight);
  const patchWidth = Math.max(1, Math.min(boxSize, Math.round(boxWidth * fit)));
  const patchHeight = Math.max(1, Math.min(boxSize, Math.round(boxHeight * fit)));
  const columns = axisWeights(boxWidth, patchWidth);
  const rows = axisWeights(boxHeight, patchHeight);
  const patch = new Float32Array(patchWidth * patchHeight);
  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let py = 0; py < patchHeight; py++) {
    const row = rows[py];
    for (let px = 0; px < patchWidth; px++) {
      const column = columns[px];
      let sum = 0;
      for (let r = 0; r < row.index.length; r++) {
        const base = (top + row.index[r]) * width + left;
        let line = 0;
        for (let c = 0; c < column.index.length; c++) line += column.weight[c] * values[base + column.index[c]];
        sum += row.weight[r] * line;
      }
      patch[py * patchWidth + px] = sum;
      mass += sum;
      massX += sum * px;
      massY += sum * py;
    }
  }
  // Whole-pixel placement (MNIST's centres of mass average (14.0, 14.0)), kept inside the frame.
  const centre = outputSize / 2;
  const offsetX = Math.min(outputSize - patchWidth, Math.max(0, Math.round(centre - massX / mass)));
  const offsetY = Math.min(outputSize - patchHeight, Math.max(0, Math.round(centre - massY / mass)));
  for (let py = 0; py < patchHeight; py++) {
    for (let px = 0; px < patchWidth; px++) {
      output[(offsetY + py) * outputSize + offsetX + px] = Math.round(Math.min(1, patch[py * patchWidth + px]) * 255);
    }
  }
  return output;
}
