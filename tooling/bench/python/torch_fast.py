"""The `fast` preset in PyTorch (CPU), start to finish, for `pnpm bench:peers` (time to 99 %).

Usage: python3 torch_fast.py '<spec JSON>'

The spec (written by tooling/bench/src/peers/time-to-accuracy.ts) gives the thread count, seed,
epochs, batch size, learning rate, an optional limit on the training images and the MNIST
directory. The recipe is nnkit's `fast` preset (packages/train/src/presets.ts): conv 16@5×5 ReLU
→ max-pool 2 → conv 32@5×5 ReLU → max-pool 2 → dense 100 ReLU → dense 10, He initialisation,
softmax cross-entropy, Adam with a cosine schedule over the epochs (stepped once an epoch, as
nnkit's), batch 64, a fresh shuffle every epoch. The caller times the whole process; the script
prints one JSON line with the test accuracy and its peak memory.
"""

import json
import resource
import sys

import torch
from torch import nn
import torch.nn.functional as F

from torch_peer import load_mnist, read_spec


def build_model():
    layers = [
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(512, 100), nn.ReLU(), nn.Linear(100, 10),
    ]
    for layer in layers:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def main(argv):
    spec = read_spec(argv, "torch_fast.py")
    (train_x, train_y), (test_x, test_y) = load_mnist(spec["mnistDirectory"])
    if spec["limit"] is not None:
        train_x, train_y = train_x[: spec["limit"]], train_y[: spec["limit"]]
    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learningRate"])
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=spec["epochs"])
    batch = spec["batchSize"]
    count = train_x.shape[0]
    for _ in range(spec["epochs"]):
        model.train()
        order = torch.randperm(count)
        for start in range(0, count, batch):
            indices = order[start : start + batch]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(train_x[indices]), train_y[indices])
            loss.backward()
            optimizer.step()
        schedule.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, test_x.shape[0], 1000):
            correct += int((model(test_x[start : start + 1000]).argmax(1) == test_y[start : start + 1000]).sum())
    print(json.dumps({
        "library": "torch %s" % torch.__version__,
        "accuracy": correct / test_x.shape[0],
        "peakRssMegabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main(sys.argv)
