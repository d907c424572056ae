import cliProgress from 'cli-progress';

/** Where a command writes: results to stdout, progress to stdout or (with --json) stderr. */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** A human-readable line of results (suppressed by --json; --quiet keeps it). */
  line(text: string): void;
  /** A progress line for logs (suppressed by --quiet). */
  progress(text: string): void;
  /** The final JSON object: the last line on stdout. */
  result(value: unknown): void;
  /** Colour only on a terminal, never with NO_COLOR. */
  color(code: 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan', text: string): string;
  readonly progressStream: NodeJS.WriteStream;
}

const codes = { bold: [1, 22], dim: [2, 22], green: [32, 39], red: [31, 39], yellow: [33, 39], cyan: [36, 39] } as const;

export function createOutput(options: { json?: boolean; quiet?: boolean }): Output {
  const json = Boolean(options.json);
  const quiet = Boolean(options.quiet);
  // With --json, stdout is reserved for the result so it can be piped; progress goes to stderr.
  const progressStream = json ? process.stderr : process.stdout;
  const colorful = progressStream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return {
    json,
    quiet,
    progressStream,
    line(text) {
      if (!json) process.stdout.write(`${text}\n`);
    },
    progress(text) {
      if (!quiet) progressStream.write(`${text}\n`);
    },
    result(value) {
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
    },
    color(code, text) {
      if (!colorful) return text;
      const [open, close] = codes[code];
      return `\u001b[${open}m${text}\u001b[${close}m`;
    },
  };
}

/** Figures shown beside a training progress bar. */
export interface BatchFigures {
  readonly loss: number;
  readonly accuracy: number;
  readonly imagesPerSecond: number;
}

/**
 * Per-epoch progress: a live bar with ETA on a terminal, otherwise a plain line at every tenth
 * of the epoch (readable in logs and CI).
 */
export class EpochProgress {
  private bar: cliProgress.SingleBar | null = null;
  private nextPlainReport = 0;
  private total = 0;
  private label = '';
  /** The first update of the epoch (batch and time): the rate for the plain lines' ETA. */
  private first: { done: number; at: number } | null = null;

  constructor(private readonly output: Output) {}

  start(label: string, total: number): void {
    this.stop();
    this.label = label;
    this.total = total;
    this.first = null;
    this.nextPlainReport = Math.max(1, Math.ceil(total / 10));
    if (this.output.quiet) return;
    if (this.output.progressStream.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.output.progressStream,
          format: `${label} {bar} {percentage}% | loss {loss} | acc {accuracy} | {speed} img/s | ETA {eta_formatted}`,
          barCompleteChar: '\u2588',
          barIncompleteChar: '\u2591',
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { loss: '-', accuracy: '-', speed: '-' });
    }
  }

  update(done: number, figures: BatchFigures): void {
    const payload = {
      loss: figures.loss.toFixed(4),
      accuracy: `${(figures.accuracy * 100).toFixed(1)}%`,
      speed: Math.round(figures.imagesPerSecond).toLocaleString('en-US'),
    };
    if (this.bar) {
      this.bar.update(done, payload);
    } else if (!this.output.quiet) {
      const now = performance.now();
      // A resumed epoch starts part-way: time the batches since the first one seen.
      if (this.first === null) this.first = { done, at: now };
      if (done < this.nextPlainReport && done !== this.total) return;
      const percent = Math.round((done / this.total) * 100);
      const timed = done - this.first.done;
      const eta = done === this.total ? '' : timed > 0 ? ` | ETA ${formatDuration(((now - this.first.at) / timed) * (this.total - done))}` : '';
      this.output.progress(
        `${this.label} ${String(percent).padStart(3)}% | batch ${done}/${this.total} | loss ${payload.loss} | acc ${payload.accuracy} | ${payload.speed} img/s${eta}`,
      );
      while (this.nextPlainReport <= done) this.nextPlainReport += Math.max(1, Math.ceil(this.total / 10));
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** A duration for a progress line: 42s, 6m 05s, 2h 10m. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
