/**
 * The robust steps of `preprocessDigit`, each on by default; switching them off one by one
 * measures what each adds (`apps/cli/scripts/measure-preprocess.mjs`).
 */
export interface PreprocessSteps {
  /** Estimate the paper's brightness everywhere (uneven light) instead of one border median. */
  readonly background: boolean;
  /** Keep only pixels above an Otsu threshold of the smoothed ink (and their rim). */
  readonly threshold: boolean;
  /** Keep the largest ink component and the sizeable ones near it; drop specks and ruled lines. */
  readonly components: boolean;
}

/** Options for `preprocessDigit`. */
export interface PreprocessOptions {
  /** `'auto'` (default) inverts when the border is light (dark ink on paper); or force it. */
  readonly invert?: 'auto' | boolean;
  /** Without the threshold step: ink below this fraction of the strongest is background (default 0.1). */
  readonly noiseFloor?: number;
  /** Which robust steps run (all by default). */
  readonly steps?: Partial<PreprocessSteps>;
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

/** The median of the border pixels: the background, robust to strokes touching the edge. */
function borderMedian(values: Float32Array, width: number, height: number): number {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(values[x], values[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(values[y * width], values[y * width + width - 1]);
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/** The value below which `fraction` of a 256-bin histogram of [0, 1] values lies. */
function histogramPercentile(histogram: Int32Array, total: number, fraction: number): number {
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin];
    if (seen > fraction * total) return bin / (histogram.length - 1);
  }
  return 1;
}

/**
 * The background level under every pixel of `darkness` (ink high): the lower quartile of square
 * blocks a sixth of the shorter side (at least 8 pixels), a 3×3 median over blocks, then bilinear between block
 * centres. Strokes are narrower than a block, so every block sees mostly paper; a gradient or a
 * shadow across the page is followed, which one border median cannot do.
 */
function estimateBackground(darkness: Float32Array, width: number, height: number): Float32Array {
  const block = Math.max(8, Math.round(Math.min(width, height) / 6));
  const columns = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const levels = new Float32Array(columns * rows);
  const histogram = new Int32Array(256);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      histogram.fill(0);
      let count = 0;
      for (let y = by * block; y < Math.min(height, (by + 1) * block); y++) {
        for (let x = bx * block; x < Math.min(width, (bx + 1) * block); x++) {
          histogram[Math.round(darkness[y * width + x] * 255)]++;
          count++;
        }
      }
      levels[by * columns + bx] = histogramPercentile(histogram, count, 0.25);
    }
  }
  const smoothed = new Float32Array(levels.length);
  const around: number[] = [];
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      around.length = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const y = by + dy;
          const x = bx + dx;
          if (y >= 0 && y < rows && x >= 0 && x < columns) around.push(levels[y * columns + x]);
        }
      }
      around.sort((a, b) => a - b);
      smoothed[by * columns + bx] = around[Math.floor(around.length / 2)];
    }
  }
  const background = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(rows - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const y0 = Math.floor(gy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = Math.min(columns - 1, Math.max(0, (x + 0.5) / block - 0.5));
      const x0 = Math.floor(gx);
      const x1 = Math.min(columns - 1, x0 + 1);
      const fx = gx - x0;
      const top = smoothed[y0 * columns + x0] * (1 - fx) + smoothed[y0 * columns + x1] * fx;
      const bottom = smoothed[y1 * columns + x0] * (1 - fx) + smoothed[y1 * columns + x1] * fx;
      background[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return background;
}

/** The mean over each pixel's 3×3 neighbourhood (edges clamped): takes sensor noise down threefold. */
function boxBlur3(values: Float32Array, width: number, height: number): Float32Array {
  const blurred = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const row = Math.min(height - 1, Math.max(0, y + dy)) * width;
        for (let dx = -1; dx <= 1; dx++) sum += values[row + Math.min(width - 1, Math.max(0, x + dx))];
      }
      blurred[y * width + x] = sum / 9;
    }
  }
  return blurred;
}

