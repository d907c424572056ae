import type { LineSeries } from './svg-line-chart.js';

/** Per-epoch numbers flattened from training-history records, ready for charts and a table. */
export interface HistoryTable {
  /** x value of each row: the record's `epoch`, or its 1-based position. */
  readonly epochs: readonly number[];
  /** Flattened numeric columns in first-seen order: `loss`, `validationAccuracy`, `seconds`… */
  readonly columns: readonly string[];
  /** `values[column][row]`, NaN where a record lacks the column. */
  readonly values: Readonly<Record<string, readonly number[]>>;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function flatten(record: object, prefix: string, out: Record<string, number>): void {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix ? prefix + capitalize(key) : key;
    if (typeof value === 'number') out[name] = value;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      flatten(value, name, out);
    }
  }
}

/**
 * Flattens history records of any of the usual shapes — `{epoch, trainLoss, validationAccuracy}`,
 * Keras-style `{loss, accuracy, valLoss}` or nested `{epoch, train: {loss, accuracy}}` — into
 * numeric columns keyed by camelCase names.
 */
export function historyTable(history: readonly object[]): HistoryTable {
  const columns: string[] = [];
  const rows = history.map((record) => {
    const flat: Record<string, number> = {};
    flatten(record, '', flat);
    for (const key of Object.keys(flat)) if (key !== 'epoch' && !columns.includes(key)) columns.push(key);
    return flat;
  });
  const epochs = rows.map((row, index) => (Number.isFinite(row.epoch) ? row.epoch : index + 1));
  const values: Record<string, number[]> = {};
  for (const column of columns) values[column] = rows.map((row) => row[column] ?? Number.NaN);
  return { epochs, columns, values };
}

const SERIES_COLORS: Record<string, string> = { train: '#2f6fdf', validation: '#e8710a', test: '#1a9850' };
const OTHER_COLORS = ['#8250df', '#bf3989', '#6e7781', '#0a7ea4'];

/** `trainLoss` → `train`, `loss` → `train` (Keras names the training loss plainly), `valLoss` → `validation`. */
function seriesName(column: string, suffix: string): string {
  const stem = column.slice(0, column.length - suffix.length);
  if (stem === '' || stem === 'training') return 'train';
  if (stem === 'val' || stem === 'valid') return 'validation';
  return stem.charAt(0).toLowerCase() + stem.slice(1);
}

/** Columns ending in `loss` or `accuracy` (case-insensitive) as one line per data split. */
export function historySeries(table: HistoryTable, metric: 'loss' | 'accuracy'): LineSeries[] {
  let other = 0;
  return table.columns
    .filter((column) => column.toLowerCase().endsWith(metric))
    .map((column) => {
      const name = seriesName(column, metric);
      const color = SERIES_COLORS[name] ?? OTHER_COLORS[other++ % OTHER_COLORS.length];
      return {
        name,
        color,
        points: table.epochs.map((epoch, row) => [epoch, table.values[column][row]] as const),
      };
    })
    .filter((line) => line.points.some(([, value]) => Number.isFinite(value)));
}
