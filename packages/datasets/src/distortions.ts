import { type Rng, type Shape, formatShape, sizeOf } from '@nnkit/tensor';
import { type Dataset, MNIST_IMAGE_SHAPE, createDataset } from './dataset.js';

/**
 * Random distortions, each drawn independently per image from the given range (all optional;
 * an empty spec copies the image). Geometry is one affine map about the image centre plus an
 * optional elastic field, resampled once with bilinear interpolation (zero outside), so the
 * shape and the 0–255 range are preserved.
 */
export interface AugmentSpec {
  /** Rotation angle uniform in [−rotate, rotate] degrees. */
  readonly rotate?: number;
  /** Zoom factor uniform in [1 − scale, 1 + scale]. */
  readonly scale?: number;
  /** Aspect change a uniform in [−stretch, stretch]: width × (1 + a), height × (1 − a). */
  readonly stretch?: number;
  /** Horizontal shear angle uniform in [−shear, shear] degrees. */
  readonly shear?: number;
  /** Sub-pixel translation uniform in [−translate, translate] pixels on each axis. */
  readonly translate?: number;
  /** Whole-pixel translation, an integer uniform in [−shift, shift] on each axis. */
  readonly shift?: number;
  /**
   * Simard et al. (2003) elastic distortion: displacement fields uniform(−1, 1) per pixel,
   * smoothed by a Gaussian of std `sigma` pixels (zero padding), scaled by `alpha` (34/4 in the paper).
   */
  readonly elastic?: { readonly alpha: number; readonly sigma: number };
  /** Additive Gaussian noise of this std on the [0, 1] scale, clamped to 0–255. */
  readonly noise?: number;
}

const NAMES = ['rotate', 'scale', 'stretch', 'shear', 'translate', 'shift', 'elastic', 'noise'] as const;
type AugmentName = (typeof NAMES)[number];

/**
 * Parses a command-line distortion list `name:value,…`, e.g.
 * `rotate:12,scale:0.1,stretch:0.1,shear:10,translate:2,shift:1,elastic:34/4,noise:0.1`
 * (`none` or an empty string is no distortion). Throws a RangeError naming the bad part.
 */
export function parseAugmentSpec(text: string): AugmentSpec {
  const spec: Record<string, unknown> = {};
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return spec;
  for (const part of trimmed.split(',')) {
    const [rawName, value, extra] = part.split(':').map((piece) => piece.trim());
    const name = rawName as AugmentName;
    const fail = (why: string): never => {
      throw new RangeError(`augment "${text}": ${JSON.stringify(part.trim())}: ${why}`);
    };
    if (!NAMES.includes(name)) fail(`unknown distortion "${rawName}" (expected one of ${NAMES.join(', ')})`);
    if (name in spec) fail(`${name} is given twice`);
    if (value === undefined || value === '' || extra !== undefined) fail(`expected ${name}:${name === 'elastic' ? 'ALPHA/SIGMA' : 'NUMBER'}`);
    const number = (piece: string, what: string): number => {
      const parsed = /^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(piece) ? Number(piece) : Number.NaN;
      if (!Number.isFinite(parsed)) fail(`${what} must be a non-negative number, got "${piece}"`);
      return parsed;
    };
    switch (name) {
      case 'elastic': {
        const pieces = value.split('/');
        if (pieces.length !== 2) fail('expected elastic:ALPHA/SIGMA, e.g. elastic:34/4');
        const alpha = number(pieces[0], 'alpha');
        const sigma = number(pieces[1], 'sigma');
        if (!(sigma > 0)) fail('sigma must be positive');
        spec.elastic = { alpha, sigma };
        break;
      }
      case 'shift': {
        const shift = number(value, 'shift');
        if (!Number.isInteger(shift)) fail(`shift must be a whole number of pixels, got "${value}"`);
        spec.shift = shift;
        break;
      }
      case 'rotate':
      case 'shear': {
        const degrees = number(value, `${name} (degrees)`);
        if (degrees >= 90) fail(`${name} must be below 90 degrees`);
        spec[name] = degrees;
        break;
      }
      case 'scale':
      case 'stretch': {
        const fraction = number(value, name);
        if (fraction >= 1) fail(`${name} must be below 1 (a fraction of the size)`);
        spec[name] = fraction;
        break;
      }
      default:
        spec[name] = number(value, name);
    }
  }
  return spec;
}

