import {
  type ClassScores,
  classificationReport,
  confusionMatrix,
  errorsPerClass,
  formatReportText,
  logLoss,
  topConfusions,
  topKAccuracy,
} from '@nnkit/metrics';
import { precisionRecallCurve, reliability, topClasses, wilsonInterval } from './calibration.js';
import { DIVERGING, css } from './colors.js';
import { type FirstLayerWeights, firstLayerImages } from './first-layer.js';
import { historySeries, historyTable } from './history.js';
import { pngDataUri } from '@nnkit/picture/node';
import { digitPng } from './png.js';
import { errorHistogramSvg } from './svg-bar-chart.js';
import { confusionMatrixSvg } from './svg-confusion-matrix.js';
import { precisionRecallSvg, reliabilitySvg } from './svg-calibration.js';
import { lineChartSvg } from './svg-line-chart.js';
import { escapeXml } from './svg.js';

/** Everything a report shows; only `modelName`, `labels` and `predictions` are required. */
export interface ReportInput {
  readonly modelName: string;
  /** True class per evaluated example. */
  readonly labels: ArrayLike<number>;
  /** Predicted class per example. */
  readonly predictions: ArrayLike<number>;
  /** Class probabilities, row-major `[n, classes]`: enables log-loss, top-2 accuracy and confidences. */
  readonly probabilities?: ArrayLike<number>;
  /** The evaluated images as bytes (0–255): one `Uint8Array` per image, or all of them back to back. */
  readonly images?: readonly Uint8Array[] | Uint8Array;
  /** `[height, width]` of each image (default `[28, 28]`). */
  readonly imageShape?: readonly [number, number];
  /** Number of classes (default 10). */
  readonly classes?: number;
  readonly classNames?: readonly string[];
  /** What was evaluated, for the subtitle (default `"test set"`). */
  readonly datasetName?: string;
  /** Model summary rows (`Sequential.summary()`): one table row each, columns from the keys. */
  readonly summaryRows?: readonly Readonly<Record<string, unknown>>[];
  /** Training history, one record per epoch (`{epoch, trainLoss, validationAccuracy, …}` or nested). */
  readonly history?: readonly object[];
  readonly firstLayer?: FirstLayerWeights;
  /** Facts shown as a list under the title: optimizer, seed, training time… */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** Timestamp text for the footer (the report stays reproducible when omitted). */
  readonly generatedAt?: string;
  /** Where the numbers come from: the nnkit version, the date and a hash of the evaluated data. */
  readonly provenance?: { readonly version: string; readonly date: string; readonly dataHash: string };
  /** Most misclassified images shown in the gallery (default 60). */
  readonly galleryLimit?: number;
}

