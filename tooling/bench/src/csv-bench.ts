import { encodeKaggleCsv, parseKaggleCsv } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { timeIt } from './timing.js';

/** What the Kaggle CSV benchmark measured, JSON-ready. */
export interface CsvBenchResult {
  readonly rows: number;
  readonly megabytes: number;
  /** Median wall-clock time of one `parseKaggleCsv` of the whole file. */
  readonly parseMilliseconds: number;
  readonly parseMegabytesPerSecond: number;
  /** Mean CPU time (user + system) of one parse: close to the unloaded time on a busy machine. */
  readonly parseCpuMilliseconds: number;
  /** Median time of one `encodeKaggleCsv` (the writer), for comparison. */
  readonly encodeMilliseconds: number;
}

/** How big a file and how many timed runs. */
export interface CsvBenchOptions {
  /** Rows of the generated train.csv (default 42 000, the size of Kaggle's; at most 60 000). */
  readonly rows?: number;
  /** Timed runs per measurement (the median is reported; default 5). */
  readonly runs?: number;
}

/**
 * Builds Kaggle's train.csv in memory from the first `rows` MNIST training images
 * (`label,pixel0,…,pixel783`, ≈ 76 MB for 42 000 rows), then times parsing it back; the parse
 * is checked against the source bytes so a fast wrong parser cannot pass.
 */
export function runCsvBench(options: CsvBenchOptions = {}): CsvBenchResult {
  const rows = options.rows ?? 42_000;
  const runs = options.runs ?? 5;
  const { train } = loadMnist({ limit: rows });
  let csv: Uint8Array = new Uint8Array(0);
  const encode = timeIt(() => {
    csv = encodeKaggleCsv(train);
  }, { runs: Math.min(runs, 3) });
  let parsed = train;
  let parses = 0;
  const cpuBefore = process.cpuUsage();
  const parse = timeIt(() => {
    parsed = parseKaggleCsv(csv, 'train.csv');
    parses++;
  }, { runs });
  const cpu = process.cpuUsage(cpuBefore);
  if (parsed.count !== train.count || Buffer.compare(Buffer.from(parsed.images), Buffer.from(train.images)) !== 0) {
    throw new Error('csv-bench: parsed images differ from the source images');
  }
  const megabytes = csv.length / 1e6;
  return {
    rows: train.count,
    megabytes,
    parseMilliseconds: parse.medianMilliseconds,
    parseMegabytesPerSecond: megabytes / (parse.medianMilliseconds / 1000),
    parseCpuMilliseconds: (cpu.user + cpu.system) / 1000 / parses,
    encodeMilliseconds: encode.medianMilliseconds,
  };
}

/** One line for the `pnpm bench` report. */
export function formatCsvBench(result: CsvBenchResult): string {
  return (
    `Kaggle CSV ${result.rows} rows (${result.megabytes.toFixed(1)} MB): parse ${result.parseMilliseconds.toFixed(0)} ms ` +
    `(${result.parseMegabytesPerSecond.toFixed(0)} MB/s; ${result.parseCpuMilliseconds.toFixed(0)} ms CPU), encode ${result.encodeMilliseconds.toFixed(0)} ms`
  );
}
