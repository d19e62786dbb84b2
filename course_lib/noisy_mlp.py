r"""Training a small MLP with noisy labels or noisy inputs: what the noise does, and fast SGD.

The homework fits the target :math:`f_\star(x) = (x - 2)\cos(4x)` with a 1-64-64-1 sigmoid MLP
trained by minibatch SGD on the mean squared error, once on clean data, once with Gaussian noise
added to the labels and once with Gaussian noise added to the inputs, fresh noise every time a
batch is drawn. The two kinds of noise are *not* the same thing.

**Label noise does not regularize the objective.** For :math:`y = t + \varepsilon` with
:math:`\mathbb{E}\varepsilon = 0` and :math:`\operatorname{Var}\varepsilon = s^2`, independent
of everything else,

.. math::

    \mathbb{E}_\varepsilon\bigl[(f(x) - t - \varepsilon)^2\bigr] = (f(x) - t)^2 + s^2, \qquad
    \mathbb{E}_\varepsilon\bigl[2(f(x) - t - \varepsilon)\,\nabla_\theta f(x)\bigr]
    = 2(f(x) - t)\,\nabla_\theta f(x) .

The expected loss moves by a constant and the expected gradient does not move at all: gradient
descent on the expected objective is unchanged, so label noise is not Tikhonov regularization.
Whatever it changes comes from the *dynamics* of SGD, through the extra gradient noise
:math:`-2\varepsilon\nabla_\theta f(x)`, whose covariance over a batch of :math:`m` points,
:math:`(4s^2/m)\,\overline{\nabla_\theta f\,\nabla_\theta f^\top}`, is proportional to the
Gauss-Newton matrix; the implicit bias toward flatter minima that this produces is studied by
Blanc, Gupta, Valiant and Valiant (2020) and Damian, Ma and Lee (2021).

**Input noise is, to first order, a smoothness penalty** (Bishop, 1995). For
:math:`x + \xi`, :math:`\mathbb{E}\xi = 0`, :math:`\operatorname{Var}\xi = s^2`, a second-order
Taylor expansion of :math:`f` gives

.. math::

    \mathbb{E}_\xi\bigl[(f(x + \xi) - t)^2\bigr]
    = (f(x) - t)^2 + s^2\bigl[f'(x)^2 + (f(x) - t) f''(x)\bigr] + O(s^4),

and near a good fit (:math:`f \approx t`) the regularizer is :math:`s^2 f'(x)^2`. For a linear
model :math:`f(x) = wx + c` it is exact with no remainder: the penalty is
:math:`s^2 w^2`, ridge regression.

The training loop is batched over the samples of each minibatch (one matrix product per layer
per step, no Python loop over samples), written with explicit backpropagation in float64, and
:func:`train_ensemble` trains several seeds at once with batched matrix products.

All functions validate their arguments first and raise :class:`ValueError` with a message that
names the offending argument.

References
----------
C. M. Bishop, "Training with noise is equivalent to Tikhonov regularization", Neural
Computation 7(1), 108-116, 1995. G. Blanc, N. Gupta, G. Valiant, P. Valiant, "Implicit
regularization for deep neural networks driven by an Ornstein-Uhlenbeck like process", COLT 2020.
A. Damian, T. Ma, J. D. Lee, "Label noise SGD provably prefers flat global minimizers",
NeurIPS 2021.
"""

import numpy as np
import numpy.typing as npt
import torch

__all__ = [  # noqa: RUF022 (the order of the contract in COURSE.md, not alphabetical)
    "f_true",
    "init_mlp",
    "mlp_forward",
    "train_mlp",
    "evaluate",
    "train_ensemble",
]


def _as_real(
    value: npt.ArrayLike, name: str, *, ndim: int | None = None, finite: bool = True
) -> np.ndarray:
    r"""Convert ``value`` to a new float64 array, checking its number of axes and finiteness.

    ``name`` is the argument's name for the error message; ``ndim`` (if given) is the required
    number of axes (0 for a scalar); ``finite`` rejects nan and infinities.
    """
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers, got {name}={value!r}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} axes, got {name} with shape {array.shape} ({name}={value!r})"
        )
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    return array


