import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

interface TrainJson {
  accuracy: number;
  validationAccuracy: number | null;
  history: { learningRate: number; testAccuracy?: number; validationAccuracy?: number; validationLoss?: number }[];
  members?: { seed: number; accuracy: number; network?: string }[];
  ensemble?: { vote: number; average: number };
}

const small = ['--arch', '784-32-10', '--limit', '600', '--epochs', '2', '--threads', '1', '--json'];

describe('nnkit train: the record ingredients from the command line', () => {
  it('--label-smoothing, --schedule onecycle, --average and --tta shape the run and the saved model', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-record-'));
    const model = join(folder, 'model.json');
    const run = runCli(['train', ...small, '--optimizer', 'adamw', '--label-smoothing', '0.1', '--schedule', 'onecycle:0.01', '--average', 'swa:2', '--tta', '3', '--out', model]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/averaged weights \(swa:2\)/);
    expect(run.stderr).toMatch(/test-time augmentation over 3 views/);
    const result = run.json<TrainJson>();
    // One-cycle ends each epoch below its peak, the second at max/(25·1e4).
    expect(result.history[1].learningRate).toBeCloseTo(0.01 / 25 / 1e4, 12);
    const saved = JSON.parse(readFileSync(model, 'utf8')) as { loss: unknown; meta: { settings: Record<string, unknown> } };
    expect(saved.loss).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
    expect(saved.meta.settings).toMatchObject({ labelSmoothing: 0.1, averaging: 'swa:2', testTimeViews: 3, schedule: 'onecycle:0.01' });
    // eval reproduces the final figure with the model's own 3 views, unasked; --tta 1 scores the image alone.
    const evaluated = runCli(['eval', model, '--json']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.json<{ accuracy: number; tta: number }>()).toMatchObject({ accuracy: result.accuracy, tta: 3 });
    expect(runCli(['eval', model, '--tta', '3', '--json']).json<{ accuracy: number }>().accuracy).toBe(result.accuracy);
    expect(runCli(['eval', model, '--tta', '1', '--json']).json<{ tta?: number }>().tta).toBeUndefined();
    expect(runCli(['eval', model, '--limit', '50']).stdout).toMatch(/test-time augmentation over 3 views \(the model's own; --tta 1 scores the image alone\)/);
  });

  it('--no-test-each-epoch leaves the test set to the end: the same model, a history without test scores', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-epoch-test-'));
    type Saved = { layers: unknown; meta: { testAccuracy: number; settings: Record<string, unknown> } };
    const saved = (name: string) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as Saved;
    const train = (args: string[], out: string) => {
      const run = runCli(['train', ...small, '--val-split', '0.2', ...args, '--out', join(folder, out)], { cwd: folder });
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.code).toBe(0);
      return { run, result: run.json<TrainJson>(), model: saved(out) };
    };
    const scored = train([], 'scored.json');
    const unscored = train(['--no-test-each-epoch', '--checkpoint', 'run.json'], 'unscored.json');
    expect(scored.result.history.every((record) => record.testAccuracy !== undefined)).toBe(true);
    expect(unscored.result.history.some((record) => record.testAccuracy !== undefined)).toBe(false);
    expect(scored.run.stderr).toMatch(/epoch 2\/2: .*validation acc .*test acc/);
    expect(unscored.run.stderr).toMatch(/epoch 2\/2: .*validation acc/);
    expect(unscored.run.stderr).not.toMatch(/test acc/);
    // The weights and the final score are the same; the choice is recorded, and kept by the run file.
    expect(unscored.model.layers).toEqual(scored.model.layers);
    expect(unscored.result.accuracy).toBe(scored.result.accuracy);
    expect(unscored.model.meta.testAccuracy).toBe(scored.model.meta.testAccuracy);
    expect(unscored.model.meta.settings.testEachEpoch).toBe(false);
    expect(scored.model.meta.settings).not.toHaveProperty('testEachEpoch');
    expect((JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { settings: Record<string, unknown> }).settings.testEachEpoch).toBe(false);

    // From a config file as a switch (true or false), the command line winning.
    writeFileSync(join(folder, 'off.yaml'), 'test-each-epoch: false\n');
    const configured = train(['--config', 'off.yaml'], 'configured.json');
    expect(configured.result.history.some((record) => record.testAccuracy !== undefined)).toBe(false);
    expect(configured.model.layers).toEqual(scored.model.layers);
    const overridden = train(['--config', 'off.yaml', '--test-each-epoch'], 'overridden.json');
    expect(overridden.result.history.every((record) => record.testAccuracy !== undefined)).toBe(true);
    writeFileSync(join(folder, 'word.yaml'), 'test-each-epoch: "no"\n');
    const word = runCli(['train', ...small, '--config', 'word.yaml'], { cwd: folder });
    expect(word.code).toBe(2);
    expect(word.stderr.trim()).toBe("nnkit: --config word.yaml: test-each-epoch: expected true or false, got 'no' (see --help)");
  });

  it('--validate-every N scores validation after every N-th epoch and the last: the same model', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-validate-every-'));
    type Saved = { layers: unknown; meta: { testAccuracy: number; settings: Record<string, unknown> } };
    const train = (args: string[], out: string) => {
      const run = runCli(['train', ...small, '--epochs', '3', '--val-split', '0.2', ...args, '--out', join(folder, out)], { cwd: folder });
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.code).toBe(0);
      const history = run.json<TrainJson>().history.map((record) => record.validationAccuracy !== undefined && record.validationLoss !== undefined);
      return { run, history, model: JSON.parse(readFileSync(join(folder, out), 'utf8')) as Saved };
    };
    const every = train([], 'every.json');
    const sparse = train(['--validate-every', '2', '--checkpoint', 'run.json'], 'sparse.json');
    expect(every.history).toEqual([true, true, true]);
    expect(sparse.history).toEqual([false, true, true]); // the second epoch and the last
    expect(sparse.run.stderr).toMatch(/epoch 1\/3: (?:(?!validation).)*\n/);
    expect(sparse.run.stderr).toMatch(/epoch 2\/3: .*validation acc/);
    expect(sparse.model.layers).toEqual(every.model.layers);
    expect(sparse.model.meta.testAccuracy).toBe(every.model.meta.testAccuracy);
    expect(sparse.model.meta.settings.validateEvery).toBe(2);
    expect(every.model.meta.settings).not.toHaveProperty('validateEvery');
    expect((JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as { settings: Record<string, unknown> }).settings.validateEvery).toBe(2);
    // From a config file; early stopping watches every epoch's score, so it takes none other.
    writeFileSync(join(folder, 'sparse.yaml'), 'validate-every: 3\n');
    expect(train(['--config', 'sparse.yaml'], 'configured.json').history).toEqual([false, false, true]);
    const stopping = runCli(['train', ...small, '--val-split', '0.2', '--validate-every', '2', '--early-stop', '3'], { cwd: folder });
    expect(stopping.code).toBe(2);
    expect(stopping.stderr.trim()).toBe('nnkit: --validate-every 2: --early-stop looks at the validation score after every epoch; leave --validate-every out or give 1 (see --help)');
    const plateau = runCli(['train', ...small, '--val-split', '0.2', '--config', 'sparse.yaml', '--schedule', 'plateau:2'], { cwd: folder });
    expect(plateau.stderr.trim()).toBe('nnkit: --validate-every 3: --schedule plateau:2 looks at the validation score after every epoch; leave --validate-every out or give 1 (see --help)');
    // A preset that validates every fifth epoch validates every epoch when early stopping watches it.
    const record = (args: string[]) => runCli(['train', '--preset', 'record', '--arch', '784-32-10', '--limit', '300', '--epochs', '3', '--threads', '1', '--json', ...args], { cwd: folder });
    const recordStopping = record(['--early-stop', '5', '--average', 'none']);
    expect(recordStopping.code).toBe(0);
    expect(recordStopping.json<TrainJson>().history.map((entry) => 'validationAccuracy' in entry)).toEqual([true, true, true]);
    expect(record([]).json<TrainJson>().history.map((entry) => 'validationAccuracy' in entry)).toEqual([false, false, true]);
    // Its validation images are its own, and it ends with averaged weights: one line each, not an error from inside.
    const stopped = record(['--early-stop', '5']);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr.trim()).toBe("nnkit: --early-stop: the run ends with averaged weights (preset record's ema:0.999), not the best epoch's; add --average none to stop early (see --help)");
    const split = record(['--val-split', '0.2']);
    expect(split.code).toBe(2);
    expect(split.stderr.trim()).toBe('nnkit: --val-split: preset record holds out its own validation images of mnist (the last 5,000 training images) (see --help)');
  });

  it('refuses bad values in one line', () => {
    for (const [args, message] of [
      [['--label-smoothing', '1'], /--label-smoothing.*expected a number in \[0, 1\), got '1'/],
      [['--average', 'mean:3'], /--average: averaging "mean:3": expected ema:<decay>/],
      [['--tta', '12'], /--tta.*expected a number of views from 1 to 9, got '12'/],
      [['--schedule', 'warmup:x'], /--schedule: schedule "warmup:x": warm-up epochs/],
    ] as const) {
      const run = runCli(['train', ...small, ...args]);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    const quadratic = runCli(['train', '--arch', '784-32-10', '--loss', 'quadratic', '--label-smoothing', '0.1', '--limit', '100']);
    expect(quadratic.stderr).toMatch(/--label-smoothing applies to the softmax cross-entropy/);
  });

  it('an ensemble with --checkpoint keeps one run file a member, and the repeated command skips finished members', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-ensemble-'));
    const args = ['train', ...small, '--ensemble', '2', '--checkpoint', join(folder, 'run.json'), '--out', join(folder, 'model.json')];
    const first = runCli(args);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    for (const seed of [1, 2]) expect(existsSync(join(folder, `run-${seed}.json`))).toBe(true);
    const written = statSync(join(folder, 'model-2.json')).mtimeMs;
    const again = runCli(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/seed 1: trained earlier/);
    expect(again.stderr).toMatch(/seed 2: trained earlier/);
    expect(statSync(join(folder, 'model-2.json')).mtimeMs).toBe(written);
    const accuracies = (run: typeof first) => run.json<TrainJson>().members!.map(({ seed, accuracy }) => ({ seed, accuracy }));
    expect(accuracies(again)).toEqual(accuracies(first));
    // eval scores the members' files as the ensemble the run reported: averaged probabilities.
    const members = [1, 2].map((seed) => join(folder, `model-${seed}.json`));
    const evaluated = runCli(['eval', ...members, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.json<{ accuracy: number; models: string[] }>()).toMatchObject({ accuracy: first.json<TrainJson>().ensemble!.average, models: members });
    expect(runCli(['eval', ...members, '--limit', '100']).stdout).toMatch(/an ensemble of 2: .*model-1\.json, .*model-2\.json/);
    // --out names the ensemble file: it lists the members, and eval reads it as them.
    const manifest = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { format: string; members: string[]; meta: { seeds: number[] } };
    expect(manifest).toMatchObject({ format: 'nnkit-ensemble', members: ['model-1.json', 'model-2.json'], meta: { seeds: [1, 2] } });
    const viaFile = runCli(['eval', join(folder, 'model.json'), '--json']);
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(viaFile.json<{ accuracy: number }>().accuracy).toBe(evaluated.json<{ accuracy: number }>().accuracy);
    const inspected = runCli(['inspect', join(folder, 'model.json')]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/ensemble of 2 models/);
    expect(inspected.stdout).toMatch(/model-1\.json +1 +[\d,]+ +\d+\.\d\d%/);
    expect(inspected.stdout).toMatch(/model-2\.json +2 /);
    expect(inspected.stdout).not.toMatch(/Network/);
    writeFileSync(join(folder, 'broken.json'), JSON.stringify({ ...manifest, members: ['model-1.json', 7] }));
    expectFailure(['eval', join(folder, 'broken.json')], 1, /broken\.json: members\[1\]: expected a model file name, got 7/);
  });

  it('record-ensemble trains its networks in turn, each with its own seeds, and each is the network its --arch string names', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-networks-'));
    const data = ['--data', `csv:${inject('trainCsv')}`, '--epochs', '1', '--threads', '1', '--tta', '1'];
    const args = ['train', '--preset', 'record-ensemble', ...data, '--ensemble', '3', '--seed', '4', '--checkpoint', join(folder, 'run.json'), '--out', join(folder, 'model.json'), '--json'];
    const run = runCli(args);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const names = ['model-same-4.json', 'model-gap-4.json', 'model-same-5.json'];
    expect(run.json<TrainJson>().members!.map(({ network, seed }) => `${network}-${seed}`)).toEqual(['same-4', 'gap-4', 'same-5']);
    const manifest = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { members: string[]; meta: { members: { network: string; seed: number }[] } };
    expect(manifest.members).toEqual(names);
    expect(manifest.meta.members.map(({ network, seed }) => `${network}-${seed}`)).toEqual(['same-4', 'gap-4', 'same-5']);
    type Saved = { layers: { config: { kind: string } }[]; meta: { settings: Record<string, unknown> } };
    const saved = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Saved;
    const gap = saved(join(folder, names[1]));
    expect(gap.meta.settings).toMatchObject({ preset: 'record-ensemble', network: 'gap', seed: 4 });
    expect(gap.layers.map((layer) => layer.config.kind).slice(-3)).toEqual(['relu', 'globalAvgPool2d', 'dense']);
    expect(saved(join(folder, names[0])).layers.map((layer) => layer.config.kind).slice(-3)).toEqual(['flatten', 'dropout', 'dense']);
    // The --checkpoint path itself names no file: inspect reads every member's run file beside it.
    writeFileSync(join(folder, 'run-notes-1.json'), '{"notes": "not a run file"}\n');
    const progress = runCli(['inspect', join(folder, 'run.json')]);
    expect(progress.code, progress.stderr).toBe(0);
    expect(progress.stdout).toMatch(/ensemble run, preset record-ensemble: 3 member\(s\) started, 3 saved \(the preset trains 5; --ensemble K trains K\)/);
    expect(progress.stdout).toMatch(/run-gap-4\.json +gap +4 +1\/1 +– +\d+s +saved: .*model-gap-4\.json/);
    type Progress = { members: { network: string; seed: number; epochsDone: number; finished: boolean }[]; expectedMembers: number; secondsToGo: number };
    const listedRuns = runCli(['inspect', join(folder, 'run.json'), '--json']).json<Progress>();
    expect(listedRuns.members.map(({ network, seed }) => `${network}-${seed}`)).toEqual(['same-4', 'gap-4', 'same-5']);
    expect(listedRuns.expectedMembers).toBe(5);
    expect(listedRuns.secondsToGo).toBeGreaterThan(0); // two members of the preset's five not started
    // A member's run file names its network: inspect shows it, and the repeated command skips the member.
    expect(runCli(['inspect', join(folder, 'run-gap-4.json')]).stdout).toMatch(/preset record-ensemble · network gap · /);
    expect(runCli(args).stderr).toMatch(/gap seed 4: trained earlier/);
    const listed = runCli(['inspect', join(folder, 'model.json')]).stdout;
    expect(listed).toMatch(/Member +Network +Seed +Params/);
    expect(listed).toMatch(/model-gap-4\.json +gap +4 +[\d,]+ +\d+\.\d\d%/);
    expect(listed).toMatch(/model-same-5\.json +same +5 /);
    // The gap network is the same network with the head its --arch string gives: same seed, same weights.
    const arch = runCli(['train', '--preset', 'record', ...data, '--seed', '4', '--label-smoothing', '0.1', '--out', join(folder, 'arch.json'), '--arch',
      'conv32x3same-bn-conv32x3same-bn-conv32x5s2same-bn-drop0.4-conv64x3same-bn-conv64x3same-bn-conv64x5s2same-bn-drop0.4-conv128x3same-bn-globalAvgPool2d-dense(10,glorot)']);
    expect(arch.code, arch.stderr).toBe(0);
    expect(saved(join(folder, 'arch.json')).layers).toEqual(gap.layers);
    // The record preset's network is the string with unpadded 3×3 convolutions: same seed, same weights.
    const record = ['train', '--preset', 'record', ...data, '--seed', '4', '--json'];
    const preset = runCli([...record, '--out', join(folder, 'record.json')]);
    const valid = runCli([...record, '--label-smoothing', '0.1', '--out', join(folder, 'valid.json'), '--arch',
      'conv32x3-bn-conv32x3-bn-conv32x5s2same-bn-drop0.4-conv64x3-bn-conv64x3-bn-conv64x5s2same-bn-drop0.4-conv128x4-bn-flatten-drop0.4-dense(10,glorot)']);
    expect([preset.code, valid.code], preset.stderr + valid.stderr).toEqual([0, 0]);
    expect(saved(join(folder, 'valid.json')).layers).toEqual(saved(join(folder, 'record.json')).layers);
    expect(valid.json<TrainJson>().accuracy).toBe(preset.json<TrainJson>().accuracy);
    const small = runCli(['train', '--preset', 'record-ensemble', ...data, '--ensemble', '2', '--arch', '784-32-10', '--out', join(folder, 'small.json'), '--json']);
    expect(small.json<TrainJson>().members!.map((member) => member.network)).toEqual([undefined, undefined]);
    // An ensemble of members trained with --arch: the one whose layers and loss are the gap network's is named so, another shows its string.
    const smallMember = (JSON.parse(readFileSync(join(folder, 'small.json'), 'utf8')) as { members: string[] }).members[0];
    writeFileSync(join(folder, 'mixed.json'), JSON.stringify({ format: 'nnkit-ensemble', version: 1, members: ['arch.json', smallMember, names[0]] }));
    const mixed = runCli(['inspect', join(folder, 'mixed.json')]).stdout;
    expect(mixed).toMatch(/arch\.json +gap +– /);
    expect(mixed).toMatch(new RegExp(`${smallMember.replace(/[.]/g, '\\.')} +--arch 784-32-10 `));
    expect(mixed).toMatch(/model-same-4\.json +same +– /);
    // A member the record preset trained when the same network was its own (its settings name only the preset) is named by its layers.
    const older = JSON.parse(readFileSync(join(folder, names[0]), 'utf8')) as { meta: { settings: Record<string, unknown> } };
    older.meta.settings = { preset: 'record', seed: 4 };
    writeFileSync(join(folder, 'older.json'), JSON.stringify(older));
    writeFileSync(join(folder, 'older-ensemble.json'), JSON.stringify({ format: 'nnkit-ensemble', version: 1, members: ['older.json', names[1], 'record.json'] }));
    const olderListed = runCli(['inspect', join(folder, 'older-ensemble.json')]).stdout;
    expect(olderListed).toMatch(/older\.json +same +– /);
    expect(olderListed).toMatch(/record\.json +record +– /);
  }, 240_000); // eight networks trained (three members, three record networks, two small ones) and three scored again: ≈ 45–60 s alone, far more on a busy machine
});
