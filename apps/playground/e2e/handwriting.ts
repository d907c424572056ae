// Digits drawn with the mouse on the "Teach it my handwriting" pad, as a person draws them: pen
// strokes per digit in pad coordinates (0–1), moved, scaled and slanted differently each time.
// Three hands: a plain one, close to MNIST's; a European one (slashed 0, 1 with a flag and a
// foot, crossed 7, open 4, flat-topped 3); and a boxy one, straight strokes like a digital
// clock's segments, far from anything in MNIST.
import { createRng } from '@nnkit/tensor';
import type { Page } from 'playwright-core';
import { settle } from './page-helpers.js';

export { createRng };
type Point = [number, number];
type Rng = ReturnType<typeof createRng>;
export type Hand = 'plain' | 'european' | 'boxy';

const oval = (cx: number, cy: number, rx: number, ry: number): Point[] => Array.from({ length: 19 }, (_, i): Point => [cx + rx * Math.sin((i / 18) * 2 * Math.PI), cy - ry * Math.cos((i / 18) * 2 * Math.PI)]);

const plain: Point[][][] = [
  [oval(0.5, 0.5, 0.2, 0.3)],
  [[[0.42, 0.3], [0.52, 0.2], [0.52, 0.8]]],
  [[[0.3, 0.32], [0.38, 0.22], [0.5, 0.19], [0.62, 0.22], [0.68, 0.32], [0.64, 0.44], [0.5, 0.58], [0.3, 0.78], [0.72, 0.78]]],
  [[[0.3, 0.24], [0.5, 0.18], [0.66, 0.26], [0.64, 0.4], [0.48, 0.48], [0.66, 0.56], [0.68, 0.7], [0.5, 0.8], [0.3, 0.74]]],
  [[[0.56, 0.2], [0.28, 0.6], [0.74, 0.6]], [[0.6, 0.36], [0.6, 0.82]]],
  [[[0.68, 0.2], [0.36, 0.2], [0.33, 0.46], [0.5, 0.42], [0.64, 0.5], [0.66, 0.66], [0.52, 0.78], [0.3, 0.74]]],
  [[[0.62, 0.2], [0.46, 0.3], [0.36, 0.48], [0.34, 0.64], [0.42, 0.78], [0.56, 0.8], [0.66, 0.68], [0.62, 0.54], [0.48, 0.5], [0.36, 0.58]]],
  [[[0.28, 0.22], [0.72, 0.22], [0.58, 0.52], [0.46, 0.8]]],
  [[[0.5, 0.5], [0.37, 0.41], [0.38, 0.25], [0.5, 0.19], [0.62, 0.25], [0.63, 0.41], [0.5, 0.5], [0.35, 0.62], [0.37, 0.77], [0.5, 0.82], [0.63, 0.77], [0.65, 0.62], [0.5, 0.5]]],
  [[[0.64, 0.3], [0.54, 0.2], [0.4, 0.22], [0.34, 0.34], [0.42, 0.46], [0.56, 0.46], [0.64, 0.34], [0.64, 0.3], [0.62, 0.55], [0.56, 0.8]]],
];

const european: Point[][][] = [
  [oval(0.5, 0.5, 0.19, 0.3), [[0.64, 0.2], [0.36, 0.8]]],
  [[[0.3, 0.4], [0.56, 0.18], [0.56, 0.82]], [[0.38, 0.82], [0.72, 0.82]]],
  [[[0.3, 0.3], [0.42, 0.2], [0.58, 0.2], [0.66, 0.3], [0.6, 0.46], [0.34, 0.74], [0.3, 0.8], [0.44, 0.72], [0.72, 0.8]]],
  [[[0.3, 0.2], [0.68, 0.2], [0.46, 0.44], [0.62, 0.5], [0.68, 0.66], [0.52, 0.8], [0.3, 0.74]]],
  [[[0.34, 0.18], [0.3, 0.56], [0.74, 0.56]], [[0.62, 0.3], [0.62, 0.84]]],
  [[[0.36, 0.2], [0.33, 0.46], [0.5, 0.42], [0.64, 0.5], [0.66, 0.66], [0.52, 0.78], [0.3, 0.74]], [[0.36, 0.2], [0.7, 0.2]]],
  [[[0.66, 0.18], [0.4, 0.4], [0.32, 0.62], [0.4, 0.8], [0.56, 0.8], [0.64, 0.66], [0.56, 0.54], [0.42, 0.56]]],
  [[[0.28, 0.22], [0.72, 0.22], [0.44, 0.82]], [[0.36, 0.52], [0.68, 0.52]]],
  [oval(0.5, 0.34, 0.13, 0.15), oval(0.5, 0.66, 0.17, 0.17)],
  [[[0.64, 0.34], [0.54, 0.2], [0.4, 0.22], [0.34, 0.34], [0.42, 0.46], [0.56, 0.46], [0.64, 0.34], [0.64, 0.78], [0.5, 0.84], [0.38, 0.76]]],
];

const [left, right, top, middle, bottom] = [0.32, 0.68, 0.2, 0.5, 0.8];
const boxy: Point[][][] = [
  [[[left, top], [right, top], [right, bottom], [left, bottom], [left, top]]],
  [[[0.6, top], [0.6, bottom]]],
  [[[left, top], [right, top], [right, middle], [left, middle], [left, bottom], [right, bottom]]],
  [[[left, top], [right, top], [right, bottom], [left, bottom]], [[0.38, middle], [right, middle]]],
  [[[left, top], [left, middle], [right, middle]], [[right, top], [right, bottom]]],
  [[[right, top], [left, top], [left, middle], [right, middle], [right, bottom], [left, bottom]]],
  [[[right, top], [left, top], [left, bottom], [right, bottom], [right, middle], [left, middle]]],
  [[[left, top], [right, top], [right, bottom]]],
  [[[left, top], [right, top], [right, bottom], [left, bottom], [left, top]], [[left, middle], [right, middle]]],
  [[[right, middle], [left, middle], [left, top], [right, top], [right, bottom], [left, bottom]]],
];
const hands: Record<Hand, Point[][][]> = { plain, european, boxy };

/** The page's count of samples, once it is `count` (it is 'loading' until IndexedDB is read). */
export async function waitForSamples(page: Page, count: number): Promise<void> {
  await page.waitForFunction((wanted) => document.body.dataset.teachSamples === String(wanted), count);
}

/** Draws `digit` on the `#teach-pad` in `hand`, moved (±8 %), scaled (75–110 %) and slanted by `rng`. */
export async function drawDigit(page: Page, digit: number, rng: Rng, hand: Hand = 'plain'): Promise<void> {
  // Mouse events reach only what is on screen.
  await page.locator('#teach-pad').scrollIntoViewIfNeeded();
  const box = await page.locator('#teach-pad').boundingBox();
  if (box === null) throw new Error('teach pad not visible');
  const dx = (rng.next() - 0.5) * 0.16;
  const dy = (rng.next() - 0.5) * 0.16;
  const scale = 0.75 + rng.next() * 0.35;
  // The European hand leans right, as many do.
  const slant = (rng.next() - 0.5) * 0.3 + (hand === 'european' ? 0.25 : 0);
  const at = ([x, y]: Point): Point => [box.x + box.width * (0.5 + dx + scale * (x - 0.5 - slant * (y - 0.5))), box.y + box.height * (0.5 + dy + scale * (y - 0.5))];
  for (const stroke of hands[hand][digit]) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 3 });
    await page.mouse.up();
  }
  await settle(page);
}
