#!/usr/bin/env node
// The ablation table of docs/accuracy.md: the `record` recipe on a shorter schedule (5 epochs,
// seed 1), one ingredient changed a row. Each training row runs `nnkit train` with a run file,
// so an interrupted table resumes where it stopped (finished rows are kept, a half-trained row
// continues from its checkpoint); two rows need no training of their own:
//   - "no TTA" scores the full recipe's model on one view (`nnkit eval --tta 1`);
//   - "no EMA (one view)" is the full recipe's raw weights after its last epoch, which the run
//     prints: the EMA only watches the weights, the training itself is the same.
// Then it prints the table as Markdown.
//
//   node scripts/record-ablation.mjs [--rows base,no-ls,…] [--dir runs/ablation] [--epochs 5] [--threads 2] [--print]
//
// Timings are only comparable between rows run alone on the machine: each row records the load
// average before and after it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps/cli/dist/cli.js');

// The network the table measures, the one `record` trained when it was made — 3×3 'same'
// convolutions, now `record-ensemble`'s `same` network — as an --arch string:
// `${recordArch}${recordHead}` parses to its layers exactly (the explicit flatten before the
// dropout, the glorot output layer). An --arch network takes its loss from the string (plain
// softmax cross-entropy), so every row passes the preset's label smoothing unless it changes it:
// each row changes one ingredient.
const recordArch = 'conv32x3same-bn-conv32x3same-bn-conv32x5s2same-bn-drop0.4-conv64x3same-bn-conv64x3same-bn-conv64x5s2same-bn-drop0.4';
const recordHead = '-conv128x4-bn-flatten-drop0.4-dense(10,glorot)';

/** The rows: an id (file names), what changes, and the flags added to the base command. */
export const rows = [
  { id: 'base', label: 'full recipe', flags: [] },
  { id: 'no-ls', label: 'no label smoothing', flags: ['--label-smoothing', '0'] },
  { id: 'constant', label: 'no one-cycle (constant η = 0.001)', flags: ['--schedule', 'constant', '--lr', '0.001'] },
  { id: 'warmup-cosine', label: 'warm-up (1 epoch) + cosine instead of one-cycle', flags: ['--schedule', 'warmup:1,cosine'] },
  { id: 'adam', label: 'Adam (L2-free) instead of AdamW', flags: ['--optimizer', 'adam', '--lr', '0.003'] },
  { id: 'no-augment', label: 'no augmentation', flags: ['--augment', 'none'] },
  { id: 'swa', label: 'SWA over the last 2 epochs instead of EMA', flags: ['--average', 'swa:2'] },
  { id: 'gap', label: 'global average pooling head', flags: ['--arch', `${recordArch}-conv128x3same-bn-globalAvgPool2d-dense(10,glorot)`, '--label-smoothing', '0.1'] },
  { id: 'valid', label: "'valid' 3×3 convolutions (Deotte's original sizes)", flags: ['--arch', `${recordArch.replaceAll('x3same', 'x3')}${recordHead}`, '--label-smoothing', '0.1'] },
];

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    dir: { type: 'string', default: 'runs/ablation' },
    epochs: { type: 'string', default: '5' },
    threads: { type: 'string' },
    print: { type: 'boolean', default: false },
  },
});

const dir = resolve(values.dir);
const wanted = values.rows ? values.rows.split(',') : rows.map((row) => row.id);
for (const id of wanted) if (!rows.some((row) => row.id === id)) fail(`--rows: unknown row "${id}"; rows: ${rows.map((row) => row.id).join(', ')}`);
const base = ['train', '--preset', 'record', '--epochs', values.epochs, '--seed', '1', ...(values.threads ? ['--threads', values.threads] : [])];
const network = ['--arch', `${recordArch}${recordHead}`, '--label-smoothing', '0.1'];
/** A row's flags with the base network's: a row's own --arch or --label-smoothing replaces the base's. */
const rowFlags = (flags) => [...(flags.includes('--arch') ? [] : network.slice(0, 2)), ...(flags.includes('--label-smoothing') ? [] : network.slice(2)), ...flags];

function fail(message) {
  process.stderr.write(`record-ablation: ${message}\n`);
  process.exit(1);
}

const paths = (id) => ({ result: join(dir, `${id}.json`), model: join(dir, `${id}.model.json`), run: join(dir, `${id}.run.json`) });
const load = () => loadavg()[0].toFixed(2);