def _check_params(params: object) -> list[list[np.ndarray]]:
    r"""Validate an MLP's parameters ``[[W_1, b_1], ..., [W_L, b_L]]`` and return float64 copies.

    Each :math:`W_l` has shape ``(n_l, n_{l-1})`` and each :math:`b_l` shape ``(n_l,)``, with
    :math:`n_0 = n_L = 1` (scalar input and output); all entries finite. Pairs may be lists or
    tuples. Every error message names ``params`` and the offending entry.
    """
    if not isinstance(params, list | tuple) or len(params) == 0:
        raise ValueError(f"params must be a non-empty list of [W, b] pairs, got params={params!r}")
    checked = []
    for layer, pair in enumerate(params):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"params[{layer}] must be a [W, b] pair, got params[{layer}]={pair!r}")
        W = _as_real(pair[0], f"params[{layer}][0]", ndim=2)
        b = _as_real(pair[1], f"params[{layer}][1]", ndim=1)
        n_in = 1 if layer == 0 else checked[-1][0].shape[0]
        if W.shape[1] != n_in:
            raise ValueError(
                f"params[{layer}][0] must have {n_in} columns (the width of the layer below), "
                f"got params[{layer}][0] with shape {W.shape}"
            )
        if b.shape != (W.shape[0],):
            raise ValueError(
                f"params[{layer}][1] must have shape ({W.shape[0]},) to match W, "
                f"got params[{layer}][1] with shape {b.shape}"
            )
        checked.append([W, b])
    if checked[-1][0].shape[0] != 1:
        raise ValueError(
            f"params[{len(params) - 1}][0] must have 1 row (a scalar output), "
            f"got shape {checked[-1][0].shape}"
        )
    return checked


