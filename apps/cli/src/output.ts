import { STDOUT } from './paths.js';

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

/**
 * The command's output. `out` is where its file goes: with `-` (standard output) every line,
 * the JSON result included, goes to stderr instead, so stdout carries the file alone.
 */
export function createOutput(options: { json?: boolean; quiet?: boolean; out?: string | null }): Output {
  const json = Boolean(options.json);
  const quiet = Boolean(options.quiet);
  const results = options.out === STDOUT ? process.stderr : process.stdout;
  // With --json, stdout is reserved for the result so it can be piped; progress goes to stderr.
  const progressStream = json || options.out === STDOUT ? process.stderr : process.stdout;
  const colorful = progressStream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return {
    json,
    quiet,
    progressStream,
    line(text) {
      if (!json) results.write(`${text}\n`);
    },
    progress(text) {
      if (!quiet) progressStream.write(`${text}\n`);
    },
    result(value) {
      if (json) results.write(`${JSON.stringify(value)}\n`);
    },
    color(code, text) {
      if (!colorful) return text;
      const [open, close] = codes[code];
      return `\u001b[${open}m${text}\u001b[${close}m`;
    },
  };
}

/** A fraction as a percentage with two decimals: `0.9912` → `99.12%`. */
export function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
