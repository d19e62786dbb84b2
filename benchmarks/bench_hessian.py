"""Seconds for the hw08 Hessian spectral norm at widths 10^4 to 10^6: closed form against Lanczos.

For each width m, one run times, side by side on the same weights (tanh, x = 1, v = +-1,
w ~ N(0, 1)):

1. ``course_lib.linearity.hessian_spectral_norm``: the closed form from the 2 x 2 blocks, O(m);
2. ``hessian_spectral_norm_hvp``: Lanczos on ``torch.func`` Hessian-vector products (400 steps
   at most), in float64, on the CPU and, where CUDA is available, on the GPU;

and prints the seconds, the ratio, the relative difference of the two values and sqrt(m) ||H||,
which tends to 1.24080648. A dense Hessian is out of the question: at m = 10^6 it would hold
4 * 10^12 entries (32 TB).

    .venv/bin/python benchmarks/bench_hessian.py [--widths 10000 100000 1000000] [--repeats 3]
        [--threads 1]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import torch

from course_lib.linearity import hessian_spectral_norm, hessian_spectral_norm_hvp


def best_of(run: Callable[[], float], repeats: int, sync: bool) -> tuple[float, float]:
    """(best wall seconds over ``repeats`` runs, the value of the last run)."""
    best, value = float("inf"), float("nan")
    for _ in range(repeats):
        start = time.perf_counter()
        value = run()
        if sync:
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--repeats", type=int, default=3, help="closed form: best of (default 3)")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    args = parser.parse_args()
    if any(m < 1 for m in args.widths) or args.repeats < 1 or args.threads < 1:
        parser.error("--widths, --repeats and --threads must be positive")
    torch.set_num_threads(args.threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, {args.threads} CPU thread(s), devices: {', '.join(devices)}")
    header = f"{'m':>9} {'closed form':>12} {'device':>6} {'Lanczos':>9} {'ratio':>7}"
    print(f"{header} {'rel. diff':>9} {'sqrt(m)||H||':>13}")
    for m in args.widths:
        rng = np.random.default_rng(m)
        v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
        closed_s, closed = best_of(partial(hessian_spectral_norm, 1.0, v, w), args.repeats, False)
        for device in devices:
            if device == "cuda":  # warm up the CUDA context and kernels outside the timing
                hessian_spectral_norm_hvp(1.0, v[:100], w[:100], device="cuda")
            hvp = partial(hessian_spectral_norm_hvp, 1.0, v, w, device=device)
            lanczos_s, lanczos = best_of(hvp, 1, device == "cuda")
            print(
                f"{m:>9} {closed_s:>11.4f}s {device:>6} {lanczos_s:>8.2f}s"
                f" {lanczos_s / closed_s:>6.0f}x {abs(lanczos - closed) / closed:>9.1e}"
                f" {np.sqrt(m) * closed:>13.8f}"
            )


if __name__ == "__main__":
    main()