def _sgd(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    inits: list[list[list[np.ndarray]]],
    seeds: list[int],
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    label_noise_std: float,
    input_noise_std: float,
    device: str,
    record: bool = False,
) -> list[dict[str, object]]:
    r"""Validate the data and the SGD settings, then train one model per seed, all at once.

    ``inits[s]`` are the checked initial parameters of model ``s`` and ``seeds[s]`` seeds its
    own ``torch.Generator`` on the device. The weights of layer :math:`l` of all :math:`S`
    models are stacked into one ``(S, n_l, n_{l-1})`` tensor, so each forward and backward
    product is one ``torch.bmm`` over the models; with :math:`S = 1` this is :func:`train_mlp`.
    Every epoch, each model's generator draws, in this order, a permutation of the :math:`N`
    points and :math:`N` standard normals for the labels and :math:`N` for the inputs (also when
    a standard deviation is 0, so that runs with and without noise share their permutations);
    batch :math:`j` takes the slice :math:`[jB, (j+1)B)` of the permuted data together with the
    same slice of the epoch's noise, which is fresh noise for every batch drawn. Backpropagation
    is written out: for a batch of size :math:`m` with residual :math:`r = f(x) - y`, the
    output delta is :math:`2r/m`, the gradient of :math:`W_l` is :math:`\delta_l^\top a_{l-1}`,
    of :math:`b_l` the column sums of :math:`\delta_l`, and
    :math:`\delta_{l-1} = (\delta_l W_l) \odot a_{l-1} \odot (1 - a_{l-1})`; the factor
    :math:`2/m` is folded into the step size. On CPU the loop runs on one thread (the matrices
    are far too small for threads to pay, and threads that wait for a busy core slow it down
    many times); the previous thread count is restored. With ``record`` each result also holds
    its ``"draws"`` (see :func:`train_mlp`).
    """
    x = _as_real(x, "x", ndim=1)
    y = _as_real(y, "y", ndim=1)
    n_points = x.shape[0]
    if n_points == 0:
        raise ValueError(f"x must hold at least one point, got x={x!r}")
    if y.shape != x.shape:
        raise ValueError(f"y must have shape {x.shape} to match x, got y with shape {y.shape}")
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got epochs={epochs!r}")
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int | np.integer)
        or batch_size < 1
    ):
        raise ValueError(f"batch_size must be an integer >= 1, got batch_size={batch_size!r}")
    lr_value = float(_as_real(lr, "lr", ndim=0))
    if lr_value <= 0:
        raise ValueError(f"lr must be > 0, got lr={lr!r}")
    label_std = float(_as_real(label_noise_std, "label_noise_std", ndim=0))
    input_std = float(_as_real(input_noise_std, "input_noise_std", ndim=0))
    for name, value in (("label_noise_std", label_std), ("input_noise_std", input_std)):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {name}={value!r}")
    if device not in ("auto", "cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got device={device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was asked for, but torch.cuda.is_available() is False")
    use_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    dev = torch.device("cuda" if use_cuda else "cpu")

    n_models, n_layers, epochs, batch_size = len(seeds), len(inits[0]), int(epochs), int(batch_size)
    opts = {"dtype": torch.float64, "device": dev}
    threads = torch.get_num_threads()
    try:
        if not use_cuda:
            torch.set_num_threads(1)
        with torch.inference_mode():
            gens = [torch.Generator(device=dev).manual_seed(int(seed)) for seed in seeds]
            x_t, y_t = torch.as_tensor(x, **opts), torch.as_tensor(y, **opts)
            weights = [
                torch.as_tensor(np.stack([p[k][0] for p in inits]), **opts) for k in range(n_layers)
            ]  # (S, n_l, n_{l-1})
            biases = [
                torch.as_tensor(np.stack([p[k][1] for p in inits])[:, None, :], **opts)
                for k in range(n_layers)
            ]  # (S, 1, n_l)
            perms = torch.empty((n_models, n_points), dtype=torch.long, device=dev)
            noise = torch.empty((2, n_models, n_points), **opts)
            losses = torch.empty((epochs, n_models), **opts)
            if record:  # every epoch's order and the noise added, as the model saw them
                orders = torch.empty((epochs, n_models, n_points), dtype=torch.long, device=dev)
                added = torch.zeros((2, epochs, n_models, n_points), **opts)
            x_all = x_t.view(1, n_points, 1).expand(n_models, n_points, 1)
            for epoch in range(epochs):
                for s, gen in enumerate(gens):
                    torch.randperm(n_points, generator=gen, out=perms[s])
                    torch.randn(n_points, generator=gen, out=noise[0, s])
                    torch.randn(n_points, generator=gen, out=noise[1, s])
                xs, ys = x_t[perms], y_t[perms]  # (S, N), new tensors
                if input_std > 0:
                    xs.add_(noise[1], alpha=input_std)
                if label_std > 0:
                    ys.add_(noise[0], alpha=label_std)
                if record:
                    orders[epoch] = perms
                    added[0, epoch] = noise[0] * label_std
                    added[1, epoch] = noise[1] * input_std
                xs, ys = xs.unsqueeze(2), ys.unsqueeze(2)
                for start in range(0, n_points, batch_size):
                    acts = [xs[:, start : start + batch_size]]  # a_0, ..., a_{L-1}
                    for k in range(n_layers - 1):
                        acts.append(torch.sigmoid(torch.baddbmm(biases[k], acts[k], weights[k].mT)))
                    out = torch.baddbmm(biases[-1], acts[-1], weights[-1].mT)
                    delta = out - ys[:, start : start + batch_size]  # (S, m, 1)
                    step = -2.0 * lr_value / delta.shape[1]
                    for k in range(n_layers - 1, -1, -1):
                        back = torch.bmm(delta, weights[k]) if k > 0 else None  # old W_k
                        weights[k].baddbmm_(delta.mT, acts[k], alpha=step)
                        biases[k].add_(delta.sum(1, keepdim=True), alpha=step)
                        if k > 0:  # fused back * a * (1 - a)
                            delta = torch.ops.aten.sigmoid_backward(back, acts[k])
                hidden = x_all
                for k in range(n_layers):
                    hidden = torch.baddbmm(biases[k], hidden, weights[k].mT)
                    if k < n_layers - 1:
                        hidden = torch.sigmoid(hidden)
                losses[epoch] = (hidden[..., 0] - y_t).square().mean(1)
            losses_np = losses.cpu().numpy()
            results = []
            for s in range(n_models):
                params = [
                    [W[s].cpu().numpy().copy(), b[s, 0].cpu().numpy().copy()]
                    for W, b in zip(weights, biases, strict=True)
                ]
                results.append({"params": params, "train_loss": losses_np[:, s].copy()})
                if record:
                    results[-1]["draws"] = {
                        "order": orders[:, s].cpu().numpy().copy(),
                        "label_noise": added[0, :, s].cpu().numpy().copy(),
                        "input_noise": added[1, :, s].cpu().numpy().copy(),
                    }
    finally:
        torch.set_num_threads(threads)
    return results