/** `validationAccuracy` → `validation accuracy`, for column headers. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
const percent = (value: number, digits = 2) => `${(value * 100).toFixed(digits)}%`;
const integer = (value: number) => value.toLocaleString('en-US');

function imageReader(input: ReportInput, count: number): ((index: number) => Uint8Array) | null {
  const images = input.images;
  if (!images) return null;
  const [height, width] = input.imageShape ?? [28, 28];
  const size = height * width;
  if (images instanceof Uint8Array) {
    if (images.length !== count * size) {
      throw new Error(`renderReportHtml: images has ${images.length} bytes; expected ${count} images of ${height}×${width}`);
    }
    return (index) => images.subarray(index * size, (index + 1) * size);
  }
  if (images.length !== count) throw new Error(`renderReportHtml: ${images.length} images for ${count} labels`);
  images.forEach((image, index) => {
    if (image.length !== size) throw new Error(`renderReportHtml: images[${index}] has ${image.length} bytes; expected ${size}`);
  });
  return (index) => images[index];
}

function section(title: string, body: string, note = ''): string {
  return `<section class="card"><h2>${escapeXml(title)}</h2>${note ? `<p class="note">${note}</p>` : ''}${body}</section>`;
}

function reportTable(report: ReturnType<typeof classificationReport>, names: readonly string[]): string {
  const cells = (scores: ClassScores) =>
    `<td>${scores.precision.toFixed(3)}</td><td>${scores.recall.toFixed(3)}</td><td>${scores.f1.toFixed(3)}</td><td>${integer(scores.support)}</td>`;
  const worst = Math.min(...report.perClass.map((scores) => scores.f1));
  const rows = report.perClass
    .map(
      (scores, index) =>
        `<tr${scores.f1 === worst ? ' class="worst" title="lowest F1 score"' : ''}><th scope="row">${escapeXml(names[index])}</th>${cells(scores)}</tr>`,
    )
    .join('');
  const pooled = report.microIsAccuracy
    ? `<tr class="summary first"><th scope="row">accuracy</th><td></td><td></td><td>${report.accuracy.toFixed(3)}</td><td>${integer(report.microAverage.support)}</td></tr>`
    : `<tr class="summary first"><th scope="row">micro avg</th>${cells(report.microAverage)}</tr>`;
  return (
    `<table class="numbers report"><thead><tr><th>class</th><th>precision</th><th>recall</th><th>f1-score</th><th>support</th></tr></thead>` +
    `<tbody>${rows}${pooled}<tr class="summary"><th scope="row">macro avg</th>${cells(report.macroAverage)}</tr>` +
    `<tr class="summary"><th scope="row">weighted avg</th>${cells(report.weightedAverage)}</tr></tbody></table>`
  );
}

function summaryTable(rows: readonly Readonly<Record<string, unknown>>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const show = (value: unknown) =>
    value === undefined || value === null
      ? ''
      : Array.isArray(value)
        ? `[${value.join(', ')}]`
        : typeof value === 'number'
          ? integer(value)
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
  const numeric = new Set(columns.filter((c) => rows.every((row) => typeof row[c] === 'number' || row[c] === undefined)));
  const align = (c: string) => (numeric.has(c) ? ' class="number"' : '');
  return (
    `<table class="summary-table"><thead><tr>${columns.map((c) => `<th${align(c)}>${escapeXml(words(c))}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${columns.map((c) => `<td${align(c)}>${escapeXml(show(row[c]))}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>`
  );
}

function historySection(history: readonly object[]): string {
  const table = historyTable(history);
  const loss = historySeries(table, 'loss');
  const accuracySeries = historySeries(table, 'accuracy');
  const asPercent = accuracySeries.every((line) => line.points.every(([, value]) => !(value > 1.0001)));
  const charts: string[] = [];
  if (loss.length > 0) {
    charts.push(`<figure class="chart">${lineChartSvg(loss, { title: 'Loss', formatY: (v) => String(Number(v.toPrecision(4))), yMinimum: 0 })}</figure>`);
  }
  if (accuracySeries.length > 0) {
    charts.push(
      `<figure class="chart">${lineChartSvg(accuracySeries, {
        title: 'Accuracy',
        formatY: asPercent ? (v) => `${Number((v * 100).toPrecision(4))}%` : (v) => String(v),
        yMaximum: asPercent ? 1 : undefined,
      })}</figure>`,
    );
  }
  const format = (column: string, value: number) => {
    if (!Number.isFinite(value)) return '–';
    if (column.toLowerCase().endsWith('accuracy') && asPercent) return percent(value);
    if (column.toLowerCase().endsWith('loss')) return value.toFixed(4);
    if (Number.isInteger(value)) return integer(value);
    return Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
  };
  const rows = table.epochs
    .map(
      (epoch, row) =>
        `<tr><td>${epoch}</td>${table.columns.map((column) => `<td>${format(column, table.values[column][row])}</td>`).join('')}</tr>`,
    )
    .join('');
  const tableHtml =
    `<table class="numbers"><thead><tr><th>epoch</th>${table.columns.map((c) => `<th>${escapeXml(words(c))}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows}</tbody></table>`;
  return section(
    'Training history',
    `<div class="grid-2">${charts.join('')}</div>` +
      `<details${table.epochs.length <= 12 ? ' open' : ''}><summary>Per-epoch numbers</summary><div class="scroll">${tableHtml}</div></details>`,
  );
}

function weightsSection(layer: FirstLayerWeights): string {
  const pictures = firstLayerImages(layer);
  if (!pictures) return '';
  const display = pictures.kind === 'conv2d' ? 64 : 84;
  const grid = pictures.images
    .map(
      (image) =>
        `<figure class="weight"><img src="${pngDataUri(image.png)}" width="${display}" height="${Math.round((display * pictures.height) / pictures.width)}" alt="${escapeXml(image.label)}" title="${escapeXml(`${image.label}: |w| ≤ ${image.limit.toPrecision(3)}`)}"><figcaption>${escapeXml(image.label.replace(/^\D+/, ''))}</figcaption></figure>`,
    )
    .join('');
  const what =
    pictures.kind === 'conv2d'
      ? `${pictures.total} convolution filters of ${pictures.height}×${pictures.width}`
      : `incoming weights of ${pictures.images.length < pictures.total ? `the first ${pictures.images.length} of ` : ''}${pictures.total} hidden units, as ${pictures.height}×${pictures.width} images`;
  const gradient = `linear-gradient(to right, ${DIVERGING.map(css).join(', ')})`;
  const legend =
    `<div class="colorbar"><span>negative</span><i style="background:${gradient}"></i><span>positive</span>` +
    `<em>each picture scaled to its own largest |w|; white is 0</em></div>`;
  return section('First-layer weights', `<p class="note">The ${what}.</p>${legend}<div class="weights">${grid}</div>`);
}

/**
 * One self-contained HTML page (CSS inline, charts as inline SVG, images as PNG `data:` URIs,
 * no scripts, no network) describing how a classifier did: headline numbers, confusion matrix,
 * classification report, errors per class, top confusions with examples, training curves,
 * a gallery of misclassified images captioned "true → predicted (p)", first-layer weights and
 * the model summary.
 */
