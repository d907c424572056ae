import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('.', import.meta.url));
const commands = join(source, 'commands/');

/** Every module specifier a TypeScript file imports or re-exports (static and dynamic). */
function importsOf(text: string): string[] {
  const specifiers = [...text.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((match) => match[1]);
}

/** The non-test TypeScript files under `folder`, recursively. */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sourceFiles(join(folder, entry.name));
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [join(folder, entry.name)] : [];
  });
}

describe('the CLI source layout', () => {
  it('finds imports the way the checks below rely on', () => {
    expect(importsOf("import { a } from './train.js';\nimport type {\n  B,\n} from \"../x.js\";\nexport { c } from './eval.js';\nawait import('./y.js');")).toEqual([
      './train.js',
      '../x.js',
      './eval.js',
      './y.js',
    ]);
  });

  it('no command imports another command: what commands share lives in src/', () => {
    const files = sourceFiles(commands);
    expect(files.length).toBeGreaterThan(5);
    const crossings = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('./') || specifier === '.' || /^\.\.\/commands(\/|$)/.test(specifier))
        .map((specifier) => `${file.slice(commands.length)} imports ${specifier}`),
    );
    expect(crossings).toEqual([]);
  });

  it('every file is written through write-file.ts or the atomic writers of @nnkit/datasets/node', () => {
    const direct = /\b(writeFileSync|appendFileSync|createWriteStream|writeSync|writeFile|appendFile)\s*\(/;
    const offenders = sourceFiles(source).filter((file) => direct.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => file.slice(source.length))).toEqual([]);
  });
});
