"""PyTorch (CPU) on one nnkit reference workload, for `pnpm bench:peers`.

Usage: python3 torch_peer.py '<spec JSON>'

The spec (written by tooling/bench/src/peers/pytorch.ts) names the workload, its batch sizes,
optimizer, step schedules, seed, thread count and the MNIST directory. The script prints one
JSON line, the same report the Node runners print: library, backend, per-phase raw timings
(milliseconds of each timed run), losses, and peak memory (ru_maxrss).

Set OPENBLAS_NUM_THREADS=1 in the environment (the caller does): PyTorch parallelises with its
own thread pool (torch.set_num_threads), and OpenBLAS threads on top of it oversubscribe the
cores. The networks are those of tooling/bench/src/peers/workloads.ts (BENCHMARKS.md).
python/torch_fast.py, beside it, times the `fast` preset from start to finish.
"""

import gzip
import json
import os
import resource
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def read_idx(path):
    """The array in an IDX file (MNIST's format), gunzipped when it starts with the gzip magic."""
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    dimensions = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def load_mnist(directory):
    """Training and test images as float32 [n, 1, 28, 28] in [0, 1], labels as int64."""

    def pair(prefix):
        images = read_idx(os.path.join(directory, prefix + "-images-idx3-ubyte"))
        labels = read_idx(os.path.join(directory, prefix + "-labels-idx1-ubyte"))
        x = torch.from_numpy(images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
        return x, torch.from_numpy(labels.astype(np.int64))

    return pair("train"), pair("t10k")


def current_rss_megabytes():
    """Resident set size now (Linux /proc), else the peak so far."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def record_layers():
    """bench-record: the record network with 'same' 3×3 convolutions, `record-ensemble`'s `same` network
    (nnkit's batch norm: momentum 0.99, epsilon 1e-3).

    PyTorch has no 'same' padding for strided convolutions; padding=2 gives the 5×5 stride-2
    convolutions the same output size and arithmetic (nnkit pads 1 before and 2 after).
    """
    layers = []
    channels = 1
    for filters in (32, 64):
        for kernel, stride, padding in ((3, 1, 1), (3, 1, 1), (5, 2, 2)):
            layers += [nn.Conv2d(channels, filters, kernel, stride=stride, padding=padding), nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01), nn.ReLU()]
            channels = filters
        layers.append(nn.Dropout(0.4))
    layers += [nn.Conv2d(64, 128, 4), nn.BatchNorm2d(128, eps=1e-3, momentum=0.01), nn.ReLU(), nn.Flatten(), nn.Dropout(0.4), nn.Linear(2048, 10)]
    return layers


def build_model(name):
    """bench-mlp, bench-cnn or bench-record; he init before a ReLU, glorot on the output layer, zero biases."""
    if name == "bench-mlp":
        layers = [nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10)]
    elif name == "bench-cnn":
        layers = [
            nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(20, 40, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(640, 100), nn.ReLU(), nn.Linear(100, 10),
        ]
    elif name == "bench-record":
        layers = record_layers()
    else:
        raise ValueError("torch_peer.py: unknown workload %r" % name)
    weighted = [layer for layer in layers if isinstance(layer, (nn.Linear, nn.Conv2d))]
    for index, layer in enumerate(weighted):
        if index == len(weighted) - 1:
            nn.init.xavier_uniform_(layer.weight)
        else:
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def build_optimizer(spec, params):
    if spec["kind"] == "adam":
        return torch.optim.Adam(params, lr=spec["learningRate"], betas=(spec["beta1"], spec["beta2"]), eps=spec["epsilon"])
    if spec["kind"] == "momentum":
        return torch.optim.SGD(params, lr=spec["learningRate"], momentum=spec["momentum"])
    raise ValueError("torch_peer.py: unknown optimizer %r" % spec["kind"])


def time_steps(schedule, batch_size, step):
    """`warmup` untimed steps, then `runs` timings of `steps` steps; steps numbered 0, 1, 2…"""
    index = 0
    first_loss = None
    for _ in range(schedule["warmup"]):
        loss = step(index)
        index += 1
        if first_loss is None and loss is not None:
            first_loss = loss
    milliseconds = []
    last_loss = None
    for _ in range(schedule["runs"]):
        losses = []
        start = time.perf_counter()
        for _ in range(schedule["steps"]):
            loss = step(index)
            index += 1
            if loss is not None:
                losses.append(loss)
        milliseconds.append((time.perf_counter() - start) * 1000.0)
        if losses:
            if first_loss is None:
                first_loss = losses[0]
            last_loss = sum(losses) / len(losses)
    result = {"batchSize": batch_size, "warmup": schedule["warmup"], "steps": schedule["steps"], "milliseconds": milliseconds}
    if first_loss is not None:
        result["firstLoss"] = first_loss
    if last_loss is not None:
        result["lastLoss"] = last_loss
    return result


def total_steps(schedule):
    return schedule["warmup"] + schedule["steps"] * schedule["runs"]


def read_spec(argv, script):
    """The spec JSON of the one argument; PyTorch set to its threads and seed."""
    if len(argv) != 2:
        sys.exit("usage: %s '<spec JSON>'" % script)
    spec = json.loads(argv[1])
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(spec["seed"])
    return spec


def main(argv):
    spec = read_spec(argv, "torch_peer.py")
    (train_x, train_y), (test_x, _) = load_mnist(spec["mnistDirectory"])
    data_rss = current_rss_megabytes()
    model = build_model(spec["workload"])

    train = None
    if spec["train"] is not None:
        schedule = spec["train"]
        batch = spec["batchSize"]
        generator = torch.Generator().manual_seed(spec["seed"])
        count = train_x.shape[0]
        needed = total_steps(schedule) * batch
        order = torch.cat([torch.randperm(count, generator=generator) for _ in range(needed // count + 1)])[:needed]
        optimizer = build_optimizer(spec["optimizer"], model.parameters())
        # bench-record keeps the record preset's loss: cross-entropy with label smoothing 0.1.
        label_smoothing = 0.1 if spec["workload"] == "bench-record" else 0.0
        model.train()

        def train_step(step):
            indices = order[step * batch : (step + 1) * batch]
            x, y = train_x[indices], train_y[indices]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y, label_smoothing=label_smoothing)
            loss.backward()
            optimizer.step()
            return loss.item()

        train = time_steps(schedule, batch, train_step)

    infer = None
    if spec["infer"] is not None:
        schedule = spec["infer"]
        batch = spec["inferBatchSize"]
        count = test_x.shape[0]
        model.eval()
        checksum = [0.0]

        def infer_step(step):
            start = (step * batch) % count
            indices = torch.arange(start, start + batch) % count
            with torch.no_grad():
                output = model(test_x[indices])
            checksum[0] += float(output[0, 0])
            return None

        infer = time_steps(schedule, batch, infer_step)

    report = {
        "library": "torch %s" % torch.__version__,
        "backend": "cpu, %d thread%s" % (torch.get_num_threads(), "" if torch.get_num_threads() == 1 else "s"),
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "train": train,
        "infer": infer,
        "peakRssMegabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "dataRssMegabytes": data_rss,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv)