export function renderReportHtml(input: ReportInput): string {
  const classes = input.classes ?? 10;
  const names = input.classNames ?? Array.from({ length: classes }, (_, index) => String(index));
  if (names.length !== classes) throw new Error(`renderReportHtml: classNames has ${names.length} names for ${classes} classes`);
  const { labels, predictions, probabilities } = input;
  const count = labels.length;
  if (probabilities && probabilities.length !== count * classes) {
    throw new Error(`renderReportHtml: probabilities has ${probabilities.length} entries; expected ${count} × ${classes}`);
  }
  const image = imageReader(input, count);
  const [imageHeight, imageWidth] = input.imageShape ?? [28, 28];
  const thumbnail = (index: number, size: number, alt: string) =>
    image
      ? `<img src="${pngDataUri(digitPng(image(index), imageWidth, imageHeight))}" width="${size}" height="${Math.round((size * imageHeight) / imageWidth)}" alt="${escapeXml(alt)}">`
      : '';

  const report = classificationReport(labels, predictions, { classes });
  const matrix = confusionMatrix(labels, predictions, classes);
  const errors = errorsPerClass(labels, predictions, classes);
  const errorCount = errors.reduce((a, b) => a + b, 0);
  const confusions = topConfusions(labels, predictions, { k: 10, classes });
  const confidence = (index: number) => (probabilities ? probabilities[index * classes + predictions[index]] : Number.NaN);

  // Headline numbers.
  const interval = wilsonInterval(count - errorCount, count);
  const kpis: [string, string, string][] = [
    ['Accuracy', percent(report.accuracy), `${integer(count - errorCount)} of ${integer(count)} correct · 95% CI ${percent(interval.low)}–${percent(interval.high)}`],
    ['Errors', integer(errorCount), `${percent(errorCount / count)} error rate`],
    ['Macro F1', report.macroAverage.f1.toFixed(4), 'mean over classes'],
  ];
  if (probabilities) {
    kpis.push(
      ['Log-loss', logLoss(labels, probabilities).toFixed(4), 'mean −log p(true class)'],
      ['Top-2 accuracy', percent(topKAccuracy(labels, probabilities, 2)), 'true class in the top two'],
    );
  }
  const kpiHtml = kpis
    .map(([label, value, hint]) => `<div class="kpi"><div class="label">${label}</div><div class="value">${value}</div><div class="hint">${hint}</div></div>`)
    .join('');
  const provenance = input.provenance ? { 'nnkit version': input.provenance.version, date: input.provenance.date, 'data hash': input.provenance.dataHash } : {};
  const details = Object.entries({ ...(input.details ?? {}), ...provenance })
    .map(([key, value]) => `<div><dt>${escapeXml(key)}</dt><dd>${escapeXml(String(value))}</dd></div>`)
    .join('');

  const parts: string[] = [];
  parts.push(
    `<header><div class="eyebrow">nnkit evaluation report</div><h1>${escapeXml(input.modelName)}</h1>` +
      `<p class="subtitle">${integer(count)} images from the ${escapeXml(input.datasetName ?? 'test set')} · ${classes} classes</p>` +
      (details ? `<dl class="details">${details}</dl>` : '') +
      `</header><div class="kpis">${kpiHtml}</div>`,
  );

  parts.push(
    section(
      'Confusion matrix and per-class scores',
      `<div class="grid-2 matrix-row"><div class="cm-toggle">` +
        `<input type="radio" name="cm-view" id="cm-counts" checked><label for="cm-counts">counts</label>` +
        `<input type="radio" name="cm-view" id="cm-rows"><label for="cm-rows">% of each true label</label>` +
        `<figure class="chart cm-counts">${confusionMatrixSvg(matrix, names)}</figure>` +
        `<figure class="chart cm-rows">${confusionMatrixSvg(matrix, names, { rowShares: true })}</figure></div>` +
        `<div><div class="scroll">${reportTable(report, names)}</div>` +
        `<details><summary>Text report (scikit-learn layout)</summary><pre>${escapeXml(formatReportText(report, { classNames: names, digits: 4 }))}</pre></details></div></div>`,
      'Rows are the true label, columns the prediction. Blue cells are correct; orange-red cells are mistakes, darker for more.',
    ),
  );

  // Errors per class and the most frequent confusions with example images.
  const examplesOf = (label: number, predicted: number, limit: number) => {
    const found: number[] = [];
    for (let i = 0; i < count && found.length < limit * 8; i++) if (labels[i] === label && predictions[i] === predicted) found.push(i);
    if (probabilities) found.sort((a, b) => confidence(b) - confidence(a));
    return found.slice(0, limit);
  };
  const confusionRows = confusions
    .map(({ label, predicted, count: pairCount }) => {
      const share = errors[label] > 0 ? pairCount / errors[label] : 0;
      const examples = image
        ? examplesOf(label, predicted, 4)
            .map((index) => thumbnail(index, 32, `true ${names[label]}, predicted ${names[predicted]}`))
            .join('')
        : '';
      return (
        `<tr><td class="pair"><b>${escapeXml(names[label])}</b> → <b class="wrong">${escapeXml(names[predicted])}</b></td>` +
        `<td>${pairCount}</td><td>${percent(share, 0)}</td>${image ? `<td class="examples">${examples}</td>` : ''}</tr>`
      );
    })
    .join('');
  const confusionTable = confusions.length
    ? `<div class="scroll"><table class="numbers confusions"><thead><tr><th>true → predicted</th><th>count</th><th title="share of this class's errors">of errors</th>${image ? '<th class="left">examples</th>' : ''}</tr></thead><tbody>${confusionRows}</tbody></table></div>`
    : '<p class="note">No mistakes.</p>';
  parts.push(
    section(
      'Where the mistakes are',
      `<div class="grid-2"><figure class="chart"><h3>Misclassified per true class</h3>${errorHistogramSvg(errors, { classNames: names, supports: report.perClass.map((s) => s.support) })}</figure>` +
        `<div><h3>Most frequent confusions</h3>${confusionTable}</div></div>`,
    ),
  );

  if (probabilities) {
    const calibration = reliability(labels, probabilities, classes);
    const curves = names.map((_, target) => precisionRecallCurve(labels, probabilities, classes, target));
    parts.push(
      section(
        'Confidence',
        `<div class="grid-2"><figure class="chart">${reliabilitySvg(calibration.bins, calibration.expectedCalibrationError)}</figure>` +
          `<figure class="chart">${precisionRecallSvg(curves, names)}</figure></div>`,
        'Left: of the examples given a top probability in each range, the share classified right (bars) — on the dashed diagonal the probabilities mean what they say; below, how many examples each range holds. Right: each class against the rest as its probability threshold falls; AP is the average precision.',
      ),
    );
  }

  if (input.history && input.history.length > 0) parts.push(historySection(input.history));

  if (image && errorCount > 0) {
    const limit = input.galleryLimit ?? 60;
    const wrong: number[] = [];
    for (let i = 0; i < count; i++) if (labels[i] !== predictions[i]) wrong.push(i);
    if (probabilities) wrong.sort((a, b) => confidence(b) - confidence(a) || a - b);
    const shown = wrong.slice(0, limit);
    const cards = shown
      .map((index) => {
        const p = confidence(index);
        const caption =
          `<span class="t">${escapeXml(names[labels[index]])}</span> → <span class="wrong">${escapeXml(names[predictions[index]])}</span>` +
          (Number.isFinite(p) ? ` <span class="p">(${p.toFixed(2)})</span>` : '') +
          (probabilities
            ? `<span class="top3">${topClasses(probabilities, classes, index, 3)
                .map(({ label, probability }) => `<span${label === labels[index] ? ' class="truth"' : ''}>${escapeXml(names[label])} ${probability.toFixed(2)}</span>`)
                .join('')}</span>`
            : '');
        return `<figure class="digit" title="#${index}">${thumbnail(index, 56, `image ${index}: true ${names[labels[index]]}, predicted ${names[predictions[index]]}`)}<figcaption>${caption}</figcaption></figure>`;
      })
      .join('');
    const order = probabilities
      ? 'most confident mistakes first; (p) is the probability given to the wrong class, and below it the three most probable classes (the true one underlined)'
      : 'in dataset order';
    parts.push(
      section(
        'Misclassified images',
        `<div class="gallery">${cards}</div>`,
        `Showing ${shown.length} of ${integer(wrong.length)}, ${order}. Captions read true → predicted.`,
      ),
    );
  }

  if (input.firstLayer) parts.push(weightsSection(input.firstLayer));
  if (input.summaryRows && input.summaryRows.length > 0) {
    parts.push(section('Model', `<div class="scroll">${summaryTable(input.summaryRows)}</div>`));
  }
  parts.push(
    `<footer>Generated by nnkit${input.provenance ? ` ${escapeXml(input.provenance.version)}` : ''}${input.generatedAt ? ` on ${escapeXml(input.generatedAt)}` : ''}. ` +
      `This page is self-contained: it needs no network and no scripts.</footer>`,
  );

  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeXml(input.modelName)} · nnkit report</title><style>${STYLE}</style></head>` +
    `<body><main class="page">${parts.join('')}</main></body></html>\n`
  );
}

const STYLE = `
:root{color-scheme:light;--ink:#1f2328;--muted:#57606a;--faint:#6e7781;--line:#d0d7de;--soft:#eaeef2;--wrong:#cf222e;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
.page{max-width:1180px;margin:0 auto;padding:36px 28px 48px}
header .eyebrow{font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:var(--accent)}
h1{font-size:30px;line-height:1.2;margin:4px 0 4px;font-weight:700}
.subtitle{margin:0;color:var(--muted)}
.details{display:flex;flex-wrap:wrap;gap:6px 22px;margin:14px 0 0}
.details div{display:flex;gap:6px}.details dt{color:var(--muted)}.details dd{margin:0;font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:14px;margin-top:22px}
.kpi{background:#fff;border:1px solid var(--line);border-radius:12px;padding:14px 18px}
.kpi .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em;font-weight:600}
.kpi .value{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.25;margin-top:2px}
.kpi .hint{font-size:12px;color:var(--faint)}
.card{background:#fff;border:1px solid var(--line);border-radius:14px;padding:22px 26px 24px;margin-top:22px}
h2{font-size:19px;margin:0 0 4px}
h3{font-size:14px;margin:0 0 10px;color:var(--muted);font-weight:600}
.note{color:var(--muted);margin:0 0 16px}
.grid-2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:28px;align-items:start;margin-top:14px}
.matrix-row{grid-template-columns:minmax(0,560px) minmax(360px,1fr)}
@media (max-width:1000px){.matrix-row{grid-template-columns:minmax(0,1fr)}}
figure{margin:0}
.chart svg{display:block}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:5px 10px;border-bottom:1px solid var(--soft);text-align:right;white-space:nowrap}
thead th{color:var(--muted);font-weight:600;font-size:12px;border-bottom:1px solid var(--line)}
th:first-child,td:first-child,th.left{text-align:left}
tbody th{font-weight:600}
table.report tr.worst td:nth-child(4){color:var(--wrong);font-weight:600}
table.report tr.summary th,table.report tr.summary td{font-weight:600;background:#f6f8fa}
table.report tr.summary.first th,table.report tr.summary.first td{border-top:2px solid var(--line)}
.confusions td.pair{font-size:15px}
.confusions td.examples{text-align:left;padding-top:3px;padding-bottom:3px}
.confusions td.examples img{margin-right:4px;vertical-align:middle}
.wrong{color:var(--wrong)}
img{image-rendering:pixelated;image-rendering:crisp-edges}
.confusions img,.digit img{border:1px solid var(--soft);border-radius:3px}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(84px,1fr));gap:10px}
.digit{text-align:center;padding:8px 4px 4px;border:1px solid var(--soft);border-radius:10px;background:#fff}
.digit img{display:block;margin:0 auto 4px}
.digit figcaption{font-size:13px;font-weight:600;white-space:nowrap}
.digit .p{color:var(--faint);font-weight:400;font-size:12px}
.digit .top3{display:block;font-size:11px;font-weight:400;color:var(--muted);white-space:normal;line-height:1.3}
.digit .top3 span{display:inline-block;margin:0 3px}.digit .top3 .truth{text-decoration:underline;color:var(--ink)}
.cm-toggle input{position:absolute;opacity:0}.cm-toggle label{display:inline-block;padding:4px 10px;margin:0 6px 10px 0;border:1px solid var(--line);border-radius:14px;font-size:12px;cursor:pointer;color:var(--muted)}
.cm-toggle input:checked+label{background:var(--accent);border-color:var(--accent);color:#fff}.cm-toggle input:focus-visible+label{outline:2px solid var(--accent);outline-offset:2px}
.cm-rows{display:none}#cm-rows:checked~.cm-rows{display:block}#cm-rows:checked~.cm-counts{display:none}
.weights{display:flex;flex-wrap:wrap;gap:12px}
.weight{text-align:center}.weight img{display:block;border:1px solid var(--soft)}
.weight figcaption{font-size:11px;color:var(--faint)}
.colorbar{display:flex;align-items:center;gap:8px;margin:-4px 0 16px;font-size:12px;color:var(--muted)}
.colorbar i{display:inline-block;width:180px;height:10px;border-radius:2px}
.colorbar em{font-style:normal;color:var(--faint);margin-left:12px}
details{margin-top:14px}summary{cursor:pointer;color:var(--accent);font-weight:600;font-size:13px}
pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;background:#f6f8fa;border:1px solid var(--soft);border-radius:8px;padding:12px;overflow:auto}
.scroll{overflow-x:auto}
.summary-table{width:auto;min-width:60%}.summary-table td,.summary-table th{text-align:left;padding-right:28px}.summary-table .number{text-align:right}
footer{margin-top:28px;color:var(--faint);font-size:12px;text-align:center}
svg{max-width:100%;height:auto}
@media (max-width:600px){.page{padding:18px 10px 32px}.card{padding:14px 12px 16px;border-radius:10px}h1{font-size:24px}th,td{padding:4px 6px}.matrix-row{grid-template-columns:minmax(0,1fr)}.kpi .value{font-size:22px}.colorbar i{width:100px}.confusions td.examples img{width:36px;height:36px}}
@media print{body{background:#fff}.card,.kpi{break-inside:avoid}}
`;
