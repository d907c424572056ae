// Fresh projects as a user of the published packages makes them: the workspace packed as
// `pnpm publish` would send it, and a scratch folder outside the repository that installs some
// of those tarballs with npm. Sibling @nnkit packages come from the same tarballs (npm
// `overrides`, since nothing is published), everything else from the registry.
// Used by scripts/install-size.mjs and scripts/scratch-install.mjs.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository's root folder. */
export const root = resolve(import.meta.dirname, '..');

/** `{name, version, path, manifest}` of every workspace package that is published (not private). */
export function publishedPackages() {
  const found = [];
  for (const folder of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, folder)).sort()) {
      const manifestPath = join(root, folder, name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private !== true) found.push({ name: manifest.name, version: manifest.version, path: `${folder}/${name}`, manifest });
    }
  }
  return found;
}

/** The tarball file `pnpm pack` names for a package: `@nnkit/tensor` 0.1.0 → nnkit-tensor-0.1.0.tgz. */
const tarballName = ({ name, version }) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/**
 * Packs every published package into `folder` (a new temporary folder when omitted; the
 * packages must be built) and returns a Map from package name to tarball path. With `pack`
 * false, the tarballs already in `folder` are used.
 */
export function packPackages(folder = mkdtempSync(join(tmpdir(), 'nnkit-pack-')), { pack = true } = {}) {
  const packages = publishedPackages();
  if (pack) {
    const filters = packages.flatMap(({ name }) => ['--filter', name]);
    // The pnpm running this script (`pnpm run …`, as CI does through npx), else the one on the PATH.
    const pnpm = /pnpm/.test(process.env.npm_execpath ?? '') ? [process.execPath, process.env.npm_execpath] : ['pnpm'];
    execFileSync(pnpm[0], [...pnpm.slice(1), '-r', ...filters, 'pack', '--pack-destination', folder], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const tarballs = new Map();
  for (const entry of packages) {
    const file = join(folder, tarballName(entry));
    if (!existsSync(file)) throw new Error(`${file}: no tarball for ${entry.name} ${entry.version} (pack the workspace first)`);
    tarballs.set(entry.name, file);
  }
  return tarballs;
}

/**
 * Creates a scratch project (an ESM `package.json`, outside the repository) whose dependencies
 * are `dependencies` (`{name: range}`; an @nnkit name takes its tarball) and returns its folder.
 */
export function createScratchProject(dependencies, tarballs) {
  const project = mkdtempSync(join(tmpdir(), 'nnkit-scratch-'));
  const local = (name) => (tarballs.has(name) ? `file:${tarballs.get(name)}` : undefined);
  const manifest = {
    name: 'scratch',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(Object.entries(dependencies).map(([name, range]) => [name, local(name) ?? range])),
    overrides: Object.fromEntries([...tarballs.keys()].map((name) => [name, local(name)])),
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return project;
}

const run = promisify(execFile);

/** `npm install` in a scratch project, from the npm cache where it can. */
export async function npmInstall(project) {
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
}

/** Runs `task` on every item, at most `limit` at a time; the results in the items' order. */
export async function inParallel(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
