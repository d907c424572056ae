/** Where and why a data file was rejected; every field is also in the one-line message. */
export interface DatasetErrorDetails {
  /** The file (or URL, or name given by the caller) being read. */
  readonly file: string;
  /** Byte offset from the start of the (decompressed) file, for binary formats (IDX, PNG). */
  readonly offset?: number;
  /** 1-based line number, for text formats (CSV). */
  readonly line?: number;
  /** Column (field) name, for CSV: `"label"`, `"pixel300"`. */
  readonly column?: string;
  /** What was found there, short: `"0x00000802"`, `"\"25x\""`. */
  readonly found?: string;
  /** What a valid file has there: `"magic number 0x00000803 (IDX images)"`. */
  readonly expected: string;
}

/**
 * A malformed or inconsistent data file. The message is one line:
 * `train.csv: line 17, column pixel300: found "25x"; expected an integer 0–255`.
 */
export class DatasetError extends Error {
  readonly file: string;
  readonly offset: number | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly found: string | undefined;
  readonly expected: string;

  constructor(details: DatasetErrorDetails) {
    super(formatDatasetError(details));
    this.name = 'DatasetError';
    this.file = details.file;
    this.offset = details.offset;
    this.line = details.line;
    this.column = details.column;
    this.found = details.found;
    this.expected = details.expected;
  }
}

function formatDatasetError(details: DatasetErrorDetails): string {
  const place: string[] = [];
  if (details.offset !== undefined) place.push(`byte ${details.offset}`);
  if (details.line !== undefined) place.push(`line ${details.line}`);
  if (details.column !== undefined) place.push(`column ${details.column}`);
  const where = place.length > 0 ? `${details.file}: ${place.join(', ')}` : details.file;
  const found = details.found === undefined ? '' : `found ${oneLine(details.found, 60)}; `;
  return `${where}: ${found}expected ${oneLine(details.expected, 400)}`;
}

/** Keeps messages on one line and short even when the offending bytes are neither. */
function oneLine(text: string, limit: number): string {
  const flat = text.replace(/[\r\n\t]/g, (c) => (c === '\t' ? '\\t' : c === '\r' ? '\\r' : '\\n'));
  return flat.length > limit ? `${flat.slice(0, limit - 3)}...` : flat;
}