/** Otsu's threshold of [0, 1] values: the cut maximising the between-class variance. */
function otsuThreshold(values: Float32Array): number {
  const histogram = new Int32Array(256);
  for (let i = 0; i < values.length; i++) histogram[Math.round(Math.min(1, Math.max(0, values[i])) * 255)]++;
  let total = 0;
  for (let bin = 0; bin < 256; bin++) total += bin * histogram[bin];
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let bestVariance = -1;
  for (let bin = 0; bin < 255; bin++) {
    below += histogram[bin];
    belowSum += bin * histogram[bin];
    const above = values.length - below;
    if (below === 0 || above === 0) continue;
    const difference = belowSum / below - (total - belowSum) / above;
    const variance = below * above * difference * difference;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = bin;
    }
  }
  return (best + 0.5) / 255;
}

/** One 8-connected component of a mask: its pixels' ink, size and bounding box. */
interface Component {
  readonly pixels: number[];
  mass: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function components(mask: Uint8Array, ink: Float32Array, width: number, height: number): Component[] {
  const seen = new Uint8Array(mask.length);
  const found: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    const component: Component = { pixels: [], mass: 0, left: width, right: -1, top: height, bottom: -1 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      component.pixels.push(i);
      component.mass += ink[i];
      component.left = Math.min(component.left, x);
      component.right = Math.max(component.right, x);
      component.top = Math.min(component.top, y);
      component.bottom = Math.max(component.bottom, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    found.push(component);
  }
  return found;
}

/**
 * The digit's components: a ruled line (spanning most of the image, eight times longer than
 * thick) is never the digit unless nothing else is there; the heaviest remaining component is
 * the digit's body, and components with at least 15 % of its ink whose boxes lie within half its
 * size of its box are the rest of it (a 5's detached bar). Specks and far marks drop out.
 */
function digitComponents(found: readonly Component[], width: number, height: number): Component[] {
  const isRule = (c: Component) => {
    const w = c.right - c.left + 1;
    const h = c.bottom - c.top + 1;
    return (w >= 0.9 * width && w >= 8 * h) || (h >= 0.9 * height && h >= 8 * w);
  };
  const candidates = found.filter((c) => !isRule(c));
  const pool = candidates.length > 0 ? candidates : [...found];
  const body = pool.reduce((best, c) => (c.mass > best.mass ? c : best));
  const marginX = (body.right - body.left + 1) / 2;
  const marginY = (body.bottom - body.top + 1) / 2;
  return pool.filter(
    (c) =>
      c === body ||
      (c.mass >= 0.15 * body.mass && c.left >= body.left - marginX && c.right <= body.right + marginX && c.top >= body.top - marginY && c.bottom <= body.bottom + marginY),
  );
}

/** The longer side of the bounding box of a mask's set pixels (0 when none is set). */
function maskExtent(mask: Uint8Array, width: number, height: number): number {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  return right < 0 ? 0 : Math.max(right - left, bottom - top) + 1;
}

/** Sets `to[i]` along one line (`length` cells `stride` apart from `start`) where `from` has a set cell within `radius`. */
function dilateLine(from: Uint8Array, to: Uint8Array, start: number, stride: number, length: number, radius: number): void {
  let last = -Infinity;
  for (let k = 0; k < length + radius; k++) {
    if (k < length && from[start + k * stride]) last = k;
    const target = k - radius;
    if (target >= 0 && k - last <= 2 * radius) to[start + target * stride] = 1;
  }
}

/** The mask grown by `radius` pixels in every direction (a square max filter, rows then columns). */
function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) dilateLine(mask, rows, y * width, 1, width, radius);
  const grown = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) dilateLine(rows, grown, x, width, height, radius);
  return grown;
}

/**
 * MNIST-style preprocessing of a user's digit (LeCun et al.: fitted into 20×20 keeping the aspect
 * ratio with anti-aliasing, then centred by centre of mass in 28×28), robust to photos of paper:
 * gray → invert if the border is light → background estimated block by block and divided out
 * (uneven light) → Otsu threshold of the 3×3-smoothed ink → the digit's connected components
 * (specks and ruled lines dropped) → ink inside them and their 1-pixel rim, stretched so the
 * 95th percentile is full strength → crop to the box → resize so the longer side is 20 (area
 * averaging down, bilinear up) → placed so the centre of mass is at pixel (14, 14). `gray` is Uint8Array 0–255 or Float32Array 0–1,
 * `width × height`. Returns `outputSize²` bytes (784), white ink on black; all zeros when there
 * is no ink.
 */