/** The canonical text of a spec, accepted back by `parseAugmentSpec` (`"none"` when empty). */
export function formatAugmentSpec(spec: AugmentSpec): string {
  const parts: string[] = [];
  for (const name of NAMES) {
    const value = spec[name];
    if (value === undefined) continue;
    parts.push(typeof value === 'number' ? `${name}:${value}` : `${name}:${value.alpha}/${value.sigma}`);
  }
  return parts.length === 0 ? 'none' : parts.join(',');
}

// Scratch buffers reused across calls (one image at a time, never re-entered).
let scratchSize = 0;
let fieldX = new Float32Array(0);
let fieldY = new Float32Array(0);
let smoothing = new Float32Array(0);

function scratch(size: number): void {
  if (scratchSize >= size) return;
  scratchSize = size;
  fieldX = new Float32Array(size);
  fieldY = new Float32Array(size);
  smoothing = new Float32Array(size);
}

/** Gaussian kernel of std `sigma`, truncated at 4σ like scipy.ndimage, normalized to sum 1. */
function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(4 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++) total += kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  return kernel;
}
const kernels = new Map<number, Float32Array>();

/** Smooths `field` (height × width) in place by a separable Gaussian, zero outside. */
function smooth(field: Float32Array, width: number, height: number, sigma: number): void {
  let kernel = kernels.get(sigma);
  if (kernel === undefined) kernels.set(sigma, (kernel = gaussianKernel(sigma)));
  const radius = (kernel.length - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      const from = Math.max(0, x - radius);
      const to = Math.min(width - 1, x + radius);
      for (let s = from; s <= to; s++) sum += kernel[s - x + radius] * field[y * width + s];
      smoothing[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    const from = Math.max(0, y - radius);
    const to = Math.min(height - 1, y + radius);
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let s = from; s <= to; s++) sum += kernel[s - y + radius] * smoothing[s * width + x];
      field[y * width + x] = sum;
    }
  }
}

/** Bilinear sample of `image` (height × width) at (x, y) in pixel-index coordinates; 0 outside. */
function sample(image: Uint8Array, offset: number, width: number, height: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) return 0;
  const fx = x - x0;
  const fy = y - y0;
  const inX0 = x0 >= 0;
  const inX1 = x0 + 1 < width;
  const top = y0 >= 0 ? offset + y0 * width : -1;
  const bottom = y0 + 1 < height ? offset + (y0 + 1) * width : -1;
  let value = 0;
  if (top >= 0) value += (1 - fy) * ((inX0 ? (1 - fx) * image[top + x0] : 0) + (inX1 ? fx * image[top + x0 + 1] : 0));
  if (bottom >= 0) value += fy * ((inX0 ? (1 - fx) * image[bottom + x0] : 0) + (inX1 ? fx * image[bottom + x0 + 1] : 0));
  return value;
}

function imageSize(shape: Shape): { width: number; height: number } {
  if (shape.length < 2 || shape.length > 3 || (shape.length === 3 && shape[2] !== 1)) {
    throw new RangeError(`distortions need one-channel images [height, width, 1], got ${formatShape(shape)}`);
  }
  return { height: shape[0], width: shape[1] };
}

/**
 * Writes a randomly distorted copy of one image into `output` (same size; may not alias
 * `input`), drawing every random number from `rng` in a fixed order so a seed reproduces it.
 * `inputOffset`/`outputOffset` select an image inside larger buffers.
 */
