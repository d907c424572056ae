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

  constructor(private readonly output: Output) {}

  start(label: string, total: number): void {
    this.stop();
    this.label = label;
    this.total = total;
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
    } else if (!this.output.quiet && (done >= this.nextPlainReport || done === this.total)) {
      const percent = Math.round((done / this.total) * 100);
      this.output.progress(
        `${this.label} ${String(percent).padStart(3)}% | batch ${done}/${this.total} | loss ${payload.loss} | acc ${payload.accuracy} | ${payload.speed} img/s`,
      );
      while (this.nextPlainReport <= done) this.nextPlainReport += Math.max(1, Math.ceil(this.total / 10));
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