export function preprocessDigit(gray: Float32Array | Uint8Array, width: number, height: number, options: PreprocessOptions = {}): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || gray.length !== width * height) {
    throw new RangeError(`preprocessDigit: ${gray.length} values do not hold a ${width}×${height} gray image`);
  }
  const boxSize = options.boxSize ?? 20;
  const outputSize = options.outputSize ?? 28;
  const noiseFloor = options.noiseFloor ?? 0.1;
  const steps: PreprocessSteps = { background: true, threshold: true, components: true, ...options.steps };
  const scale = gray instanceof Uint8Array ? 1 / 255 : 1;
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = Math.min(1, Math.max(0, gray[i] * scale));

  const border = borderMedian(values, width, height);
  const invert = options.invert === undefined || options.invert === 'auto' ? border > 0.5 : options.invert;
  if (invert) for (let i = 0; i < values.length; i++) values[i] = 1 - values[i];
  // Ink relative to the background: (paper − pixel) / paper under the local light, or minus
  // one level for the whole image.
  if (steps.background) {
    const background = estimateBackground(values, width, height);
    for (let i = 0; i < values.length; i++) values[i] = Math.max(0, (values[i] - background[i]) / Math.max(0.05, 1 - background[i]));
  } else {
    const level = invert ? 1 - border : border;
    for (let i = 0; i < values.length; i++) values[i] = Math.max(0, values[i] - level);
  }
  let strongest = 0;
  for (let i = 0; i < values.length; i++) strongest = Math.max(strongest, values[i]);
  const output = new Uint8Array(outputSize * outputSize);
  if (strongest < 0.05) return output;

  const mask = new Uint8Array(values.length);
  if (steps.threshold) {
    const smooth = boxBlur3(values, width, height);
    const cut = Math.max(0.05, otsuThreshold(smooth));
    for (let i = 0; i < values.length; i++) mask[i] = smooth[i] > cut ? 1 : 0;
  } else {
    for (let i = 0; i < values.length; i++) mask[i] = values[i] >= noiseFloor * strongest ? 1 : 0;
  }
  if (steps.components) {
    const found = components(mask, values, width, height);
    if (found.length === 0) return output;
    mask.fill(0);
    for (const component of digitComponents(found, width, height)) for (const i of component.pixels) mask[i] = 1;
  }
  // Full strength at the 95th percentile of the kept ink (a noise spike must not set the scale).
  let level = strongest;
  if (steps.threshold) {
    const kept: number[] = [];
    for (let i = 0; i < values.length; i++) if (mask[i]) kept.push(values[i]);
    if (kept.length === 0) return output;
    kept.sort((a, b) => a - b);
    level = Math.max(0.05, kept[Math.min(kept.length - 1, Math.floor(0.95 * kept.length))]);
  }
  // Keep the ink of the mask and of a rim one output pixel wide (the anti-aliased edges that the
  // threshold cut), nothing else.
  const rim = steps.threshold ? dilate(mask, width, height, Math.max(1, Math.round(maskExtent(mask, width, height) / boxSize))) : mask;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  const ink = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      ink[i] = rim[i] ? Math.min(1, values[i] / level) : 0;
      if (ink[i] > 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return output;

  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const fit = boxSize / Math.max(boxWidth, boxHeight);
  const patchWidth = Math.max(1, Math.min(boxSize, Math.round(boxWidth * fit)));
  const patchHeight = Math.max(1, Math.min(boxSize, Math.round(boxHeight * fit)));
  const columns = axisWeights(boxWidth, patchWidth);
  const rows = axisWeights(boxHeight, patchHeight);
  const patch = new Float32Array(patchWidth * patchHeight);
  for (let py = 0; py < patchHeight; py++) {
    const row = rows[py];
    for (let px = 0; px < patchWidth; px++) {
      const column = columns[px];
      let sum = 0;
      for (let r = 0; r < row.index.length; r++) {
        const base = (top + row.index[r]) * width + left;
        let line = 0;
        for (let c = 0; c < column.index.length; c++) line += column.weight[c] * ink[base + column.index[c]];
        sum += row.weight[r] * line;
      }
      patch[py * patchWidth + px] = sum;
    }
  }
  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let py = 0; py < patchHeight; py++) {
    for (let px = 0; px < patchWidth; px++) {
      const value = patch[py * patchWidth + px];
      mass += value;
      massX += value * px;
      massY += value * py;
    }
  }
  if (mass === 0) return output;
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
