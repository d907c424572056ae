import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from './render-report-html.js';

function smallInput() {
  const rng = createRng('report-test');
  const count = 40;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const predictions = labels.map((label, i) => (i % 7 === 3 ? (label + 1) % 10 : label));
  const probabilities = new Float32Array(count * 10).fill(0.02);
  predictions.forEach((predicted, i) => (probabilities[i * 10 + predicted] = 0.82));
  const images = Array.from({ length: count }, () => Uint8Array.from({ length: 784 }, () => rng.int(256)));
  return { modelName: 'tiny <mlp>', labels, predictions, probabilities, images };
}

const confusionCells = (html: string) => html.match(/<g><title>true \d, predicted \d: /g) ?? [];

describe('renderReportHtml', () => {
  it('contains a 10×10 confusion matrix and a report row per class plus the three summary rows', () => {
    const html = renderReportHtml(smallInput());
    // Counts, and the same cells as shares of each row behind a CSS-only toggle.
    expect(confusionCells(html)).toHaveLength(200);
    expect(html).toContain('<input type="radio" name="cm-view" id="cm-rows">');
    expect(html).toMatch(/#cm-rows:checked~\.cm-rows\{display:block\}/);
    const table = html.slice(html.indexOf('<table class="numbers report">'));
    const body = table.slice(0, table.indexOf('</table>'));
    expect(body.match(/<tr[ >]/g)).toHaveLength(1 + 10 + 3);
    expect(body).toContain('<th scope="row">accuracy</th>');
  });

  it('is self-contained: no external URL, no script, every image a PNG data URI', () => {
    const html = renderReportHtml({
      ...smallInput(),
      history: [{ epoch: 1, trainLoss: 1, testAccuracy: 0.5 }],
      firstLayer: { kind: 'dense', weights: new Float32Array(784 * 3), shape: [784, 3] },
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|@import|<iframe/i);
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).not.toMatch(/url\((?!#|data:)/);
    const urls = html.match(/https?:\/\/[^\s"')]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    const sources = html.match(/<img src="[^"]*"/g) ?? [];
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"$/);
  });

  it('captions misclassified images "true → predicted (p)" and escapes the model name', () => {
    const html = renderReportHtml(smallInput());
    // Examples 3, 10, 17, 24, 31, 38 are wrong (i % 7 = 3): 6 cards.
    expect(html.match(/<figure class="digit"/g)).toHaveLength(6);
    expect(html).toContain('<span class="t">3</span> → <span class="wrong">4</span> <span class="p">(0.82)</span>');
    expect(html).toContain('<h1>tiny &lt;mlp&gt;</h1>');
    expect(html).not.toContain('<mlp>');
  });

  it('leaves out sections whose input is missing', () => {
    const { modelName, labels, predictions } = smallInput();
    const html = renderReportHtml({ modelName, labels, predictions });
    expect(confusionCells(html)).toHaveLength(200);
    for (const absent of ['Training history', 'Misclassified images', 'First-layer weights', 'Log-loss', '<img', 'Reliability', 'nnkit version']) {
      expect(html).not.toContain(absent);
    }
  });

  it('gives a confidence interval on accuracy, the confidence plots, the top three classes of each mistake and the provenance', () => {
    const html = renderReportHtml({ ...smallInput(), provenance: { version: '1.2.3', date: '2026-12-06', dataHash: '0123456789abcdef' } });
    // 34 of 40 right: Wilson 95 % interval 70.93 %–92.94 % (centre 0.8193, half-width 0.1101).
    expect(html).toContain('34 of 40 correct · 95% CI 70.93%–92.94%');
    expect(html).toContain('Reliability (expected calibration error');
    expect(html).toContain('Precision against recall');
    expect(html.match(/AP \d\.\d{4}/g)).toHaveLength(10);
    // Example 3: true 3, predicted 4 with 0.82, then the rest tied at 0.02 (the lowest classes first).
    expect(html).toContain('<span class="top3"><span>4 0.82</span><span>0 0.02</span><span>1 0.02</span></span>');
    expect(html).toContain('<dt>nnkit version</dt><dd>1.2.3</dd>');
    expect(html).toContain('<dt>data hash</dt><dd>0123456789abcdef</dd>');
  });

  it('rejects inputs of inconsistent sizes with one clear line', () => {
    const input = smallInput();
    expect(() => renderReportHtml({ ...input, probabilities: new Float32Array(3) })).toThrow(
      'renderReportHtml: probabilities has 3 entries; expected 40 × 10',
    );
    expect(() => renderReportHtml({ ...input, images: new Uint8Array(10) })).toThrow(
      'renderReportHtml: images has 10 bytes; expected 40 images of 28×28',
    );
  });
});
