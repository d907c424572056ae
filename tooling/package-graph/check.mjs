// The import-boundary rule. For every package in graph.mjs:
//  1. each @nnkit import in its non-test sources, and each @nnkit entry of its dependencies and
//     peerDependencies, is an edge the graph allows (or a listed exception);
//  2. no package depends on an app;
//  3. modules reachable from a browser entry (every export but `/node`) use no `node:` built-in
//     and no `/node` entry of another package;
//  4. the table in docs/architecture.md is the one graph.mjs renders.
//   node tooling/package-graph/check.mjs           check, one line per problem, exit 1 on any
//   node tooling/package-graph/check.mjs --write   rewrite the docs table
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { exceptions, packages } from './graph.mjs';

const root = resolve(import.meta.dirname, '../..');
const docsPath = join(root, 'docs/architecture.md');
const BEGIN = '<!-- package-graph: generated from tooling/package-graph/graph.mjs by `pnpm graph:docs` -->';
const END = '<!-- /package-graph -->';
const problems = [];
const usedExceptions = new Set();
const libraries = packages.filter((entry) => entry.path.startsWith('packages/'));

/** The bare specifiers a module imports, with their line numbers (comments stripped). */
function importsOf(source) {
  const found = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/^\s*\/\/.*$/gm, '');
  const patterns = [/\b(?:import|export)\s+(?:type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push({ specifier: match[1], line: code.slice(0, match.index).split('\n').length });
  }
  return found;
}

const packageOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
const isTest = (file) => /\.test\.tsx?$/.test(file) || /(^|\/)(test|e2e)\//.test(file);

function sourceFiles(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true })
    .map((file) => join(directory, file))
    .filter((file) => /\.(ts|tsx|mts|js|mjs)$/.test(file) && !file.endsWith('.d.ts') && statSync(file).isFile());
}

function allowed(entry, target) {
  if (entry.imports === 'packages') return libraries.some((library) => library.name === target);
  if (entry.imports.includes(target)) return true;
  const exception = exceptions.find((edge) => edge.from === entry.name && edge.to === target);
  if (exception !== undefined) usedExceptions.add(exception);
  return exception !== undefined;
}

function allowedList(entry) {
  return entry.imports === 'packages' ? 'any package' : entry.imports.length === 0 ? 'no @nnkit package' : entry.imports.join(', ');
}

/** Relative imports resolved to files: `./x.js` → `./x.ts`. */
function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

for (const entry of packages) {
  const directory = join(root, entry.path);
  const manifestPath = join(directory, 'package.json');
  if (!existsSync(manifestPath)) continue; // listed ahead of its arrival (e.g. a package on its way)
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.name !== entry.name) problems.push(`${relative(root, manifestPath)}: name is ${manifest.name}, graph.mjs says ${entry.name}`);
  const declared = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const dependency of Object.keys(declared)) {
    if (packages.some((other) => other.name === dependency && other.path.startsWith('apps/'))) {
      problems.push(`${relative(root, manifestPath)}: ${entry.name} depends on the app ${dependency}; nothing imports an app`);
    } else if (dependency.startsWith('@nnkit/') && !allowed(entry, dependency)) {
      problems.push(`${relative(root, manifestPath)}: ${entry.name} depends on ${dependency}, which the package graph does not allow (${entry.name} may import ${allowedList(entry)})`);
    }
  }
  const files = sourceFiles(join(directory, 'src')).filter((file) => !isTest(relative(directory, file)));
  for (const file of files) {
    for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('@nnkit/')) continue;
      const target = packageOf(specifier);
      const where = `${relative(root, file)}:${line}`;
      if (target === entry.name) continue;
      if (packages.some((other) => other.name === target && other.path.startsWith('apps/'))) problems.push(`${where}: ${entry.name} imports the app ${target}; nothing imports an app`);
      else if (!allowed(entry, target)) problems.push(`${where}: ${entry.name} imports ${specifier}, which the package graph does not allow (${entry.name} may import ${allowedList(entry)})`);
      else if (!(target in declared) && !entry.path.startsWith('apps/')) problems.push(`${where}: ${entry.name} imports ${target} without declaring it in package.json`);
    }
  }
  // Browser entries: everything reachable from an export other than `/node`.
  if (entry.nodeOnly) continue;
  const browserEntries = entry.path.startsWith('apps/')
    ? files
    : Object.entries(manifest.exports ?? {})
        .filter(([key]) => key !== './package.json' && !key.endsWith('/node'))
        .map(([, value]) => (typeof value === 'string' ? value : value['@nnkit/source']))
        .filter((source) => typeof source === 'string' && source.endsWith('.ts'))
        .map((source) => join(directory, source));
  const seen = new Set();
  const queue = browserEntries.map((file) => ({ file, via: relative(directory, file) }));
  while (queue.length > 0) {
    const { file, via } = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
      const where = `${relative(root, file)}:${line}`;
      if (specifier.startsWith('node:')) problems.push(`${where}: imports ${specifier}, but the module is part of the browser entry (${via}); Node-only code belongs behind /node`);
      else if (/^@nnkit\/[^/]+\/node$/.test(specifier)) problems.push(`${where}: imports ${specifier}, but the module is part of the browser entry (${via}); Node-only code belongs behind /node`);
      else if (specifier.startsWith('.')) {
        const next = resolveRelative(file, specifier);
        if (next !== undefined) queue.push({ file: next, via });
      }
    }
  }
}

for (const exception of exceptions) {
  const present = packages.some((entry) => entry.name === exception.from && existsSync(join(root, entry.path, 'package.json')));
  if (present && !usedExceptions.has(exception)) {
    problems.push(`tooling/package-graph/graph.mjs: the exception ${exception.from} → ${exception.to} is no longer used; delete it`);
  }
}

/** The docs table: one row per package. */
function renderTable() {
  const short = (name) => name.replace('@nnkit/', '');
  const rows = packages.map((entry) => {
    let imports = entry.imports === 'packages' ? 'packages' : entry.imports.length === 0 ? '—' : entry.imports.map(short).join(', ');
    const temporary = exceptions.filter((edge) => edge.from === entry.name).map((edge) => short(edge.to));
    if (temporary.length > 0) imports += `; for now also ${temporary.join(', ')} (a listed exception)`;
    const name = entry.path.startsWith('apps/') ? `\`${entry.path}\`` : `\`${entry.name}\``;
    return `| ${name} | ${entry.role} | ${imports} |`;
  });
  const tooling = '| `tooling/*` | shared vitest preset, benchmarks, parity tests, this graph (private) | anything |';
  return [BEGIN, '| package | responsibility | may import |', '|---|---|---|', ...rows, tooling, END].join('\n');
}

const docs = readFileSync(docsPath, 'utf8');
const begin = docs.indexOf(BEGIN);
const end = docs.indexOf(END);
if (begin < 0 || end < begin) {
  problems.push(`docs/architecture.md: no generated package table (the lines ${BEGIN} … ${END})`);
} else {
  const current = docs.slice(begin, end + END.length);
  const table = renderTable();
  if (current !== table) {
    if (process.argv.includes('--write')) writeFileSync(docsPath, docs.slice(0, begin) + table + docs.slice(end + END.length));
    else problems.push('docs/architecture.md: the package table differs from tooling/package-graph/graph.mjs; run pnpm graph:docs');
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`package graph: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`package graph: ${packages.filter((entry) => existsSync(join(root, entry.path, 'package.json'))).length} packages, every import allowed`);