def f_true(x: npt.ArrayLike) -> np.ndarray:
    r"""The homework's target function :math:`f_\star(x) = (x - 2)\cos(4x)`.

    Parameters
    ----------
    x : array_like
        Real points, any shape; infinities and nan propagate.

    Returns
    -------
    numpy.ndarray
        Float64 array of the shape of ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not real.

    Notes
    -----
    .. math::

        f_\star(x) = (x - 2)\cos(4x), \qquad |f_\star(x)| \le |x - 2| .

    The factor :math:`\cos(4x)` oscillates with period :math:`\pi/2 \approx 1.57`, so for
    :math:`x \sim \mathcal{N}(0, 1)` two standard deviations cover about 2.5 periods, with an
    amplitude :math:`|x - 2|` that grows toward the sparsely sampled left tail: the fit is
    hardest where the data are fewest. Its zeros are :math:`x = 2` and
    :math:`x = \pi/8 + k\pi/4`.

    Examples
    --------
    >>> f_true([0.0, 2.0])
    array([-2., -0.])
    >>> bool(abs(f_true(np.pi / 8)) < 1e-15)  # a zero of cos(4 x)
    True
    """
    x = _as_real(x, "x", finite=False)
    return np.asarray((x - 2.0) * np.cos(4.0 * x), dtype=np.float64)


def init_mlp(
    widths: tuple[int, ...] | list[int] = (1, 64, 64, 1),
    weight_std: float = 1.0,
    bias: float = 0.03,
    seed: int = 0,
) -> list[list[np.ndarray]]:
    r"""Gaussian weights and constant biases for an MLP with the given layer widths.

    Parameters
    ----------
    widths : sequence of int, optional
        Layer widths :math:`(n_0, n_1, \dots, n_L)`, at least two, each an integer >= 1. The
        homework's network is ``(1, 64, 64, 1)``; :func:`mlp_forward` and :func:`train_mlp` need
        :math:`n_0 = n_L = 1`.
    weight_std : float, optional
        Standard deviation :math:`\sigma_w \ge 0` of every weight (default 1, as in the
        homework, not a scaled initialization).
    bias : float, optional
        Value of every bias entry (default 0.03); finite.
    seed : int, optional
        Seed (an integer >= 0) of ``numpy.random.default_rng``.

    Returns
    -------
    list of [numpy.ndarray, numpy.ndarray]
        ``[[W_1, b_1], ..., [W_L, b_L]]`` with :math:`W_l` of shape ``(n_l, n_{l-1})`` (out, in)
        and :math:`b_l` of shape ``(n_l,)``, float64.

    Raises
    ------
    ValueError
        If ``widths`` is not a sequence of at least two integers >= 1, ``weight_std`` is not
        finite and >= 0, ``bias`` is not finite, or ``seed`` is not an integer >= 0.

    Notes
    -----
    .. math::

        (W_l)_{ij} \overset{\text{iid}}{\sim} \mathcal{N}(0, \sigma_w^2), \qquad
        (b_l)_i = \beta .

    The weights are drawn layer by layer, each matrix in row-major order, from one generator, so
    the same seed gives the same network. Given the activations :math:`a \in (0, 1)^{64}` of the
    first hidden layer, a unit of the second has a pre-activation of standard deviation
    :math:`\sigma_w \lVert a \rVert_2 \le 8\sigma_w`: with the homework's unscaled
    :math:`\sigma_w = 1` many sigmoids start near saturation (a :math:`1/\sqrt{n_{l-1}}`
    scaling would avoid that; the homework keeps the unscaled one).

    Examples
    --------
    >>> [(W.shape, b.shape) for W, b in init_mlp((1, 3, 1))]
    [((3, 1), (3,)), ((1, 3), (1,))]
    """
    if (
        not isinstance(widths, list | tuple)
        or len(widths) < 2
        or not all(
            isinstance(w, int | np.integer) and not isinstance(w, bool) and w >= 1 for w in widths
        )
    ):
        raise ValueError(
            f"widths must be a sequence of at least two integers >= 1, got widths={widths!r}"
        )
    std = float(_as_real(weight_std, "weight_std", ndim=0))
    if std < 0:
        raise ValueError(f"weight_std must be >= 0, got weight_std={weight_std!r}")
    bias_value = float(_as_real(bias, "bias", ndim=0))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got seed={seed!r}")

    rng = np.random.default_rng(int(seed))
    sizes = [int(width) for width in widths]
    return [
        [rng.normal(0.0, std, size=(sizes[k + 1], sizes[k])), np.full(sizes[k + 1], bias_value)]
        for k in range(len(sizes) - 1)
    ]


