"""Known-wrong hw05 implementations: each must lose points on train_mlp.

``_TRAIN`` is a correct numpy trainer with switches; each mutant flips one. The per-sample loop
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
    losses = []
    for _ in range(epochs):
        if RESHUFFLE:
            order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            if FRESH_NOISE:
                xb = x[idx] + rng.normal(scale=input_noise_std, size=len(idx))
                yb = y[idx] + rng.normal(scale=label_noise_std, size=len(idx))
            else:
                xb, yb = x[idx] + fixed_input_noise[idx], y[idx] + fixed_label_noise[idx]
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
    return {"params": params, "train_loss": np.array(losses)}
"""


def _train(reshuffle: bool = True, fresh_noise: bool = True, mean: bool = True) -> str:
    return (
        _TRAIN.replace("RESHUFFLE", str(reshuffle))
        .replace("FRESH_NOISE", str(fresh_noise))
        .replace("MEAN", str(mean))
    )


MUTANTS = [
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
    losses = []
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            total = 0.0
            for i in idx:  # one sample at a time
                xi = x[i] + input_noise_std * torch.randn((), generator=gen, dtype=x.dtype)
                yi = y[i] + label_noise_std * torch.randn((), generator=gen, dtype=y.dtype)
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
    return {"params": out, "train_loss": np.array(losses)}
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
