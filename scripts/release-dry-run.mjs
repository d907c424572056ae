// What the next release would be, without touching this checkout or the registry:
// copies the tracked files into a temporary folder, runs `changeset version` there and prints
// each package's version change and the top of its new CHANGELOG.
//   node scripts/release-dry-run.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const copy = mkdtempSync(join(tmpdir(), 'nnkit-release-'));
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
for (const file of tracked) {
  if (!existsSync(join(root, file))) continue;
  mkdirSync(dirname(join(copy, file)), { recursive: true });
  cpSync(join(root, file), join(copy, file));
}
const packages = tracked.filter((file) => /^packages\/[^/]+\/package\.json$/.test(file));
const before = Object.fromEntries(packages.map((file) => [file, JSON.parse(readFileSync(join(copy, file), 'utf8')).version]));
execFileSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'] });
for (const file of packages) {
  const { name, version } = JSON.parse(readFileSync(join(copy, file), 'utf8'));
  const changelog = readFileSync(join(copy, dirname(file), 'CHANGELOG.md'), 'utf8').split('\n').slice(0, 8).join('\n');
  console.log(`${name}: ${before[file]} → ${version}${before[file] === version ? ' (unchanged)' : ''}`);
  if (before[file] !== version) console.log(changelog.replace(/^/gm, '    '));
}
rmSync(copy, { recursive: true, force: true });
