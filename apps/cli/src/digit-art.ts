/** Five shades from paper to full ink, each printed twice so a pixel is about square. */
const SHADES = [' ', '░', '▒', '▓', '█'];

/**
 * A `side × side` gray image (0–255, white ink on black as the network sees it) as `side` lines
 * of text, two characters a pixel, framed so the image's edges show.
 */
export function digitArt(image: Uint8Array, side = 28): string[] {
  const lines = [`┌${'─'.repeat(2 * side)}┐`];
  for (let y = 0; y < side; y++) {
    let line = '│';
    for (let x = 0; x < side; x++) {
      const shade = SHADES[Math.min(SHADES.length - 1, Math.round((image[y * side + x] / 255) * (SHADES.length - 1)))];
      line += shade + shade;
    }
    lines.push(`${line}│`);
  }
  lines.push(`└${'─'.repeat(2 * side)}┘`);
  return lines;
}
