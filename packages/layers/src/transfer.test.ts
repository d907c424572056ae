import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Sequential, type ModelDefinition } from './sequential.js';
import { transferWeights } from './transfer.js';

const network = (classes: number, hidden = 8) =>
  ({
    inputShape: [6],
    layers: [{ kind: 'dense', units: hidden }, { kind: 'batchNorm' }, { kind: 'relu' }, { kind: 'dense', units: classes }],
    loss: { kind: 'softmaxCrossEntropy' },
  }) satisfies ModelDefinition;

describe('transferWeights', () => {
  it('copies every layer of the same network', () => {
    const source = new Sequential(network(10), createRng(1));
    source.state[0].value.data.fill(0.5);
    const target = new Sequential(network(10), createRng(2));
    expect(transferWeights(source, target)).toEqual({ copied: [0, 1, 2, 3], kept: [] });
    expect(target.params.map((param) => [...param.value.data])).toEqual(source.params.map((param) => [...param.value.data]));
    expect([...target.state[0].value.data]).toEqual([...source.state[0].value.data]);
  });

  it('keeps a head of another class count as initialised, copying the rest', () => {
    const source = new Sequential(network(10), createRng(1));
    const target = new Sequential(network(26), createRng(2));
    const head = [...target.layers[3].params[0].value.data];
    expect(transferWeights(source, target)).toEqual({ copied: [0, 1, 2], kept: [3] });
    expect([...target.layers[0].params[0].value.data]).toEqual([...source.layers[0].params[0].value.data]);
    expect([...target.layers[3].params[0].value.data]).toEqual(head);
  });

  it('refuses a network that differs before the head, naming the layer', () => {
    const source = new Sequential(network(10), createRng(1));
    expect(() => transferWeights(source, new Sequential(network(10, 9), createRng(2)))).toThrow(
      'transferWeights: layer 0 (dense_1) is {"kind":"dense","units":9,"init":"glorot"} but the source has {"kind":"dense","units":8,"init":"glorot"} there; only the head (the last dense layer on) may differ',
    );
  });
});
