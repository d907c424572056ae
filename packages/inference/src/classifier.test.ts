import { Dense, Sequential, saveModel } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { fetchClassifier, loadClassifier } from './classifier.js';

// A 4-pixel, 3-class linear model with hand-set weights: class k scores pixel k.
function tinyModelText(): string {
  const model = new Sequential({ inputShape: [2, 2, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 3 }], loss: { kind: 'softmaxCrossEntropy' } }, createRng(1));
  const [weights, biases] = model.params;
  weights.value.data.fill(0);
  for (let k = 0; k < 3; k++) weights.value.data[k * 3 + k] = 10; // [inputs, units] row-major
  biases.value.data.fill(0);
  return saveModel(model);
}

describe('loadClassifier', () => {
  it('predicts the class whose pixel is lit, with softmax probabilities', () => {
    const classifier = loadClassifier(tinyModelText());
    const { digit, probabilities } = classifier.predict(new Uint8Array([0, 255, 0, 0]));
    expect(digit).toBe(1);
    const e = Math.exp(10);
    [1 / (e + 2), e / (e + 2), 1 / (e + 2)].forEach((expected, k) => expect(probabilities[k]).toBeCloseTo(expected, 6));
    // Floats 0–1 are taken as they are.
    expect(classifier.predict(new Float32Array([0, 0, 1, 0])).digit).toBe(2);
    expect(() => classifier.predict(new Uint8Array(5))).toThrow('predict: 5 pixels, expected 2×2×1 = 4');
  });

  it('says a blank drawing is no digit', () => {
    const classifier = loadClassifier(tinyModelText());
    const blank = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(255) };
    expect(classifier.predictDrawing(blank).digit).toBe(-1);
  });

  it('names the source of a broken file', () => {
    expect(() => loadClassifier('{', 'net.json')).toThrow(/^net\.json/);
  });
});

describe('fetchClassifier', () => {
  it('loads what the URL serves and names the URL on an HTTP error', async () => {
    const text = tinyModelText();
    const classifier = await fetchClassifier('m.json', { fetch: async () => new Response(text) });
    expect(classifier.model.layers.length).toBe(2);
    await expect(fetchClassifier('gone.json', { fetch: async () => new Response('', { status: 404 }) })).rejects.toThrow('gone.json: HTTP 404; expected an nnkit model file');
  });
});
