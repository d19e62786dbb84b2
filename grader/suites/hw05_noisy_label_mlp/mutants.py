"""Known-wrong hw05 implementations: each must lose points on train_mlp.

``_TRAIN`` is a correct numpy trainer that reports its draws, with switches; each mutant flips
one. The per-sample loop
is the seed's approach (torch autograd, one sample at a time): its results are right but it is
about 50x too slow, so only the calibrated time limit catches it.
"""

from grader.suites import Mutant

_TRAIN = """\
import numpy as np


def train_mlp(x, y, params, *, epochs, batch_size, lr, label_noise_std=0.0,
              input_noise_std=0.0, seed=0, device="auto"):
    rng = np.random.default_rng(seed)
    x, y = np.asarray(x, float), np.asarray(y, float)
    params = [[np.array(W, float), np.array(b, float)] for W, b in params]
    n = len(x)
    order = rng.permutation(n)
    fixed_label_noise = rng.normal(scale=label_noise_std, size=n)
    fixed_input_noise = rng.normal(scale=input_noise_std, size=n)
    losses, orders, added = [], [], {"label_noise": [], "input_noise": []}
    for _ in range(epochs):
        if RESHUFFLE:
            order = rng.permutation(n)
        orders.append(rng.permutation(n) if LIE else order.copy())
        added["label_noise"].append(np.empty(n))
        added["input_noise"].append(np.empty(n))
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            if FRESH_NOISE:
                xi = rng.normal(scale=input_noise_std, size=len(idx))
                eps = rng.normal(scale=label_noise_std, size=len(idx))
            else:
                xi, eps = fixed_input_noise[idx], fixed_label_noise[idx]
            added["input_noise"][-1][start:start + len(idx)] = xi
            added["label_noise"][-1][start:start + len(idx)] = eps
            xb, yb = x[idx] + xi, y[idx] + eps
            acts = [xb[:, None]]
            for k, (W, b) in enumerate(params):
                z = acts[-1] @ W.T + b
                acts.append(1 / (1 + np.exp(-z)) if k < len(params) - 1 else z)
            delta = 2.0 * (acts[-1][:, 0] - yb)[:, None] / (len(idx) if MEAN else 1)
            for k in range(len(params) - 1, -1, -1):
                W, b = params[k]
                grad_W, grad_b = delta.T @ acts[k], delta.sum(0)
                if k:
                    delta = (delta @ W) * acts[k] * (1 - acts[k])
                params[k] = [W - lr * grad_W, b - lr * grad_b]
        losses.append(np.mean((mlp_forward(params, x) - y) ** 2))
    draws = {"order": np.array(orders, dtype=np.int64).reshape(epochs, n)}
    draws.update({k: np.array(v).reshape(epochs, n) for k, v in added.items()})
    return {"params": params, "train_loss": np.array(losses), "draws": draws}
"""


def _train(
    reshuffle: bool = True, fresh_noise: bool = True, mean: bool = True, lie: bool = False
) -> str:
    """The trainer with its switches; it reports its own draws (or, with ``lie``, an order it
    did not use)."""
    return (
        _TRAIN.replace("RESHUFFLE", str(reshuffle))
        .replace("FRESH_NOISE", str(fresh_noise))
        .replace("MEAN", str(mean))
        .replace("LIE", str(lie))
    )


MUTANTS = [
    Mutant(
        name="reports_draws_it_did_not_use",
        question="train_mlp",
        why="one shuffle for the whole run, reporting a fresh permutation every epoch",
        source=_train(reshuffle=False, lie=True),
    ),
    Mutant(
        name="sum_not_mean",
        question="train_mlp",
        why="the gradient of the summed batch loss: steps batch_size times too large",
        source=_train(mean=False),
    ),
    Mutant(
        name="noise_drawn_once",
        question="train_mlp",
        why="draws the noise once for the whole run: every epoch sees the same noisy data",
        source=_train(fresh_noise=False),
    ),
    Mutant(
        name="no_reshuffling",
        question="train_mlp",
        why="shuffles once: every epoch replays the same batches",
        source=_train(reshuffle=False),
    ),
    Mutant(
        name="per_sample_loop",
        question="train_mlp",
        why="the seed's loop over single samples: correct, but far too slow",
        source="""\
import numpy as np
import torch


def train_mlp(x, y, params, *, epochs, batch_size, lr, label_noise_std=0.0,
              input_noise_std=0.0, seed=0, device="auto"):
    gen = torch.Generator().manual_seed(seed)
    x = torch.as_tensor(np.asarray(x, float))
    y = torch.as_tensor(np.asarray(y, float))
    layers = [[torch.tensor(np.asarray(W, float), requires_grad=True),
               torch.tensor(np.asarray(b, float), requires_grad=True)] for W, b in params]
    losses, orders, noises = [], [], []
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        orders.append(order.numpy())
        noises.append(np.zeros((2, len(x))))
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            total = 0.0
            for k, i in enumerate(idx):  # one sample at a time
                xi_noise = input_noise_std * torch.randn((), generator=gen, dtype=x.dtype)
                yi_noise = label_noise_std * torch.randn((), generator=gen, dtype=y.dtype)
                noises[-1][:, start + k] = float(yi_noise), float(xi_noise)
                xi, yi = x[i] + xi_noise, y[i] + yi_noise
                h = xi.reshape(1, 1)
                for k, (W, b) in enumerate(layers):
                    h = h @ W.T + b
                    if k < len(layers) - 1:
                        h = torch.sigmoid(h)
                total = total + (h[0, 0] - yi) ** 2
            loss = total / len(idx)
            grads = torch.autograd.grad(loss, [p for layer in layers for p in layer])
            with torch.no_grad():
                for p, g in zip([p for layer in layers for p in layer], grads):
                    p -= lr * g
        with torch.no_grad():
            h = x[:, None]
            for k, (W, b) in enumerate(layers):
                h = h @ W.T + b
                if k < len(layers) - 1:
                    h = torch.sigmoid(h)
            losses.append(float(((h[:, 0] - y) ** 2).mean()))
    out = [[W.detach().numpy(), b.detach().numpy()] for W, b in layers]
    noise = np.array(noises).reshape(epochs, 2, len(x))
    draws = {"order": np.array(orders, dtype=np.int64).reshape(epochs, len(x)),
             "label_noise": noise[:, 0], "input_noise": noise[:, 1]}
    return {"params": out, "train_loss": np.array(losses), "draws": draws}
""",
    ),
    Mutant(
        name="sigmoid_on_output",
        question="mlp_forward",
        why="applies the sigmoid to the output as well: the output layer must be linear",
        source="""\
import numpy as np


def mlp_forward(params, x):
    h = np.asarray(x, float)[:, None]
    for W, b in params:
        h = 1 / (1 + np.exp(-(h @ np.asarray(W, float).T + np.asarray(b, float))))
    return h[:, 0]
""",
    ),
]
