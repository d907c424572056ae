// Plants deliberate bugs in the training core one at a time, runs @nnkit/train's tests against
// each, and reports whether the tests caught it (failed). Every mutant must be caught: a bug
// the tests let through is a test to write. Run from anywhere:
//   node packages/train/scripts/mutation-check.mjs [--only name,name]
// Each file is restored after its run (and on Ctrl-C); exits 1 when a mutant survives.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

/** [name, file under src/, text to find (exactly once), replacement]. */
const mutants = [
  ['no reshuffle: the training order is fixed across epochs', 'run-state.ts', 'if (shuffle) this.shuffle.shuffle(order);', 'if (shuffle && epoch < 0) this.shuffle.shuffle(order);'],
  ['gradients not zeroed after a step', 'fit.ts', '  zeroGrads(model.params);\n  state.addBatch', '  state.addBatch'],
  ["shares weighted wrong: each share's gradient is its own mean", 'training-step.ts', 'const weight = rows / batch.rows;', 'const weight = 1;'],
  ['layer state of the shares averaged with equal weights', 'parallel/parallel-trainer.ts', 'const weight = (share.to - share.from) / rows;', 'const weight = 1 / threads;'],
  ['evaluator skips the last partial batch', 'evaluate.ts', 'for (let start = from; start < to; start += this.batchSize) {', 'for (let start = from; start + this.batchSize <= to; start += this.batchSize) {'],
  ['checkpoint position off by one', 'fit.ts', 'await saveCheckpoint(b + 1);', 'await saveCheckpoint(b);'],
  ["checkpoint keeps the shuffle stream's current state, not the epoch's start", 'run-state.ts', 'rng: { shuffle: this.shuffleAtEpochStart,', 'rng: { shuffle: this.shuffle.getState(),'],
  ['augmented images labelled from the start of the order', 'batch-source.ts', 'labelled: train, labelOrder: order, labelStart: position };\n}', 'labelled: train, labelOrder: order, labelStart: 0 };\n}'],
  ['workers score the training set whatever dataset is asked', 'parallel/parallel-trainer.ts', 'control[Control.dataset] = datasetIds.indexOf(target.dataset);', 'control[Control.dataset] = 0;'],
  ['regularization penalty left out of the loss', 'fit.ts', 'loss += regularizationPenalty(model.params, penalty);', 'loss += 0;'],
  ['one thread draws every dropout mask from a fresh stream', 'replicas.ts', 'return this.training.run(batch, 0, batch.rows, this.dropout());', "return this.training.run(batch, 0, batch.rows, createRng('mask'));"],
  ['resume skips the layer state', 'run-state.ts', "restoreTensors(checkpoint.state, model.state ?? [], 'state');", ''],
];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
let restore = null;
process.on('SIGINT', () => {
  restore?.();
  process.exit(130);
});

let survived = 0;
for (const [name, file, find, replacement] of mutants) {
  if (only && !only.some((word) => name.includes(word))) continue;
  const path = `${packageDirectory}src/${file}`;
  const original = readFileSync(path, 'utf8');
  const at = original.indexOf(find);
  if (at < 0 || original.indexOf(find, at + 1) >= 0) throw new Error(`mutation-check: "${find}" must occur exactly once in src/${file}`);
  let mutated = original.slice(0, at) + replacement + original.slice(at + find.length);
  if (mutated.includes("createRng('mask')") && !mutated.includes('import { createRng')) mutated = `import { createRng } from '@nnkit/tensor';\n${mutated}`;
  restore = () => writeFileSync(path, original);
  writeFileSync(path, mutated);
  try {
    const run = spawnSync('pnpm', ['exec', 'vitest', 'run', '--bail=1'], { cwd: packageDirectory, encoding: 'utf8' });
    const caught = run.status !== 0;
    if (!caught) survived++;
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const failing = caught ? (output.match(/FAIL\s+(src\/\S+ > .+)/)?.[1] ?? 'tests failed').trim() : 'every test passed';
    console.log(`${caught ? 'caught  ' : 'SURVIVED'}  ${name}  (${failing})`);
  } finally {
    restore();
    restore = null;
  }
}
console.log(survived === 0 ? 'mutation check: every mutant caught' : `mutation check: ${survived} mutant(s) survived`);
process.exitCode = survived === 0 ? 0 : 1;