def mlp_forward(params: list, x: npt.ArrayLike) -> np.ndarray:
    r"""Output of the MLP: sigmoid on the hidden layers, a linear output layer.

    Parameters
    ----------
    params : list of [W, b] pairs
        ``[[W_1, b_1], ..., [W_L, b_L]]`` as returned by :func:`init_mlp`, with scalar input
        and output (:math:`W_1` has one column, :math:`W_L` one row); finite.
    x : array_like
        Inputs, shape ``(N,)``; finite.

    Returns
    -------
    numpy.ndarray
        Float64 array of shape ``(N,)``.

    Raises
    ------
    ValueError
        If ``params`` does not describe a scalar-to-scalar MLP with finite entries, or ``x`` is
        not a finite 1-D array.

    Notes
    -----
    With :math:`a_0 = x` and :math:`\sigma(z) = 1/(1 + e^{-z})`,

    .. math::

        a_l = \sigma(W_l a_{l-1} + b_l) \quad (1 \le l \le L - 1), \qquad
        f(x) = W_L a_{L-1} + b_L .

    All points are pushed through at once as the rows of an :math:`N \times n_l` matrix,
    :math:`A_l = \sigma(A_{l-1} W_l^\top + \mathbf{1} b_l^\top)`. The sigmoid is evaluated as
    :math:`\tfrac12(1 + \tanh(z/2))`, which never overflows.

    Examples
    --------
    >>> params = [[np.array([[1.0]]), np.array([0.0])], [np.array([[2.0]]), np.array([-1.0])]]
    >>> mlp_forward(params, [0.0])  # 2 sigma(0) - 1
    array([0.])
    """
    layers = _check_params(params)
    hidden = _as_real(x, "x", ndim=1)[:, None]
    for k, (W, b) in enumerate(layers):
        hidden = hidden @ W.T + b
        if k < len(layers) - 1:
            hidden = 0.5 * (1.0 + np.tanh(0.5 * hidden))
    return np.asarray(hidden[:, 0], dtype=np.float64)


def train_mlp(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    params: list,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    label_noise_std: float = 0.0,
    input_noise_std: float = 0.0,
    seed: int = 0,
    device: str = "auto",
) -> dict[str, object]:
    r"""Minibatch SGD on the mean squared error, with optional fresh label or input noise.

    Parameters
    ----------
    x, y : array_like
        Training inputs and targets, shape ``(N,)`` each with ``N >= 1``; finite.
    params : list of [W, b] pairs
        Initial parameters as returned by :func:`init_mlp` (scalar input and output); not
        modified.
    epochs : int
        Number of passes over the data; an integer >= 0.
    batch_size : int
        Minibatch size :math:`B`, an integer >= 1; the last batch of an epoch holds the
        :math:`N \bmod B` remaining points when :math:`B` does not divide :math:`N`, and
        :math:`B \ge N` is full-batch gradient descent.
    lr : float
        Step size :math:`\eta`; finite and > 0.
    label_noise_std, input_noise_std : float, optional
        Standard deviations :math:`s_y, s_x \ge 0` of the Gaussian noise added to the targets
        and to the inputs of every batch, drawn afresh each time a batch is drawn (default 0).
    seed : int, optional
        Seed (an integer >= 0) of the ``torch.Generator`` that draws the permutations and the
        noise; the same seed gives the same result on the same device.
    device : {"auto", "cpu", "cuda"}, optional
        Where to train; "auto" (the default) uses CUDA when ``torch.cuda.is_available()``.

    Returns
    -------
    dict
        ``"params"``: the trained parameters, new float64 arrays in the layout of ``params``
        (a list of ``[W, b]`` lists); ``"train_loss"``: float64 array of shape ``(epochs,)``,
        entry :math:`e` the clean full-data loss :math:`\frac1N\sum_i (f(x_i) - y_i)^2` of the
        parameters at the end of epoch :math:`e`; ``"draws"``: what the training drew, a dict
        of three arrays of shape ``(epochs, N)``: ``"order"`` (int64), row :math:`e` the
        permutation :math:`\pi` of epoch :math:`e` (0-based: the :math:`k`-th point visited is
        ``x[order[e, k]]``), and ``"label_noise"``, ``"input_noise"`` (float64), the noise
        :math:`\varepsilon, \xi` added to the :math:`k`-th visited target and input (zeros
        for a standard deviation of 0). Replaying SGD with these draws from ``params`` gives
        ``"params"`` and ``"train_loss"``; that is how the training is checked.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not a finite 1-D array, they differ in length or are empty,
        ``params`` is not a valid scalar-to-scalar MLP, ``epochs``, ``batch_size``, ``lr``, a
        noise level or ``seed`` is out of range, or ``device`` is unknown or is "cuda" without
        CUDA.

    Notes
    -----
    Each epoch draws a fresh permutation :math:`\pi` of :math:`\{1, \dots, N\}` and visits the
    consecutive batches :math:`I_j = \{\pi_{jB+1}, \dots, \pi_{\min((j+1)B, N)}\}`. For a batch
    it draws :math:`\xi_i \sim \mathcal{N}(0, s_x^2)` and :math:`\varepsilon_i \sim
    \mathcal{N}(0, s_y^2)` and takes one step on

    .. math::

        L_j(\theta) = \frac{1}{|I_j|}\sum_{i \in I_j}
            \bigl(f_\theta(x_i + \xi_i) - y_i - \varepsilon_i\bigr)^2, \qquad
        \theta \leftarrow \theta - \eta\,\nabla_\theta L_j(\theta) .

    (no factor 1/2: the output delta is :math:`2(f - y)/|I_j|`). With ``epochs=1``,
    ``batch_size >= N`` and no noise, the result is one full-batch gradient step. Since the
    expected label-noise gradient equals the clean gradient (see the module docstring), label
    noise changes training only through the variance of the steps, while input noise adds, to
    first order, the penalty :math:`s_x^2\,\overline{f'(x)^2}`.

    The computation is in float64 with explicit backpropagation and one matrix product per
    layer per step; the data are moved to the device once, and the loss history stays there
    until the end (no per-step synchronization). The random streams are those of a
    ``torch.Generator`` seeded with ``seed`` on the device (see :func:`train_ensemble` for
    their order), so results are reproducible on one device but differ between CPU and CUDA.

    Examples
    --------
    >>> x = np.linspace(-1.0, 1.0, 8)
    >>> out = train_mlp(x, f_true(x), init_mlp((1, 4, 1)), epochs=3, batch_size=4, lr=0.1)
    >>> out["train_loss"].shape
    (3,)
    """
    checked = _check_params(params)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got seed={seed!r}")
    return _sgd(
        x,
        y,
        [checked],
        [int(seed)],
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        label_noise_std=label_noise_std,
        input_noise_std=input_noise_std,
        device=device,
        record=True,
    )[0]


