// The script-tag builds stay small and browser-only: each minified file, gzipped, must fit in
// BUDGET bytes and must not mention a Node built-in (`node:` or `require(`); otherwise this
// exits 1 naming the file. Runs in `pnpm lint`, after the build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 20 * 1024;
const files = ['nnkit-inference.global.js', 'nnkit-inference.js'];
let over = false;
for (const file of files) {
  const path = join(import.meta.dirname, '..', 'dist', file);
  const bytes = readFileSync(path);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  const line = `${file}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`;
  const node = /\brequire\(|["'`]node:/.exec(bytes.toString('utf8'));
  if (node !== null) {
    console.error(`dist/${file}: mentions ${node[0]} at byte ${node.index}; the script-tag build must not need Node`);
    over = true;
  }
  if (gzipped > BUDGET) {
    console.error(`dist/${line}: over budget by ${((gzipped - BUDGET) / 1024).toFixed(1)} KB`);
    over = true;
  } else console.log(line);
}
if (over) process.exit(1);
