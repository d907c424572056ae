import cliProgress from 'cli-progress';
import type { EpochRecord } from '@nnkit/train';
import { percent, type Output } from './output.js';

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

/** A batch as `fit`'s `onBatchEnd` reports it. */
export interface BatchEvent extends BatchFigures {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
}

/**
 * A training run's progress: a bar (or plain lines) through each epoch, then a line per epoch
 * with its scores and the run's ETA from the last three epochs' times (early stopping may end
 * the run sooner). Hand `onBatchEnd`/`onEpochEnd` to `fit`.
 */
export class TrainingProgress {
  private readonly bar: EpochProgress;
  private readonly epochSpeeds: number[] = [];
  private readonly recentSeconds: number[] = [];
  private lastSpeed = 0;
  private currentEpoch = 0;

  constructor(
    private readonly output: Output,
    private readonly epochs: number,
  ) {
    this.bar = new EpochProgress(output);
  }

  readonly onBatchEnd = (event: BatchEvent): void => {
    if (event.epoch !== this.currentEpoch) {
      this.currentEpoch = event.epoch;
      this.bar.start(`epoch ${event.epoch}/${this.epochs}`, event.batches);
    }
    this.bar.update(event.batch, event);
    this.lastSpeed = event.imagesPerSecond;
  };

  readonly onEpochEnd = (record: EpochRecord): void => {
    this.bar.stop();
    this.epochSpeeds.push(this.lastSpeed);
    this.recentSeconds.push(record.seconds);
    this.output.progress(epochLine(record, this.epochs, this.recentSeconds));
  };

  /** Stops the bar (before a message, on an error or on Ctrl-C). */
  stop(): void {
    this.bar.stop();
  }

  /** The mean of the epochs' last reported speeds (0 before the first epoch ends). */
  get imagesPerSecond(): number {
    return this.epochSpeeds.length === 0 ? 0 : this.epochSpeeds.reduce((sum, value) => sum + value, 0) / this.epochSpeeds.length;
  }
}

/** `epoch 3/30: loss 0.1234, train acc 96.10%, …, 4.2 s · ≈ 1m 58s to go`. */
export function epochLine(record: EpochRecord, epochs: number, recentSeconds: readonly number[]): string {
  const scores = [
    `loss ${record.trainLoss.toFixed(4)}`,
    `train acc ${percent(record.trainAccuracy)}`,
    ...(record.validationAccuracy === undefined ? [] : [`validation acc ${percent(record.validationAccuracy)}`]),
    ...(record.testAccuracy === undefined ? [] : [`test acc ${percent(record.testAccuracy)}`]),
    `η ${record.learningRate.toPrecision(3)}`,
    `${record.seconds.toFixed(1)} s`,
  ];
  const left = epochs - record.epoch;
  const recent = recentSeconds.slice(-3);
  const eta = left > 0 && recent.length > 0 ? ` · ≈ ${formatDuration((1000 * left * recent.reduce((a, b) => a + b, 0)) / recent.length)} to go` : '';
  return `epoch ${record.epoch}/${epochs}: ${scores.join(', ')}${eta}`;
}

/**
 * The last epoch with the highest validation accuracy, as network3.py picks it (`>=`): its
 * "corresponding test accuracy" is the figure Nielsen's chapter 6 reports. Null without validation.
 */
export function bestValidationEpoch(history: readonly EpochRecord[]): { epoch: number; validationAccuracy: number; testAccuracy?: number } | null {
  let best: EpochRecord | null = null;
  for (const record of history) {
    if (record.validationAccuracy !== undefined && (best === null || record.validationAccuracy >= best.validationAccuracy!)) best = record;
  }
  if (best === null) return null;
  return { epoch: best.epoch, validationAccuracy: best.validationAccuracy!, ...(best.testAccuracy === undefined ? {} : { testAccuracy: best.testAccuracy }) };
}
