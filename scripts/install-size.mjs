// Installs each packed @nnkit package, alone, in a fresh project outside the repository and
// prints the size of its node_modules: what a user of that one package downloads.
//   node scripts/install-size.mjs [tarball-folder]   (default: packs the workspace first)
// Sibling @nnkit packages come from the same folder (npm `overrides`), everything else from
// the registry, as a user would get it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
let folder = process.argv[2] === undefined ? undefined : resolve(process.argv[2]);
if (folder === undefined) {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-pack-'));
  execFileSync('pnpm', ['-r', '--filter', './packages/*', 'exec', 'pnpm', 'pack', '--pack-destination', folder], { cwd: root, stdio: 'ignore' });
}
const tarballs = readdirSync(folder).filter((name) => name.endsWith('.tgz'));
const nameOf = (file) => `@nnkit/${file.replace(/^nnkit-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`;
const overrides = Object.fromEntries(tarballs.map((file) => [nameOf(file), `file:${join(folder, file)}`]));

console.log('| package | node_modules |');
console.log('|---|---|');
for (const file of tarballs.sort()) {
  const project = mkdtempSync(join(tmpdir(), 'nnkit-install-'));
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { [nameOf(file)]: `file:${join(folder, file)}` }, overrides }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'ignore' });
  const size = execFileSync('du', ['-sh', 'node_modules'], { cwd: project, encoding: 'utf8' }).split('\t')[0];
  console.log(`| \`${nameOf(file)}\` | ${size} |`);
  rmSync(project, { recursive: true, force: true });
}
