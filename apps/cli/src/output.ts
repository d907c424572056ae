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

/** C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what a terminal shows. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but sparing the SGR colour sequences `color()` writes (`ESC [ 1 m`). */
const CONTROL_BUT_COLOR = /\u001b(?!\[[\d;]*m)|[\u0000-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeOne = (character: string): string =>
  named[character] ?? `\\${character.charCodeAt(0) < 0x100 ? `x${character.charCodeAt(0).toString(16).padStart(2, '0')}` : `u${character.charCodeAt(0).toString(16)}`}`;

/**
 * Text from a file made safe for a terminal, on one line: control characters (ESC, BEL, NUL,
 * newlines…) and bidirectional overrides become visible escapes (`\x1b`, `\n`, `\u202e`).
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Lines of output made safe: escapes as in `escapeControl`, keeping newlines and (when `color`) SGR codes. */
function safeLines(text: string, color: boolean): string {
  return text
    .split('\n')
    .map((line) => (color ? line.replace(CONTROL_BUT_COLOR, escapeOne) : escapeControl(line)))
    .join('\n');
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
      if (!json) results.write(`${safeLines(text, colorful)}\n`);
    },
    progress(text) {
      if (!quiet) progressStream.write(`${safeLines(text, colorful)}\n`);
    },
    result(value) {
      // JSON escapes C0 controls itself; C1 ones and the overrides stay raw unless escaped.
      if (json) results.write(`${JSON.stringify(value).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
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
