"""Seconds to train the hw05 MLP: reference ``train_mlp`` against a per-sample loop and a floor.

At the homework's size (512 points x ~ N(0, 1), y = f_true(x), 1-64-64-1 sigmoid, batch 128,
lr 0.1, 1000 epochs) one run times, side by side on the same data and initial weights:

1. ``course_lib.noisy_mlp.train_mlp`` (float64, explicit backprop, one product per layer);
2. a per-sample loop, the homework's approach: torch autograd, float32, one forward pass per
   sample, the summed loss of a batch back-propagated once (``--baseline-epochs`` epochs, the
   time scaled linearly to ``--epochs`` and marked as extrapolated);
3. the floor: a plain batched PyTorch loop, ``torch.nn.Sequential`` + ``torch.optim.SGD`` in
   float32, recording the clean full-data loss every epoch as ``train_mlp`` does;
4. ``--ensemble-seeds`` models trained at once by ``train_ensemble`` against one at a time by
   ``train_mlp`` (``--ensemble-epochs`` epochs), in seeds per second;
5. the same on the GPU with ``--device cuda`` (or ``auto``, the default, when CUDA is present).

Wall seconds are the best of ``--repeats`` runs (one for the per-sample loop); CPU seconds are
the process time of that run, which a busy shared machine disturbs less. The loops in 2 and 3
run with ``--threads`` torch threads (default 1: ``train_mlp`` runs single-threaded on CPU
itself, and for these small products extra threads only wait).

    .venv/bin/python benchmarks/bench_mlp.py [--baseline-epochs 20] [--ensemble-epochs 200]
        [--ensemble-seeds 8] [--repeats 3] [--threads 1] [--device auto|cpu|cuda]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import torch

from course_lib.noisy_mlp import f_true, init_mlp, train_ensemble, train_mlp

WIDTHS = (1, 64, 64, 1)


def timed(run: Callable[[], float], device: str, repeats: int) -> tuple[float, float, float]:
    """(best wall seconds, CPU seconds of that run, the value the run returned)."""
    best = (float("inf"), 0.0, float("nan"))
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        value = run()
        if device == "cuda":
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall < best[0]:
            best = (wall, cpu, value)
    return best


def torch_mlp(params: list, device: str) -> torch.nn.Sequential:
    """The homework's network as a float32 ``nn.Sequential`` holding the weights ``params``."""
    layers: list[torch.nn.Module] = []
    for k, (W, b) in enumerate(params):
        linear = torch.nn.Linear(W.shape[1], W.shape[0])
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(W))
            linear.bias.copy_(torch.as_tensor(b))
        layers.append(linear)
        if k < len(params) - 1:
            layers.append(torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers).to(device)


def per_sample_loop(x, y, params, *, epochs, batch_size, lr, device, seed) -> float:
    """SGD where each batch's loss is built one sample at a time (one tiny forward per sample);
    returns the clean full-data loss after the last epoch."""
    model = torch_mlp(params, device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    xs = torch.as_tensor(x, dtype=torch.float32, device=device)
    ys = torch.as_tensor(y, dtype=torch.float32, device=device)
    gen = torch.Generator(device=device).manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(xs), generator=gen, device=device).tolist()
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            total = torch.zeros((), device=device)
            for i in batch:
                prediction = model(xs[i].reshape(1, 1))
                total = total + (prediction[0, 0] - ys[i]) ** 2
            (total / len(batch)).backward()
            optimizer.step()
    with torch.no_grad():
        return float(torch.mean((model(xs[:, None])[:, 0] - ys) ** 2))


