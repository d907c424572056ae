// Ships the record network with the app: the repository's models/record.json and the .bin it
// names are copied into public/models/record (gitignored), so `vite` serves them and `vite build`
// copies them into dist. Nothing happens when the model is not there.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** `source` (an nnkit binary-form model) and the weight shards it names. */
function recordModelFiles(source: string): string[] {
  const { weightsManifest } = JSON.parse(readFileSync(source, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  return [source, ...(weightsManifest ?? []).flatMap((group) => group.paths.map((path) => join(dirname(source), path)))];
}

/** What choosing the record network fetches, e.g. "1.3 MB" (its files' bytes in 10⁶), or null when there is no model. */
export function recordModelSize(source: string): string | null {
  if (!existsSync(source)) return null;
  const bytes = recordModelFiles(source).reduce((sum, file) => sum + statSync(file).size, 0);
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Copies `source` (an nnkit binary-form model) and its weight shards into `outputDirectory` unless up to date. */
export function writeRecordModel(source: string, outputDirectory: string): string[] {
  if (!existsSync(source)) return [];
  const files = recordModelFiles(source);
  mkdirSync(outputDirectory, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    const target = join(outputDirectory, basename(file));
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(file).mtimeMs && statSync(target).size === statSync(file).size) continue;
    copyFileSync(file, `${target}.partial`);
    renameSync(`${target}.partial`, target);
    written.push(target);
  }
  return written;
}

/** Vite plugin: puts the record network into public/models/record before serving or building. */
export function recordModelAssets(source: string, outputDirectory: string): Plugin {
  return {
    name: 'nnkit-record-model',
    buildStart() {
      const written = writeRecordModel(source, outputDirectory);
      if (written.length > 0) this.info(`copied the record network into ${outputDirectory}`);
    },
  };
}
