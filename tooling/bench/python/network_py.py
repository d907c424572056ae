"""The arithmetic of Nielsen's network.py (chapter 1), in float64 NumPy, from given start values.

Reads one JSON argument: {"images": MNIST IDX directory, "init": file of float32 values (nnkit's
initial weights [784x30], biases [30], weights [30x10], biases [10], in that order), "orders":
file of int32 training-image orders (one row of 50 000 per epoch), "epochs": n}. Trains the
784-30-10 sigmoid network with the quadratic cost, eta 3.0 over mini-batches of 10 on the first
50 000 training images (pixels / 255), exactly as network.py's update_mini_batch does (the
mini-batch's gradients summed, then w -= eta/m * sum), and prints one JSON line with the test
accuracy after every epoch. Written for this comparison; it shares no code with network.py.
"""
import json
import sys

import numpy as np


def read_idx(path, header):
    with open(path, 'rb') as handle:
        return np.frombuffer(handle.read()[header:], np.uint8)


def main():
    spec = json.loads(sys.argv[1])
    folder = spec['images']
    train_x = read_idx(f'{folder}/train-images-idx3-ubyte', 16).reshape(-1, 784)[:50000] / 255.0
    train_y = read_idx(f'{folder}/train-labels-idx1-ubyte', 8)[:50000].astype(np.int64)
    test_x = read_idx(f'{folder}/t10k-images-idx3-ubyte', 16).reshape(-1, 784) / 255.0
    test_y = read_idx(f'{folder}/t10k-labels-idx1-ubyte', 8).astype(np.int64)

    start = np.fromfile(spec['init'], np.float32).astype(np.float64)
    # nnkit stores dense weights as [inputs, units]; network.py as [units, inputs].
    w1 = start[:23520].reshape(784, 30).T.copy()
    b1 = start[23520:23550].reshape(30, 1).copy()
    w2 = start[23550:23850].reshape(30, 10).T.copy()
    b2 = start[23850:23860].reshape(10, 1).copy()
    orders = np.fromfile(spec['orders'], np.int32).reshape(-1, 50000)
    one_hot = np.eye(10)
    step = 3.0 / 10

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    accuracies = []
    for epoch in range(spec['epochs']):
        order = orders[epoch]
        for first in range(0, 50000, 10):
            batch = order[first:first + 10]
            x = train_x[batch].T
            y = one_hot[train_y[batch]].T
            a1 = sigmoid(w1 @ x + b1)
            a2 = sigmoid(w2 @ a1 + b2)
            delta2 = (a2 - y) * a2 * (1 - a2)
            delta1 = (w2.T @ delta2) * a1 * (1 - a1)
            w2 -= step * (delta2 @ a1.T)
            b2 -= step * delta2.sum(axis=1, keepdims=True)
            w1 -= step * (delta1 @ x.T)
            b1 -= step * delta1.sum(axis=1, keepdims=True)
        with np.errstate(over='ignore'):
            output = sigmoid(w2 @ sigmoid(w1 @ test_x.T + b1) + b2)
        accuracies.append(float((output.argmax(axis=0) == test_y).mean()))
    print(json.dumps({'accuracies': accuracies}))


if __name__ == '__main__':
    with np.errstate(over='ignore'):
        main()
