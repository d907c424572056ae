/** Text safe inside XML/HTML element content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Font stack used by every chart, so SVG text matches the page around it. */
export const FONT_FAMILY =
  'system-ui, -apple-system, &quot;Segoe UI&quot;, Roboto, &quot;Helvetica Neue&quot;, Arial, &quot;Liberation Sans&quot;, sans-serif';

/** A standalone SVG document (valid as a `.svg` file and inline in HTML) that scales down to its container. */
export function svgDocument(width: number, height: number, label: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-label="${escapeXml(label)}" font-family="${FONT_FAMILY}" style="max-width:100%;height:auto">` +
    `<title>${escapeXml(label)}</title>${body}</svg>`
  );
}

/** Round to 2 decimals for compact SVG coordinates. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * About `count` evenly spaced "nice" tick values (1, 2, 2.5 or 5 × 10ᵏ apart) covering
 * [minimum, maximum]; the first and last ticks are the rounded-out axis limits.
 */
export function niceTicks(minimum: number, maximum: number, count = 5): number[] {
  if (!(maximum > minimum)) maximum = minimum + (minimum === 0 ? 1 : Math.abs(minimum) * 0.1);
  const rough = (maximum - minimum) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const start = Math.floor(minimum / step + 1e-9) * step;
  const end = Math.ceil(maximum / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let value = start; value <= end + step * 1e-6; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}
