#!/usr/bin/env node
// Same bytes: trains every preset on a short slice (one and two threads, with distortions, with a
// validation split, resumed after kill -9) and evaluates one model, then compares the sha256 of
// each model file and of `nnkit eval --json` with scripts/same-bytes.json. A change that is not
// meant to change results must leave every hash as it is.
//
//   node scripts/same-bytes.mjs            compare with the recorded hashes (exit 1 on a difference)
//   node scripts/same-bytes.mjs --record   record them (only when results are meant to change)
//   node scripts/same-bytes.mjs --only cnn run the cases whose name contains "cnn"
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps/cli/dist/cli.js');
const baselineFile = join(root, 'scripts/same-bytes.json');
const args = process.argv.slice(2);
const record = args.includes('--record');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const presets = ['nielsen-ch1', 'nielsen-ch3', 'sklearn-mlp', 'cnn', 'nielsen-ch6', 'nielsen-ch6-dropout', 'fast', 'smoke'];
const short = ['--limit', '2000', '--epochs', '1', '--quiet'];
const cases = [];
for (const preset of presets) {
  for (const threads of ['1', '2']) {
    cases.push({ name: `${preset} threads ${threads}`, args: ['--preset', preset, ...short, '--threads', threads] });
  }
}
for (const threads of ['1', '2']) {
  cases.push({ name: `cnn augment threads ${threads}`, args: ['--preset', 'cnn', ...short, '--threads', threads, '--augment', 'rotate:10,scale:0.1,shear:10,elastic:34/4'] });
  cases.push({ name: `cnn val-split threads ${threads}`, args: ['--preset', 'cnn', ...short, '--threads', threads, '--val-split', '0.2'] });
  cases.push({ name: `smoke resume threads ${threads}`, resume: true, args: ['--preset', 'smoke', '--limit', '2000', '--epochs', '2', '--quiet', '--threads', threads, '--batch-size', '10'] });
}

function runCli(cliArgs) {
  const result = spawnSync(process.execPath, [cli, ...cliArgs], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`nnkit ${cliArgs.join(' ')} exited ${result.status}: ${result.stderr.trim()}`);
  return result.stdout;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Starts a checkpointed run, kills it with SIGKILL after its first mid-epoch save, resumes it. */
async function trainKilledAndResumed(cliArgs, out, work) {
  const checkpoint = join(work, 'run.ckpt');
  rmSync(checkpoint, { force: true });
  const child = spawn(process.execPath, [cli, 'train', ...cliArgs, '--checkpoint', checkpoint, '--checkpoint-every', '40', '--out', out], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(checkpoint)) { clearInterval(timer); child.kill('SIGKILL'); }
    }, 5);
    child.on('exit', () => { clearInterval(timer); resolve(); });
    child.on('error', reject);
  });
  if (!existsSync(checkpoint)) throw new Error('the run ended before its first checkpoint');
  runCli(['train', '--resume', checkpoint, '--quiet', '--out', out]);
}

const work = mkdtempSync(join(tmpdir(), 'nnkit-same-bytes-'));
const hashes = {};
try {
  for (const testCase of cases) {
    if (only && !testCase.name.includes(only)) continue;
    const out = join(work, 'model.json');
    rmSync(out, { force: true });
    if (testCase.resume) {
      // Resuming is exact: the resumed run must write the uninterrupted run's bytes.
      runCli(['train', ...testCase.args, '--out', out]);
      const uninterrupted = sha256(readFileSync(out));
      rmSync(out);
      await trainKilledAndResumed(testCase.args, out, work);
      if (sha256(readFileSync(out)) !== uninterrupted) throw new Error(`${testCase.name}: the resumed run differs from the uninterrupted one`);
    } else {
      runCli(['train', ...testCase.args, '--out', out]);
    }
    hashes[testCase.name] = sha256(readFileSync(out));
    if (testCase.name === 'cnn threads 1') {
      // The reference kernels on one thread, what `eval` did by default when the hash was recorded.
      const evalJson = runCli(['eval', out, '--backend', 'js', '--threads', '1', '--json']).replaceAll(out, 'MODEL');
      hashes['eval --json (cnn threads 1)'] = sha256(evalJson);
    }
    process.stdout.write(`${hashes[testCase.name].slice(0, 16)}  ${testCase.name}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (record) {
  const previous = existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, 'utf8')) : {};
  writeFileSync(baselineFile, `${JSON.stringify({ ...previous, ...hashes }, null, 2)}\n`);
  console.log(`recorded ${Object.keys(hashes).length} hashes in scripts/same-bytes.json`);
} else {
  const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
  const differ = Object.keys(hashes).filter((name) => baseline[name] !== hashes[name]);
  for (const name of differ) console.error(`differs: ${name} (${baseline[name]?.slice(0, 16) ?? 'not recorded'} → ${hashes[name].slice(0, 16)})`);
  console.log(differ.length === 0 ? `same bytes: ${Object.keys(hashes).length} of ${Object.keys(hashes).length}` : `${differ.length} of ${Object.keys(hashes).length} differ`);
  process.exitCode = differ.length === 0 ? 0 : 1;
}
