// Runs every README and docs/ example marked to run (see extract.mjs), each in a fresh folder
// holding a model file, as a reader would after `nnkit train --out model.json`.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Example {
  readonly source: string;
  readonly line: number;
  readonly mode: 'run' | 'typecheck';
  readonly file: string;
}

const folder = join(import.meta.dirname, 'examples');
const examples = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8')) as Example[];
const model = join(import.meta.dirname, '../../apps/playground/public/models/default.json');
const home = process.cwd();

afterEach(() => {
  process.chdir(home);
  vi.restoreAllMocks();
});

describe('README and docs examples', () => {
  it('finds the examples', () => {
    expect(examples.filter((example) => example.mode === 'run').length).toBeGreaterThanOrEqual(8);
  });

  for (const example of examples.filter((entry) => entry.mode === 'run')) {
    it(`${example.source}:${example.line} runs`, async () => {
      const directory = mkdtempSync(join(tmpdir(), 'nnkit-example-'));
      copyFileSync(model, join(directory, 'model.json'));
      process.chdir(directory);
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(pathToFileURL(join(folder, example.file)).href);
      } finally {
        process.chdir(home);
        rmSync(directory, { recursive: true, force: true });
      }
      // Every runnable example shows its result.
      expect(log).toHaveBeenCalled();
    });
  }
});

describe('package READMEs', () => {
  const packages = join(import.meta.dirname, '../../packages');
  for (const name of readdirSync(packages)) {
    it(`packages/${name}/README.md links to its API reference page`, () => {
      const manifest = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as { name: string };
      const page = `docs/api/modules/${manifest.name.replace('@nnkit/', '_nnkit_')}.html`;
      expect(readFileSync(join(packages, name, 'README.md'), 'utf8')).toContain(`](../../${page})`);
    });
  }
});
