// What every published package's manifest carries, so that the next package cannot forget it:
// the Node it needs, its repository, homepage and issue tracker (npm provenance requires the
// repository), its LICENSE, README and CHANGELOG, and arethetypeswrong in its lint.
// A package is published unless it says `"private": true`; every package under packages/ is.
//   node tooling/package-graph/manifests.mjs   one line per problem, exit 1 on any
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const repository = 'https://github.com/nnkit/nnkit';
// ESM only, ES2022 and the Node 20.0 built-ins (createRequire, zlib, worker_threads): nothing
// newer. `require(esm)` (Node ≥ 20.19) is not relied on; CommonJS users are not supported,
// except by @nnkit/mnist, which also ships CommonJS.
const node = '>=20';
const problems = [];
const shown = (value) => (value === undefined ? 'missing' : JSON.stringify(value));

for (const folder of ['packages', 'apps', 'tooling']) {
  for (const name of readdirSync(join(root, folder)).sort()) {
    const path = `${folder}/${name}`;
    const manifestPath = join(root, path, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const where = `${path}/package.json`;
    if (manifest.private === true) {
      if (folder === 'packages') problems.push(`${where}: "private": true, but every package under packages/ is published (private code belongs in tooling/ or apps/)`);
      continue;
    }
    const expect = (ok, problem) => {
      if (!ok) problems.push(`${where}: ${problem}`);
    };
    const lint = manifest.scripts?.lint ?? '';
    expect(typeof manifest.description === 'string' && manifest.description.length > 0, 'no "description"');
    expect(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, 'no "keywords"');
    expect(manifest.type === 'module', `"type" is ${shown(manifest.type)}, expected "module" (the packages are ESM)`);
    expect(manifest.engines?.node === node, `"engines.node" is ${shown(manifest.engines?.node)}, expected "${node}" like every published package`);
    expect(manifest.license === 'MIT', `"license" is ${shown(manifest.license)}, expected "MIT"`);
    expect(manifest.repository?.type === 'git' && manifest.repository?.url === `git+${repository}.git` && manifest.repository?.directory === path,
      `"repository" is ${shown(manifest.repository)}, expected {"type": "git", "url": "git+${repository}.git", "directory": "${path}"}`);
    expect(manifest.homepage === `${repository}/tree/main/${path}#readme`, `"homepage" is ${shown(manifest.homepage)}, expected "${repository}/tree/main/${path}#readme"`);
    expect(manifest.bugs === `${repository}/issues`, `"bugs" is ${shown(manifest.bugs)}, expected "${repository}/issues"`);
    expect(manifest.publishConfig?.access === 'public', '"publishConfig": {"access": "public"} missing (scoped packages are private on npm otherwise)');
    expect(Array.isArray(manifest.files) && manifest.files.includes('dist'), '"files" does not list dist');
    expect(Array.isArray(manifest.files) && manifest.files.includes('CHANGELOG.md'), '"files" does not list CHANGELOG.md');
    for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) expect(existsSync(join(root, path, file)), `no ${file} beside it`);
    expect(/\bpublint\b/.test(lint), 'its "lint" script does not run publint');
    expect(/\battw --pack \./.test(lint), 'its "lint" script does not run arethetypeswrong on the packed package (attw --pack .)');
    expect(manifest.devDependencies?.['@arethetypeswrong/cli'] !== undefined, '@arethetypeswrong/cli is not among its devDependencies');
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`package manifests: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log('package manifests: every published package carries engines, repository, homepage, bugs, LICENSE, CHANGELOG and attw');
