// Extracts the TypeScript examples of the READMEs and docs/ into examples/ (gitignored), one
// module per code block, so that `tsc` type-checks them and examples.test.ts runs them.
// A block's info string says what happens to it:
//   ```ts            type-checked and run
//   ```ts typecheck  type-checked only (it trains for minutes)
//   ```ts sketch     neither (an excerpt of an interface, or code with names the reader supplies)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');
const output = join(import.meta.dirname, 'examples');
const folders = ['packages', 'apps', 'tooling'];

/** The markdown files whose examples are checked. */
export function markdownFiles() {
  const files = [join(root, 'README.md')];
  for (const folder of folders) {
    for (const name of readdirSync(join(root, folder))) {
      const readme = join(root, folder, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(join(root, 'docs', name));
  return files;
}

/** `{source, line, mode, code}` for every ts block of `text`. */
export function codeBlocks(text, source) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)(?:\s+(\w+))?\s*$/.exec(lines[i]);
    if (open === null) continue;
    const indent = open[1].length;
    const mode = open[3] ?? 'run';
    if (!['run', 'typecheck', 'sketch'].includes(mode)) throw new Error(`${source}:${i + 1}: unknown example mode '${mode}' (expected typecheck or sketch)`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    if (end === lines.length) throw new Error(`${source}:${i + 1}: code block never closed`);
    blocks.push({ source, line: i + 1, mode, code: lines.slice(start, end).map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n') });
    i = end;
  }
  return blocks;
}

/** Writes examples/<file>-<line>.ts for each checked block; returns their descriptions. */
export function extractExamples() {
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  const examples = [];
  for (const file of markdownFiles()) {
    const source = relative(root, file);
    for (const block of codeBlocks(readFileSync(file, 'utf8'), source)) {
      if (block.mode === 'sketch') continue;
      const name = `${source.replace(/\/README\.md$|\.md$/, '').replace(/[^a-z0-9]+/gi, '-')}-line-${block.line}.ts`;
      writeFileSync(join(output, name), `// From ${source}:${block.line} (extracted by tooling/readme-examples; edit the markdown)\n${block.code}\nexport {};\n`);
      examples.push({ ...block, file: join(output, name) });
    }
  }
  writeFileSync(join(output, 'index.json'), `${JSON.stringify(examples.map(({ source, line, mode, file }) => ({ source, line, mode, file: relative(output, file) })), null, 2)}\n`);
  return examples;
}

if (process.argv[1] === import.meta.filename) {
  const examples = extractExamples();
  console.log(`readme examples: ${examples.length} extracted (${examples.filter((example) => example.mode === 'run').length} to run)`);
}