export function distortImage(
  input: Uint8Array,
  output: Uint8Array,
  spec: AugmentSpec,
  rng: Rng,
  shape: Shape = MNIST_IMAGE_SHAPE,
  inputOffset = 0,
  outputOffset = 0,
): void {
  const { width, height } = imageSize(shape);
  const size = width * height;
  if (input.length < inputOffset + size || output.length < outputOffset + size) {
    throw new RangeError(`distortImage: buffers too short for a ${formatShape(shape)} image`);
  }
  const degrees = Math.PI / 180;
  const angle = spec.rotate ? rng.uniform(-spec.rotate, spec.rotate) * degrees : 0;
  const zoom = spec.scale ? rng.uniform(1 - spec.scale, 1 + spec.scale) : 1;
  const aspect = spec.stretch ? rng.uniform(-spec.stretch, spec.stretch) : 0;
  const shear = spec.shear ? Math.tan(rng.uniform(-spec.shear, spec.shear) * degrees) : 0;
  let moveX = spec.translate ? rng.uniform(-spec.translate, spec.translate) : 0;
  let moveY = spec.translate ? rng.uniform(-spec.translate, spec.translate) : 0;
  if (spec.shift) {
    moveX += rng.int(2 * spec.shift + 1) - spec.shift;
    moveY += rng.int(2 * spec.shift + 1) - spec.shift;
  }
  const elastic = spec.elastic !== undefined && spec.elastic.alpha > 0;
  if (elastic) {
    scratch(size);
    for (let i = 0; i < size; i++) fieldX[i] = rng.uniform(-1, 1);
    for (let i = 0; i < size; i++) fieldY[i] = rng.uniform(-1, 1);
    smooth(fieldX, width, height, spec.elastic!.sigma);
    smooth(fieldY, width, height, spec.elastic!.sigma);
  }
  // Forward map about the centre c: out = R·H·S·(in − c) + c + t, with S = diag(sx, sy),
  // H = [[1, shear], [0, 1]], R the rotation. Each output pixel samples in = (R·H·S)⁻¹(out − c − t) + c.
  const sx = zoom * (1 + aspect);
  const sy = zoom * (1 - aspect);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // M = R·H·S = [[cos·sx, (cos·shear − sin)·sy], [sin·sx, (sin·shear + cos)·sy]]
  const m00 = cos * sx;
  const m01 = (cos * shear - sin) * sy;
  const m10 = sin * sx;
  const m11 = (sin * shear + cos) * sy;
  const determinant = m00 * m11 - m01 * m10;
  const i00 = m11 / determinant;
  const i01 = -m01 / determinant;
  const i10 = -m10 / determinant;
  const i11 = m00 / determinant;
  const centreX = (width - 1) / 2;
  const centreY = (height - 1) / 2;
  const alpha = elastic ? spec.elastic!.alpha : 0;
  const noise = spec.noise ? spec.noise * 255 : 0;
  // Box–Muller gives two independent normals per pair of uniforms; the second waits in `spare`.
  let spare = Number.NaN;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - centreX - moveX;
      const dy = y - centreY - moveY;
      let sourceX = i00 * dx + i01 * dy + centreX;
      let sourceY = i10 * dx + i11 * dy + centreY;
      if (elastic) {
        sourceX += alpha * fieldX[y * width + x];
        sourceY += alpha * fieldY[y * width + x];
      }
      let value = sample(input, inputOffset, width, height, sourceX, sourceY);
      if (noise > 0) {
        if (Number.isNaN(spare)) {
          const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
          const turn = 2 * Math.PI * rng.next();
          spare = radius * Math.sin(turn);
          value += noise * radius * Math.cos(turn);
        } else {
          value += noise * spare;
          spare = Number.NaN;
        }
      }
      output[outputOffset + y * width + x] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
}

/**
 * Distorted copies of images `indices[start..end)` (labels kept) as a small dataset, for
 * on-the-fly augmentation of one mini-batch: then `fillBatch(batch, rangeIndices(n), 0, n, out)`.
 * `buffer` (≥ n · imageSize bytes) is reused when given.
 */
export function augmentBatch(
  dataset: Dataset,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  spec: AugmentSpec,
  rng: Rng,
  buffer?: Uint8Array,
): Dataset {
  const size = sizeOf(dataset.imageShape);
  const count = end - start;
  if (!(start >= 0 && end <= indices.length && count >= 0)) throw new RangeError(`augmentBatch: range [${start}, ${end}) is outside the ${indices.length} indices`);
  const images = buffer === undefined ? new Uint8Array(count * size) : buffer.subarray(0, count * size);
  if (images.length < count * size) throw new RangeError(`augmentBatch: buffer holds ${buffer?.length} bytes, needs ${count * size}`);
  const labels = new Uint8Array(count);
  for (let b = 0; b < count; b++) {
    const index = indices[start + b];
    if (!(index >= 0 && index < dataset.count)) throw new RangeError(`augmentBatch: index ${index} is outside ${dataset.name} (${dataset.count} images)`);
    distortImage(dataset.images, images, spec, rng, dataset.imageShape, index * size, b * size);
    labels[b] = dataset.labels[index];
  }
  return createDataset({ images, labels, imageShape: dataset.imageShape, name: `${dataset.name}:augmented`, unlabelled: dataset.unlabelled });
}

/**
 * Expands a dataset offline: the originals followed by `copies` distorted versions of every
 * image (count · (1 + copies) images).
 */
