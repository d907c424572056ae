// Installs each packed @nnkit package, alone, in a fresh project outside the repository and
// prints the size of its node_modules: what a user of that one package downloads.
//   node scripts/install-size.mjs [tarball-folder]   (default: packs the workspace first)
// Sibling @nnkit packages come from the same folder (npm `overrides`), everything else from
// the registry, as a user would get it (scripts/scratch-project.mjs).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createScratchProject, inParallel, npmInstall, packPackages } from './scratch-project.mjs';

const tarballs = process.argv[2] === undefined ? packPackages() : packPackages(resolve(process.argv[2]), { pack: false });
const names = [...tarballs.keys()].sort();
const sizes = await inParallel(names, 2, async (name) => {
  const project = createScratchProject({ [name]: '' }, tarballs);
  try {
    await npmInstall(project);
    return execFileSync('du', ['-sh', 'node_modules'], { cwd: project, encoding: 'utf8' }).split('\t')[0];
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
console.log('| package | node_modules |');
console.log('|---|---|');
names.forEach((name, index) => console.log(`| \`${name}\` | ${sizes[index]} |`));
