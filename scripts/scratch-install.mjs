// Each published package as its user meets it: packed, installed with npm in a fresh ESM project
// outside the repository by its README's install command (`pnpm add …`; @nnkit packages from the
// tarballs, the rest from the registry), its README examples type-checked there against the
// installed types (TypeScript, `nodenext` resolution) and the runnable ones run with plain
// `node`. A package with no runnable example is at least imported; an entry with a `require`
// condition is also required from CommonJS.
//   node scripts/scratch-install.mjs [--keep] [@nnkit/name …]   (after `pnpm build`; all packages
//   by default; --keep leaves the projects in the temporary folder)
// One line per package; a failure names the package and what failed, and the exit code is 1.
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { codeBlocks } from '../tooling/readme-examples/extract.mjs';
import { createScratchProject, inParallel, npmInstall, packPackages, publishedPackages, root } from './scratch-project.mjs';

const run = promisify(execFile);
const keep = process.argv.includes('--keep');
const model = join(root, 'apps/playground/public/models/default.json');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');

/** The pinned third-party versions (pnpm-workspace.yaml `catalog:`), for what a README installs. */
const catalog = new Map();
{
  const lines = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  for (let i = lines.indexOf('catalog:') + 1; i > 0 && i < lines.length && /^\s+\S/.test(lines[i]); i++) {
    const entry = /^\s+"?([^"]+?)"?:\s*(\S+)\s*$/.exec(lines[i]);
    if (entry !== null) catalog.set(entry[1], entry[2]);
  }
}

/** The packages a README's install command adds: every `pnpm add` / `npm install` line of its sh blocks. */
function installCommand(readme) {
  const names = [];
  for (const block of readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    for (const line of block[1].split('\n')) {
      const command = /^\s*(?:pnpm add|npm install|npm i)\s+([^#]*)/.exec(line);
      if (command !== null) names.push(...command[1].split(/\s+/).filter((word) => word !== '' && !word.startsWith('-')));
    }
  }
  return names;
}

/** The first line of an error's output that says something (not a stack frame). */
function reason(error) {
  const text = `${error.stderr ?? ''}\n${error.stdout ?? ''}`;
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('at ') && !/^node:internal|^\^+$|^Node\.js v/.test(line));
  if (error.killed) return `killed (${error.signal ?? 'timeout'})`;
  const message = lines.find((line) => /^(?:[A-Z]\w*)?Error\b|^npm error|error TS\d+/.test(line)) ?? lines.find((line) => /error/i.test(line)) ?? lines[0];
  return message ?? error.message.split('\n')[0];
}

async function check({ name, path, manifest }, tarballs) {
  const readmePath = `${path}/README.md`;
  const readme = readFileSync(join(root, readmePath), 'utf8');
  const added = installCommand(readme);
  if (!added.includes(name)) throw new Error(`${readmePath} has no install command adding ${name} (\`pnpm add ${name}\` in an sh block)`);
  const blocks = codeBlocks(readme, readmePath).filter((block) => block.mode !== 'sketch');
  for (const block of blocks) {
    for (const match of block.code.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const imported = match[1].startsWith('@') ? match[1].split('/').slice(0, 2).join('/') : match[1].split('/')[0];
      if (!imported.startsWith('node:') && !added.includes(imported)) {
        throw new Error(`the README example at ${readmePath}:${block.line} imports ${imported}, which the README's install command does not add (pnpm installs no undeclared packages)`);
      }
    }
  }
  const dependencies = Object.fromEntries(added.map((dependency) => [dependency, catalog.get(dependency) ?? 'latest']));
  if (blocks.length > 0) dependencies['@types/node'] = catalog.get('@types/node');
  const project = createScratchProject(dependencies, tarballs);
  const done = [];
  try {
    const step = async (what, command, args) => {
      try {
        return await run(command, args, { cwd: project, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        throw new Error(`${what} failed: ${reason(error)}${keep ? ` (in ${project})` : ''}`);
      }
    };
    try {
      await npmInstall(project);
    } catch (error) {
      throw new Error(`npm install ${added.join(' ')} failed: ${reason(error)}`);
    }
    done.push(`installed ${added.join(' ')}`);

    if (blocks.length > 0) {
      for (const block of blocks) writeFileSync(join(project, `example-${block.line}.ts`), `${block.code}\nexport {};\n`);
      const options = { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: ['node'] };
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['*.ts'] }));
      await step(`type-checking the README examples (${readmePath})`, process.execPath, [tsc, '-p', '.']);
      done.push(`${blocks.length} example${blocks.length === 1 ? '' : 's'} type-checked`);
    }

    copyFileSync(model, join(project, 'model.json')); // the examples read "any nnkit model file"
    const runnable = blocks.filter((block) => block.mode === 'run');
    for (const block of runnable) {
      const script = `example-${block.line}.mjs`;
      const { outputText } = ts.transpileModule(`${block.code}\nexport {};\n`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
      writeFileSync(join(project, script), outputText);
      const { stdout } = await step(`the README example at ${readmePath}:${block.line}`, process.execPath, [script]);
      if (stdout.trim() === '') throw new Error(`the README example at ${readmePath}:${block.line} printed nothing`);
    }
    if (runnable.length > 0) done.push(`${runnable.length} run with node`);
    else {
      writeFileSync(join(project, 'import.mjs'), `const exports = await import(${JSON.stringify(name)});\nconsole.log(Object.keys(exports).length);\n`);
      await step(`import('${name}') (no runnable README example)`, process.execPath, ['import.mjs']);
      done.push('imported (no runnable example)');
    }

    const required = Object.entries(manifest.exports ?? {}).filter(([, target]) => typeof target === 'object' && 'require' in target).map(([key]) => `${name}${key.slice(1)}`);
    for (const entry of required) {
      writeFileSync(join(project, 'require.cjs'), `const entry = require(${JSON.stringify(entry)});\nif (Object.keys(entry).length === 0) throw new Error('require(${entry}) exports nothing');\nconsole.log(Object.keys(entry).join(' '));\n`);
      await step(`require('${entry}') from CommonJS`, process.execPath, ['require.cjs']);
    }
    if (required.length > 0) done.push('required from CommonJS');
    return done.join(', ');
  } finally {
    if (!keep) rmSync(project, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const packages = publishedPackages().filter(({ name }) => wanted.length === 0 || wanted.includes(name));
for (const name of wanted) {
  if (!packages.some((entry) => entry.name === name)) {
    console.error(`scratch install: ${name}: not a published package of this workspace`);
    process.exit(2);
  }
}
let tarballs;
try {
  tarballs = packPackages();
} catch (error) {
  console.error(`scratch install: packing the workspace failed: ${error.message.split('\n')[0]}`);
  process.exit(1);
}
const results = await inParallel(packages, 2, async (entry) => {
  try {
    const summary = await check(entry, tarballs);
    console.log(`scratch install: ${entry.name}: ${summary}`);
    return true;
  } catch (error) {
    console.error(`scratch install: ${entry.name}: ${error.message}`);
    return false;
  }
});
rmSync(dirname(tarballs.values().next().value), { recursive: true, force: true });
const failed = results.filter((ok) => !ok).length;
if (failed > 0) {
  console.error(`scratch install: ${failed} of ${packages.length} packages failed`);
  process.exit(1);
}
console.log(`scratch install: all ${packages.length} packages install from their tarballs and run their README examples`);