def plain_batched_loop(x, y, params, *, epochs, batch_size, lr, device, seed) -> float:
    """The floor: nn.Sequential + optim.SGD on index batches, float32, the clean loss recorded
    every epoch without synchronizing; returns the last one."""
    model = torch_mlp(params, device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    xs = torch.as_tensor(x, dtype=torch.float32, device=device)[:, None]
    ys = torch.as_tensor(y, dtype=torch.float32, device=device)[:, None]
    gen = torch.Generator(device=device).manual_seed(seed)
    losses = torch.empty(epochs, device=device)
    for epoch in range(epochs):
        order = torch.randperm(len(xs), generator=gen, device=device)
        for start in range(0, len(xs), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(xs[batch]), ys[batch]).backward()
            optimizer.step()
        with torch.no_grad():
            losses[epoch] = torch.nn.functional.mse_loss(model(xs), ys)
    return float(losses[-1])


def bench(device: str, args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    x = rng.normal(size=args.points)
    y = f_true(x)
    params = init_mlp(WIDTHS, seed=args.seed)
    hw = {"batch_size": args.batch_size, "lr": args.lr, "device": device, "seed": args.seed}

    def reference(epochs: int) -> float:
        return float(train_mlp(x, y, params, epochs=epochs, **hw)["train_loss"][-1])

    def baseline(epochs: int) -> float:
        return per_sample_loop(x, y, params, epochs=epochs, **hw)

    def floor(epochs: int) -> float:
        return plain_batched_loop(x, y, params, epochs=epochs, **hw)

    ens = {"epochs": args.ensemble_epochs, "batch_size": args.batch_size, "lr": args.lr}
    seeds = list(range(args.ensemble_seeds))

    def together() -> float:
        runs = train_ensemble(x, y, seeds, widths=WIDTHS, **ens, device=device)
        return float(np.median([run["train_loss"][-1] for run in runs]))

    def one_by_one() -> float:
        losses = [
            train_mlp(x, y, init_mlp(WIDTHS, seed=s), **ens, seed=s, device=device)["train_loss"]
            for s in seeds
        ]
        return float(np.median([loss[-1] for loss in losses]))

    threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    try:
        for warm_up in (reference, baseline, floor):  # first-call costs: allocator, kernels
            warm_up(2)
        ref = timed(lambda: reference(args.epochs), device, args.repeats)
        base = timed(lambda: baseline(args.baseline_epochs), device, 1)
        flo = timed(lambda: floor(args.epochs), device, args.repeats)
        ens_at_once = timed(together, device, 1)
        ens_serial = timed(one_by_one, device, 1)
    finally:
        torch.set_num_threads(threads)
    scale = args.epochs / args.baseline_epochs
    base_wall, base_cpu = base[0] * scale, base[1] * scale

    name = torch.cuda.get_device_name() if device == "cuda" else "CPU"
    print(
        f"\n== {device} ({name}); torch {torch.__version__}; {args.points} points, "
        f"1-64-64-1 sigmoid, batch {args.batch_size}, lr {args.lr} =="
    )
    print(f"{'':50s} {'epochs':>7s} {'wall s':>8s} {'cpu s':>8s} {'final loss':>11s}")
    rows = [
        ("per-sample loop (homework's approach), float32", f"{args.epochs}*", base_wall, base_cpu,
         "-"),
        ("reference train_mlp, float64", str(args.epochs), ref[0], ref[1], f"{ref[2]:.4g}"),
        ("floor: nn.Sequential + optim.SGD, float32", str(args.epochs), flo[0], flo[1],
         f"{flo[2]:.4g}"),
        (f"train_ensemble, {len(seeds)} seeds at once", str(args.ensemble_epochs),
         ens_at_once[0], ens_at_once[1], f"{ens_at_once[2]:.4g} (median)"),
        (f"train_mlp, {len(seeds)} seeds one at a time", str(args.ensemble_epochs),
         ens_serial[0], ens_serial[1], f"{ens_serial[2]:.4g} (median)"),
    ]  # fmt: skip
    for label, epochs, wall, cpu, loss in rows:
        print(f"{label:50s} {epochs:>7s} {wall:8.2f} {cpu:8.2f} {loss:>11s}")
    print(
        f"* extrapolated linearly from {args.baseline_epochs} epochs "
        f"({base[0]:.2f} s wall, {base[1]:.2f} s cpu)"
    )
    print(
        f"baseline / reference: {base_wall / ref[0]:.0f}x wall, {base_cpu / ref[1]:.0f}x cpu "
        "(target >= 100x)"
    )
    print(
        f"reference / floor:    {ref[0] / flo[0]:.2f} wall, {ref[1] / flo[1]:.2f} cpu (target <= 2)"
    )
    print(
        f"ensemble: {len(seeds) / ens_at_once[0]:.2f} seeds/s at once, "
        f"{len(seeds) / ens_serial[0]:.2f} seeds/s one at a time: speed-up "
        f"{ens_serial[0] / ens_at_once[0]:.2f}x wall, {ens_serial[1] / ens_at_once[1]:.2f}x cpu"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=512, help="training points (default 512)")
    parser.add_argument("--epochs", type=int, default=1000, help="epochs (default 1000)")
    parser.add_argument("--batch-size", type=int, default=128, help="batch size (default 128)")
    parser.add_argument("--lr", type=float, default=0.1, help="step size (default 0.1)")
    parser.add_argument(
        "--baseline-epochs",
        type=int,
        default=20,
        help="epochs actually run by the per-sample loop, scaled to --epochs (default 20)",
    )
    parser.add_argument(
        "--ensemble-seeds", type=int, default=8, help="models in the ensemble (default 8)"
    )
    parser.add_argument(
        "--ensemble-epochs", type=int, default=200, help="epochs of the ensemble (default 200)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument(
        "--threads", type=int, default=1, help="torch threads for the loops 2 and 3 (default 1)"
    )
    parser.add_argument(
        "--device",
        choices=["auto", "cpu", "cuda"],
        default="auto",
        help="cpu: CPU only; cuda: CPU then GPU; auto (default): the GPU too when present",
    )
    parser.add_argument("--seed", type=int, default=0, help="data, weights and SGD (default 0)")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but torch.cuda.is_available() is False")
    bench("cpu", args)
    if args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available()):
        bench("cuda", args)


if __name__ == "__main__":
    main()
