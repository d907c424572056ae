import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

const smokeModel = inject('smokeModel');
let folder: string;

/** The float values of a model file's layers, for comparing two files' weights. */
const weightsOf = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { layers: { params: unknown }[] }).layers.map((layer) => layer.params);

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-interop-'));
});

describe('nnkit export and nnkit import', () => {
  it.each(['tfjs', 'onnx'] as const)('%s: out and back in with the same weights, the meta and an eval that agrees', (format) => {
    const out = join(folder, format === 'tfjs' ? 'tfjs-model' : 'model.onnx');
    const run = runCli(['export', smokeModel, '--format', format, '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ format, normalization: 'scale', output: 'probabilities' });
    if (format === 'tfjs') expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    const back = join(folder, `back-${format}.json`);
    const imported = runCli(['import', format === 'tfjs' ? join(out, 'model.json') : out, '--out', back]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('normalization: scale (x = pixel / 255)');
    expect(weightsOf(back)).toEqual(weightsOf(smokeModel));
    const original = runCli(['eval', smokeModel, '--limit', '300', '--json']).json<{ accuracy: number; loss: number }>();
    const again = runCli(['eval', back, '--limit', '300', '--json']).json<{ accuracy: number; loss: number }>();
    expect(again.accuracy).toBe(original.accuracy);
    expect(again.loss).toBe(original.loss);
  });

  it("writes nnkit's binary form (JSON + .bin) that every command reads, and quantized forms that say what they cost", () => {
    const out = join(folder, 'binary.json');
    expect(runCli(['export', smokeModel, '--format', 'nnkit', '--out', out]).code).toBe(0);
    expect(existsSync(join(folder, 'binary.bin'))).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('"weightsManifest"');
    const original = runCli(['eval', smokeModel, '--limit', '300', '--json']).json<{ accuracy: number; loss: number }>();
    expect(runCli(['eval', out, '--limit', '300', '--json']).json()).toMatchObject({ accuracy: original.accuracy, loss: original.loss });
    expect(runCli(['predict', out, '--help']).code).toBe(0);
    const quantized = runCli(['export', smokeModel, '--format', 'tfjs', '--quantize', 'uint8', '--out', join(folder, 'uint8'), '--limit', '300', '--json']);
    expect(quantized.code).toBe(0);
    const result = quantized.json<{ bytes: number; accuracy: { before: number; after: number; count: number } }>();
    expect(result.accuracy.before).toBe(original.accuracy);
    expect(result.accuracy.count).toBe(300);
    expect(Math.abs(result.accuracy.after - result.accuracy.before)).toBeLessThan(0.05);
    expect(quantized.stdout.trim().split('\n')).toHaveLength(1); // --json: only the result
    const text = runCli(['export', smokeModel, '--format', 'nnkit', '--quantize', 'float16', '--out', join(folder, 'half.json'), '--limit', '300']);
    expect(text.stdout).toMatch(/accuracy on 300 images \(MNIST test set\): \d+\.\d\d% → \d+\.\d\d% with float16 weights \([+−]\d+\.\d\d points\)/);
    expect(readFileSync(join(folder, 'half.bin')).length * 2).toBe(readFileSync(join(folder, 'binary.bin')).length);
    expect(runCli(['eval', join(folder, 'half.json'), '--limit', '300']).code).toBe(0);
  });
});

describe('bad input: one line naming the file and what is wrong, exit 1, nothing written', () => {
  let exports = 0;
  const tfjsFolder = () => {
    const out = join(folder, `tfjs-${++exports}`);
    expect(runCli(['export', smokeModel, '--format', 'tfjs', '--out', out]).code).toBe(0);
    return out;
  };
  const edit = (path: string, change: (json: { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } }) => void) => {
    const json = JSON.parse(readFileSync(path, 'utf8'));
    change(json);
    writeFileSync(path, JSON.stringify(json));
  };

  it('an unsupported class_name', () => {
    const out = tfjsFolder();
    edit(join(out, 'model.json'), (json) => {
      json.modelTopology.config.layers[1] = { class_name: 'GRU', config: { name: 'gru_1' } };
    });
    const target = join(folder, 'never-1.json');
    expectFailure(['import', join(out, 'model.json'), '--out', target], 1, /model\.json: layer 1 \(GRU "gru_1"\): not supported by nnkit/);
    expect(existsSync(target)).toBe(false);
  });

  it('a missing or short shard', () => {
    const out = tfjsFolder();
    const shard = join(out, 'weights.bin');
    writeFileSync(shard, readFileSync(shard).subarray(0, 100));
    const target = join(folder, 'never-2.json');
    expectFailure(['import', join(out, 'model.json'), '--out', target], 1, /model\.json: the weight shard is too short: dense_1\/kernel \[784, 32\] needs bytes 0–100352, the shard has 100\n?$/);
    mkdirSync(join(folder, 'lonely'));
    writeFileSync(join(folder, 'lonely', 'model.json'), readFileSync(join(out, 'model.json')));
    expectFailure(['import', join(folder, 'lonely', 'model.json'), '--out', target], 1, /lonely\/model\.json: weight shard weights\.bin: no such file/);
    expect(existsSync(target)).toBe(false);
  });

  it('a shape that does not match', () => {
    const out = tfjsFolder();
    edit(join(out, 'model.json'), (json) => {
      json.modelTopology.config.layers[1].config.units = 31;
    });
    expectFailure(['import', join(out, 'model.json'), '--out', join(folder, 'never-3.json')], 1, /model\.json: layer 1 \(Dense "dense_1"\): weights should be \[784, 31\] for this layer, the file has \[784, 32\]/);
  });

  it('a truncated .onnx file', () => {
    const onnx = join(folder, 'whole.onnx');
    expect(runCli(['export', smokeModel, '--format', 'onnx', '--out', onnx]).code).toBe(0);
    const cut = join(folder, 'cut.onnx');
    writeFileSync(cut, readFileSync(onnx).subarray(0, 5000));
    expectFailure(['import', cut, '--out', join(folder, 'never-4.json')], 1, /cut\.onnx: not a readable ONNX model \(truncated or corrupted\?/);
    expect(existsSync(join(folder, 'never-4.json'))).toBe(false);
  });

  it('a binary model whose shard is missing, for any command', () => {
    const out = join(folder, 'orphan.json');
    expect(runCli(['export', smokeModel, '--format', 'nnkit', '--out', out]).code).toBe(0);
    writeFileSync(join(folder, 'orphan.bin'), new Uint8Array(10));
    expectFailure(['eval', out, '--limit', '10'], 1, /orphan\.json: the weight shard is too short: layers\[1\]\.weights \[784, 32\]/);
  });

  it('a layer the format cannot hold, and options that do not fit', () => {
    const elu = join(folder, 'elu.json');
    const model = JSON.parse(readFileSync(smokeModel, 'utf8'));
    model.layers[2].config = { kind: 'elu', alpha: 0.5 };
    writeFileSync(elu, JSON.stringify(model));
    expectFailure(['export', elu, '--format', 'tfjs', '--out', join(folder, 'never-5')], 1, /elu\.json: layer 2 \(elu, alpha 0\.5\): TensorFlow\.js's ELU layer supports only alpha 1/);
    expect(existsSync(join(folder, 'never-5'))).toBe(false);
    expectFailure(['export', smokeModel, '--format', 'onnx', '--quantize', 'uint8', '--out', join(folder, 'q.onnx')], 2, /--quantize applies to --format tfjs or nnkit/);
  });
});