export function augmentDataset(dataset: Dataset, spec: AugmentSpec, rng: Rng, copies = 1): Dataset {
  if (!(Number.isInteger(copies) && copies >= 0)) throw new RangeError(`augmentDataset: copies must be a non-negative integer, got ${copies}`);
  const size = sizeOf(dataset.imageShape);
  const { count } = dataset;
  const images = new Uint8Array(count * (1 + copies) * size);
  const labels = new Uint8Array(count * (1 + copies));
  images.set(dataset.images);
  for (let copy = 1; copy <= copies; copy++) {
    for (let i = 0; i < count; i++) distortImage(dataset.images, images, spec, rng, dataset.imageShape, i * size, (copy * count + i) * size);
    labels.set(dataset.labels, copy * count);
  }
  labels.set(dataset.labels, 0);
  return createDataset({ images, labels, imageShape: dataset.imageShape, name: `${dataset.name}:augmented×${1 + copies}`, unlabelled: dataset.unlabelled });
}

/**
 * Moves one image by whole pixels (dx right, dy down), filling the uncovered edge with 0
 * (Nielsen's expand_mnist.py: np.roll, then the rolled-in row or column zeroed). Bytes, or
 * floats such as a normalized image (`output` of the same kind as `input`).
 */
export function shiftImage<T extends Uint8Array | Float32Array>(input: T, output: T, dx: number, dy: number, shape: Shape = MNIST_IMAGE_SHAPE, inputOffset = 0, outputOffset = 0): void {
  const { width, height } = imageSize(shape);
  for (let y = 0; y < height; y++) {
    const sourceY = y - dy;
    for (let x = 0; x < width; x++) {
      const sourceX = x - dx;
      output[outputOffset + y * width + x] =
        sourceX >= 0 && sourceX < width && sourceY >= 0 && sourceY < height ? input[inputOffset + sourceY * width + sourceX] : 0;
    }
  }
}

/**
 * Nielsen's ×5 expansion (chapter 6, expand_mnist.py): each image followed by its copies moved
 * one pixel down, up, right and left; labels repeated. 50 000 → 250 000 images.
 */
export function expandByShifts(dataset: Dataset): Dataset {
  const size = sizeOf(dataset.imageShape);
  const moves: [number, number][] = [
    [0, 0],
    [0, 1],
    [0, -1],
    [1, 0],
    [-1, 0],
  ];
  const images = new Uint8Array(dataset.count * 5 * size);
  const labels = new Uint8Array(dataset.count * 5);
  for (let i = 0; i < dataset.count; i++) {
    moves.forEach(([dx, dy], m) => {
      shiftImage(dataset.images, images, dx, dy, dataset.imageShape, i * size, (i * 5 + m) * size);
      labels[i * 5 + m] = dataset.labels[i];
    });
  }
  return createDataset({ images, labels, imageShape: dataset.imageShape, name: `${dataset.name}:shifted×5`, unlabelled: dataset.unlabelled });
}

/**
 * Images for previewing a distortion spec: for each of the first `images` images of `dataset`,
 * the original followed by `variants` distorted copies (lay them out with
 * `digitGrid(result, {columns: variants + 1})`).
 */
export function augmentPreview(dataset: Dataset, spec: AugmentSpec, rng: Rng, options: { images?: number; variants?: number } = {}): Uint8Array[] {
  const images = Math.min(options.images ?? 8, dataset.count);
  const variants = options.variants ?? 7;
  const size = sizeOf(dataset.imageShape);
  const result: Uint8Array[] = [];
  for (let i = 0; i < images; i++) {
    result.push(dataset.images.slice(i * size, (i + 1) * size));
    for (let v = 0; v < variants; v++) {
      const distorted = new Uint8Array(size);
      distortImage(dataset.images, distorted, spec, rng, dataset.imageShape, i * size, 0);
      result.push(distorted);
    }
  }
  return result;
}

/**
 * Distorts every image of a batch of bytes in place (`images.length / sizeOf(imageShape)`
 * images, one after another), each with its own draws from `rng`.
 */
export function augmentImagesInPlace(images: Uint8Array, spec: AugmentSpec, rng: Rng, imageShape: Shape = MNIST_IMAGE_SHAPE): void {
  const size = sizeOf(imageShape);
  if (images.length % size !== 0) throw new RangeError(`augmentImagesInPlace: ${images.length} bytes are not whole ${formatShape(imageShape)} images`);
  const original = new Uint8Array(size);
  for (let offset = 0; offset < images.length; offset += size) {
    original.set(images.subarray(offset, offset + size));
    distortImage(original, images, spec, rng, imageShape, 0, offset);
  }
}

/**
 * A per-batch augmentation callback `(images, rng, imageShape) => void` that distorts a batch's
 * bytes in place with `spec` — the shape `fit`'s `augment` option takes.
 */
export function augmentHook(spec: AugmentSpec): (images: Uint8Array, rng: Rng, imageShape: Shape) => void {
  return (images, rng, imageShape) => augmentImagesInPlace(images, spec, rng, imageShape);
}