def evaluate(
    params: list, x: npt.ArrayLike, y: npt.ArrayLike, tol: float = 0.5
) -> tuple[float, float]:
    r"""Mean squared error and the fraction of points predicted within ``tol``.

    Parameters
    ----------
    params : list of [W, b] pairs
        Parameters of a scalar-to-scalar MLP (see :func:`mlp_forward`).
    x, y : array_like
        Inputs and targets, shape ``(N,)`` each with ``N >= 1``; finite.
    tol : float, optional
        Tolerance :math:`\tau \ge 0` of the "accuracy" (default 0.5).

    Returns
    -------
    mse, accuracy : tuple of (float, float)
        :math:`\frac1N\sum_i (f(x_i) - y_i)^2` and
        :math:`\frac1N\#\{i : |f(x_i) - y_i| < \tau\}` (strict inequality), in :math:`[0, 1]`.

    Raises
    ------
    ValueError
        If ``params`` is not a valid MLP, ``x`` or ``y`` is not a finite 1-D array, they
        differ in length or are empty, or ``tol`` is not a number >= 0.

    Notes
    -----
    .. math::

        \mathrm{MSE} = \frac1N\sum_{i=1}^N (f(x_i) - y_i)^2, \qquad
        \mathrm{acc}_\tau = \frac1N\sum_{i=1}^N \mathbf{1}\bigl[|f(x_i) - y_i| < \tau\bigr].

    The "accuracy" turns a regression error into a hit rate. By Markov's inequality,
    :math:`1 - \mathrm{acc}_\tau \le \mathrm{MSE}/\tau^2`, so a small MSE forces a high
    accuracy, but not conversely: a few large misses can dominate the MSE while the accuracy
    stays high.

    Examples
    --------
    >>> evaluate([[np.zeros((1, 1)), np.zeros(1)]], [0.0, 1.0], [0.1, 1.0])
    (0.505, 0.5)
    """
    pred = mlp_forward(params, x)  # validates params and x
    target = _as_real(y, "y", ndim=1)
    if pred.shape[0] == 0:
        raise ValueError(f"x must hold at least one point, got x={x!r}")
    if target.shape != pred.shape:
        raise ValueError(
            f"y must have shape {pred.shape} to match x, got y with shape {target.shape}"
        )
    tol_value = float(_as_real(tol, "tol", ndim=0, finite=False))
    if not tol_value >= 0:  # also rejects nan
        raise ValueError(f"tol must be >= 0, got tol={tol!r}")
    error = pred - target
    return float(np.mean(error**2)), float(np.mean(np.abs(error) < tol_value))