/** Trains one row unless its result is already there; the result (the run's `--json` object plus the load) is written whole or not at all. */
function trainRow(row) {
  const { result, model, run } = paths(row.id);
  if (existsSync(result)) return;
  mkdirSync(dir, { recursive: true });
  // A run file left by an interrupted row: `--resume` continues it with the settings it holds.
  const args = existsSync(run) ? [cli, 'train', '--resume', run, '--out', model, '--json'] : [cli, ...base, ...rowFlags(row.flags), '--checkpoint', run, '--out', model, '--json'];
  process.stderr.write(`record-ablation: ${row.id}: nnkit ${args.slice(1).join(' ')}\n`);
  const loadBefore = load();
  const started = Date.now();
  const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (child.status !== 0) fail(`${row.id}: nnkit train exited with ${child.status ?? child.signal}; run the script again to resume it`);
  const lines = child.stdout.toString().trim().split('\n');
  const json = JSON.parse(lines[lines.length - 1]);
  const record = { row: row.id, flags: row.flags, wallSeconds: (Date.now() - started) / 1000, loadBefore, loadAfter: load(), result: json };
  writeFileSync(`${result}.tmp`, `${JSON.stringify(record, null, 1)}\n`);
  renameSync(`${result}.tmp`, result);
}

/** One view of the full recipe's model (`nnkit eval --tta 1`), cached beside it. */
function oneView(id) {
  const { model } = paths(id);
  const cached = join(dir, `${id}.one-view.json`);
  if (!existsSync(cached)) {
    if (!existsSync(model)) return null;
    const out = execFileSync(process.execPath, [cli, 'eval', model, '--tta', '1', '--json'], { maxBuffer: 64 << 20 }).toString().trim().split('\n');
    writeFileSync(cached, `${out[out.length - 1]}\n`);
  }
  return JSON.parse(readFileSync(cached, 'utf8')).accuracy;
}

const read = (id) => (existsSync(paths(id).result) ? JSON.parse(readFileSync(paths(id).result, 'utf8')) : null);
const percent = (x) => (typeof x === 'number' ? `${(x * 100).toFixed(2)} %` : '');
const minutes = (s) => (typeof s === 'number' ? `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s` : '');
const code = (flags) => (flags.length === 0 ? '(none)' : `\`${flags.map((f) => (/[\s(),]/.test(f) ? `'${f}'` : f)).join(' ')}\``);

function table() {
  const lines = [
    `Base: \`pnpm nnkit train --preset record ${code(network).slice(1, -1)} --epochs ${values.epochs} --seed 1${values.threads ? ` --threads ${values.threads}` : ''}\` (the 'same' network); each row adds its flags, its own \`--arch\` or \`--label-smoothing\` in place of the base's.`,
    '',
    '| row | flags added to the base | test accuracy (the preset\'s TTA 5, EMA) | one view | validation (final model) | Δ test vs full recipe | wall time | load average before → after |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const baseRun = read('base');
  const delta = (x) => (baseRun && typeof x === 'number' ? `${x >= baseRun.result.accuracy ? '+' : '−'}${Math.abs((x - baseRun.result.accuracy) * 100).toFixed(2)}` : '');
  for (const row of rows) {
    const run = read(row.id);
    const view = row.id === 'base' ? oneView('base') : null;
    lines.push(
      `| ${row.label} | ${code(row.flags)} | ${percent(run?.result.accuracy)} | ${row.id === 'base' ? percent(view) : ''} | ${percent(run?.result.validationAccuracy)} | ${row.id === 'base' ? '' : delta(run?.result.accuracy)} | ${minutes(run?.wallSeconds)} | ${run ? `${run.loadBefore} → ${run.loadAfter}` : ''} |`,
    );
    if (row.id === 'base' && baseRun) {
      const last = baseRun.result.history[baseRun.result.history.length - 1];
      lines.push(`| no TTA (the full recipe's model, one view) | \`nnkit eval --tta 1\` | ${percent(view)} |  |  | ${delta(view)} |  |  |`);
      lines.push(`| no EMA (the full recipe's raw weights after the last epoch, one view) | \`--average none --tta 1\` | ${percent(last.testAccuracy)} |  | ${percent(last.validationAccuracy)} | ${delta(last.testAccuracy)} |  |  |`);
    }
  }
  return lines.join('\n');
}

if (!values.print) for (const row of rows) if (wanted.includes(row.id)) trainRow(row);
process.stdout.write(`${table()}\n`);
