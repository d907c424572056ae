import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import { CheckpointFormatError, parseCheckpoint, serializeCheckpoint, type CheckpointState } from './checkpoint.js';
import { fit } from './fit.js';

async function sampleCheckpoint(): Promise<CheckpointState> {
  let last: CheckpointState | undefined;
  const train = quadrantDataset(50, 'checkpoint');
  await fit(new TinyModel(train.imageShape, 4, 1), { train }, {
    epochs: 1,
    batchSize: 10,
    optimizer: { kind: 'adam' },
    earlyStopping: true,
    checkpoint: { save: (state) => void (last = state) },
  });
  return last!;
}

describe('checkpoint files', () => {
  it('round-trips through JSON text unchanged', async () => {
    const state = await sampleCheckpoint();
    expect(parseCheckpoint(serializeCheckpoint(state))).toEqual(JSON.parse(serializeCheckpoint(state)));
  });

  it('names the broken field in one line', async () => {
    const text = serializeCheckpoint(await sampleCheckpoint());
    const broken = (change: (json: Record<string, any>) => void): string => {
      const json = JSON.parse(text);
      change(json);
      return JSON.stringify(json);
    };
    const cases: [string, string][] = [
      ['{', 'run.json: (file): expected JSON text'],
      [broken((j) => (j.format = 'nnkit-model')), 'run.json: format: expected "nnkit-checkpoint", got "nnkit-model"'],
      [broken((j) => (j.version = 2)), 'run.json: version: expected 1'],
      [broken((j) => (j.position.batch = -1)), 'run.json: position.batch: expected an integer >= 0, got -1'],
      [broken((j) => (j.params[0].data = 'AAAA')), 'run.json: params[0].data: expected base64 of 64 float32 values (344 characters), got 4 characters'],
      [broken((j) => delete j.rng.dropout.alea.s1), 'run.json: rng.dropout.alea.s1: expected a finite number, got nothing'],
      [broken((j) => (j.history = {})), 'run.json: history: expected a list, got an object'],
    ];
    for (const [input, message] of cases) {
      const error = (() => {
        try {
          parseCheckpoint(input, 'run.json');
        } catch (caught) {
          return caught as Error;
        }
        throw new Error(`accepted: ${message}`);
      })();
      expect(error).toBeInstanceOf(CheckpointFormatError);
      expect(error.message.startsWith(message)).toBe(true);
      expect(error.message).not.toContain('\n');
    }
  });
});

describe('checkpoint checksum and finite numbers', () => {
  /** `text` with the base64 character at `index` of `data` replaced by another one. */
  const flip = (data: string, index: number) => `${data.slice(0, index)}${data[index] === 'A' ? 'B' : 'A'}${data.slice(index + 1)}`;

  it('a flipped base64 character in the parameters or the optimizer buffers fails the checksum', async () => {
    const json = JSON.parse(serializeCheckpoint(await sampleCheckpoint()));
    expect(json.checksum).toMatch(/^crc32:[0-9a-f]{8}$/);
    const inParams = structuredClone(json);
    inParams.params[1].data = flip(inParams.params[1].data, 3);
    expect(() => parseCheckpoint(JSON.stringify(inParams), 'run.json')).toThrow(/^run\.json: checksum: the stored numbers give crc32:[0-9a-f]{8}, not crc32:/);
    const inSlots = structuredClone(json);
    const [slot] = Object.keys(inSlots.optimizer.slots);
    inSlots.optimizer.slots[slot][0] = flip(inSlots.optimizer.slots[slot][0], 0);
    expect(() => parseCheckpoint(JSON.stringify(inSlots), 'run.json')).toThrow('run.json: checksum:');
    delete json.checksum; // written before checksums: still read
    expect(parseCheckpoint(JSON.stringify(json)).params).toHaveLength(json.params.length);
  });

  it('a NaN parameter is a format error naming the value', async () => {
    const json = JSON.parse(serializeCheckpoint(await sampleCheckpoint()));
    // 0x7fc00000, little-endian: a quiet NaN as the first value.
    json.params[0].data = `AADAfw${json.params[0].data.slice(6)}`;
    expect(() => parseCheckpoint(JSON.stringify(json), 'run.json')).toThrow('run.json: params[0].data: value 0 is NaN, expected finite numbers');
  });
});