def train_ensemble(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    seeds: list[int] | tuple[int, ...],
    *,
    widths: tuple[int, ...] | list[int] = (1, 64, 64, 1),
    epochs: int,
    batch_size: int,
    lr: float,
    label_noise_std: float = 0.0,
    input_noise_std: float = 0.0,
    device: str = "auto",
) -> list[dict[str, object]]:
    r"""Train one MLP per seed, all at once, each exactly as :func:`train_mlp` would.

    Parameters
    ----------
    x, y : array_like
        Training inputs and targets, shape ``(N,)`` each with ``N >= 1``; finite.
    seeds : sequence of int
        One integer >= 0 per model (at least one). Model :math:`s` starts from
        ``init_mlp(widths, seed=seeds[s])`` and trains with the random streams of
        ``train_mlp(..., seed=seeds[s])``.
    widths : sequence of int, optional
        Layer widths, ``(1, 64, 64, 1)`` by default; the first and last must be 1.
    epochs, batch_size, lr, label_noise_std, input_noise_std, device
        As for :func:`train_mlp`, shared by all models.

    Returns
    -------
    list of dict
        One ``{"params": ..., "train_loss": ...}`` per seed, in the order of ``seeds``, as
        :func:`train_mlp` returns it.

    Raises
    ------
    ValueError
        If ``seeds`` is not a non-empty sequence of integers >= 0, ``widths`` is invalid or
        does not start and end with 1, or any argument shared with :func:`train_mlp` is.

    Notes
    -----
    The :math:`S` models are independent: model :math:`s` has its own ``torch.Generator``
    seeded with ``seeds[s]``, which draws every epoch, in this order, a permutation of the
    :math:`N` points, :math:`N` standard normals for the labels and :math:`N` for the inputs
    (drawn also when the noise level is 0, so that clean and noisy runs with one seed share
    their permutations). The weights of layer :math:`l` are stacked into a tensor of shape
    ``(S, n_l, n_{l-1})`` and every step is

    .. math::

        A^{(s)}_l = \sigma\bigl(A^{(s)}_{l-1} W_l^{(s)\top} + \mathbf{1} b_l^{(s)\top}\bigr),
        \qquad s = 1, \dots, S,

    done for all :math:`s` by one batched product (``torch.baddbmm``), and likewise for the
    backward pass. The result for each seed therefore equals ``train_mlp`` on the same seed up
    to floating-point rounding (the batched product may sum in a different order). The saving
    is the per-step overhead (Python and kernel launches), shared by the :math:`S` models:
    large on a GPU, where one model leaves the device idle, modest on a CPU, where float64
    arithmetic already dominates. Use it for the experiment's error bars over seeds.

    Examples
    --------
    >>> x = np.linspace(-1.0, 1.0, 8)
    >>> runs = train_ensemble(x, f_true(x), [0, 1], widths=(1, 4, 1), epochs=2, batch_size=4,
    ...                       lr=0.1)
    >>> [run["train_loss"].shape for run in runs]
    [(2,), (2,)]
    """
    if (
        not isinstance(seeds, list | tuple)
        or len(seeds) == 0
        or not all(
            isinstance(s, int | np.integer) and not isinstance(s, bool) and s >= 0 for s in seeds
        )
    ):
        raise ValueError(
            f"seeds must be a non-empty sequence of integers >= 0, got seeds={seeds!r}"
        )
    if isinstance(widths, list | tuple) and len(widths) >= 2 and (widths[0], widths[-1]) != (1, 1):
        raise ValueError(f"widths must start and end with 1, got widths={widths!r}")
    inits = [init_mlp(widths, seed=int(s)) for s in seeds]  # validates widths
    return _sgd(
        x,
        y,
        inits,
        [int(s) for s in seeds],
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        label_noise_std=label_noise_std,
        input_noise_std=input_noise_std,
        device=device,
    )
