/**
 * Where digit data lives, as written on a command line or in a config file: `mnist` (the
 * embedded copy), `idx:DIR` (a folder of IDX files), `csv:FILE` (a Kaggle CSV) or `folder:DIR`
 * (class subfolders of PNG and JPEG images, read only). The path is
 * everything after the first colon, so `csv:C:\data\train.csv` keeps its drive letter.
 */
export type DataSpec =
  | { readonly kind: 'mnist' }
  | { readonly kind: 'idx'; readonly path: string }
  | { readonly kind: 'csv'; readonly path: string }
  | { readonly kind: 'folder'; readonly path: string };

/** The data-spec kinds, in the order help texts list them. */
export const dataSpecKinds: readonly DataSpec['kind'][] = ['mnist', 'idx', 'csv', 'folder'];

/**
 * A data spec that does not parse. `problem` is the reason without the spec (for callers that
 * name the option themselves); the message is one line, `data "idx": idx needs a folder, as in idx:DIR`.
 * A `RangeError`, as the loaders threw for a bad spec before this class existed.
 */
export class DataSpecError extends RangeError {
  readonly spec: string;
  readonly problem: string;
  constructor(spec: string, problem: string) {
    super(`data "${spec}": ${problem}`);
    this.name = 'DataSpecError';
    this.spec = spec;
    this.problem = problem;
  }
}

/**
 * Parses `mnist`, `idx:DIR`, `csv:FILE` or `folder:DIR`. With `output`, only the writable kinds (`idx:DIR`,
 * `csv:FILE`) are accepted. Throws a `DataSpecError` saying what is wrong.
 */
export function parseDataSpec(text: string, options: { readonly output?: boolean } = {}): DataSpec {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const path = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'mnist') {
    if (options.output) throw new DataSpecError(text, 'the embedded mnist cannot be written; expected idx:DIR or csv:FILE');
    if (colon >= 0) throw new DataSpecError(text, 'mnist takes no path (it is the embedded copy); expected mnist, idx:DIR, csv:FILE or folder:DIR');
    return { kind };
  }
  if (kind === 'idx') {
    if (path === '') throw new DataSpecError(text, 'idx needs a folder, as in idx:DIR');
    return { kind, path };
  }
  if (kind === 'csv') {
    if (path === '') throw new DataSpecError(text, 'csv needs a file, as in csv:FILE');
    return { kind, path };
  }
  if (kind === 'folder') {
    if (options.output) throw new DataSpecError(text, 'an image folder is read, not written; expected idx:DIR or csv:FILE');
    if (path === '') throw new DataSpecError(text, 'folder needs a folder, as in folder:DIR');
    return { kind, path };
  }
  throw new DataSpecError(text, options.output ? 'expected idx:DIR or csv:FILE' : 'expected mnist, idx:DIR, csv:FILE or folder:DIR');
}

/** The text of a data spec: the inverse of `parseDataSpec`. */
export function formatDataSpec(spec: DataSpec): string {
  return spec.kind === 'mnist' ? 'mnist' : `${spec.kind}:${spec.path}`;
}
