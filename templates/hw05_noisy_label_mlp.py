# %% [markdown]
# # Homework 5: Training with noise
#
# A common piece of folklore says that adding noise to the training data "regularizes" a
# network. Which noise, though, and why? In this notebook you will train a small sigmoid network
# on a one-dimensional regression problem with minibatch stochastic gradient descent (SGD),
# written so that it runs in about a second instead of a minute, and then check the folklore
# mathematically and by experiment. You will show that noise added to the **labels** leaves the
# expected gradient of the squared error unchanged, so it cannot be an explicit penalty, while
# noise added to the **inputs** is, to first order, a penalty on the slope of the network
# (Bishop, 1995). Then you will run a careful experiment, several random seeds per setting with
# error bars, and decide what it shows.
#
# **Grading.**
#
# * Five functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * The experiment cells (the check at the end of Section 4, and Section 6) train many networks
#   and take a few minutes. They are for you and for the written question; the autograder does
#   **not** run them. So keep your graded functions in their own cells, and define nothing in an
#   experiment cell that the other cells need.
# * Plots are not graded, but you need the experiment's for the written question (4 points,
#   graded by hand).
# * Before submitting, run *Kernel → Restart & Run All*.
#
# The next cell imports `numpy as np`, `torch`, and `numpy.typing as npt` for type hints.

# %% role="imports"

# %% [markdown]
# ### Provided code
#
# The next cell is given to you (read it, do not change it). It defines two private helpers
# (names starting with `_`) that you may call in your own code:
#
# * `_as_real(value, name, *, ndim=None, finite=True)` returns `value` as a new float64 array,
#   or raises `ValueError` naming `name` unless it is real, has `ndim` axes (when given) and,
#   with `finite=True`, contains no `nan` or $\pm\infty$.
# * `_check_params(params)` checks that `params` is a non-empty list of `[W, b]` pairs whose
#   shapes chain, with one input and one output and finite entries, and returns float64 copies
#   (`ValueError` naming `params` otherwise).

# %% role="provided" names="_as_real _check_params"

# %% [markdown]
# ## 1. The problem
#
# We fit the function
# $$f_\star(x) = (x - 2)\cos(4x)$$
# from $n = 512$ noise-free samples $(x_i, f_\star(x_i))$ with $x_i \sim \mathcal{N}(0, 1)$. The
# cosine has period $\pi/2 \approx 1.57$, so the inputs, which mostly lie in $[-2, 2]$, cover
# about two and a half periods, and the envelope $|x - 2|$ makes the oscillation five times
# larger at $x = -3$ than at $x = 1$. Few points fall in the tails, where $f_\star$ is largest:
# only about 5 % of them have $|x| > 2$.
#
# A useful yardstick: the constant prediction $c$ has mean squared error
# $\mathbb{E}[(f_\star(x) - c)^2]$, smallest for $c = \mathbb{E}f_\star(x)$, where it equals
# $\operatorname{Var} f_\star(x)$. Since $\mathbb{E}[\cos(ax)] = e^{-a^2/2}$ and
# $\mathbb{E}[x\cos(ax)] = 0$ for $x \sim \mathcal{N}(0, 1)$,
# $$\mathbb{E}f_\star(x) = -2e^{-8} \approx -0.0007, \qquad
# \mathbb{E}f_\star(x)^2 = \tfrac{1}{2}\,\mathbb{E}\bigl[(x - 2)^2(1 + \cos 8x)\bigr]
# = \tfrac{1}{2}\bigl(5 - 59e^{-32}\bigr) \approx 2.5,$$
# using $\mathbb{E}[x^2\cos(8x)] = (1 - 64)e^{-32}$ (differentiate $\mathbb{E}\cos(ax)$ twice in
# $a$). So $\operatorname{Var} f_\star \approx 2.5$:
# a test MSE of 2.5 means "learned nothing", and a useful fit must be far below it.
#
# **Task.** Implement `f_true(x)` $= (x - 2)\cos(4x)$, for a float or an array (`np.asarray`),
# returning a float64 array of the same shape.

# %% role="function" name="f_true"

# %% role="tests" name="f_true"

# %% [markdown]
# ## 2. The network
#
# The model is a multilayer perceptron with widths $(1, 64, 64, 1)$: sigmoid activations
# $\sigma(u) = 1/(1 + e^{-u})$ on the two hidden layers and a linear output,
# $$a_0 = x, \qquad a_l = \sigma(W_l a_{l-1} + b_l)\ \ (l = 1, 2), \qquad
# f(x; \theta) = W_3 a_2 + b_3,$$
# with $W_l$ of shape $(n_l, n_{l-1})$ (out, in) and $b_l \in \mathbb{R}^{n_l}$. It has
# $$\underbrace{1\cdot 64 + 64}_{\text{layer 1}}
# + \underbrace{64\cdot 64 + 64}_{\text{layer 2}}
# + \underbrace{64\cdot 1 + 1}_{\text{layer 3}} = 4{,}353$$
# parameters, about 8.5 per training point: the network is **over-parameterized**, and in
# principle it has enough freedom to pass through all 512 points. Whether SGD gets there in the
# time we give it is another matter (Section 6 will tell).
#
# **Initialization.** Every weight is drawn independently from $\mathcal{N}(0, s^2)$ with
# $s$ = `weight_std` (default 1), and every bias is set to the constant `bias` (default 0.03).
# This is not one of the scaled initializations (Glorot, He) that divide by the fan-in: a unit of
# the second layer adds 64 terms $W_{jk}a_k$ with $a_k \in (0, 1)$, so at the training points
# its pre-activation has a standard deviation of 4 to 5, and about half of these
# pre-activations start beyond $\pm 3$, in the flat tails of the sigmoid, where
# $\sigma' < 0.05$. The untrained network's output is of the same size, several units.
#
# **Task.** Implement `init_mlp(widths=(1, 64, 64, 1), weight_std=1.0, bias=0.03, seed=0)`:
# return a list with one pair `[W, b]` per layer, `W` of shape `(widths[l + 1], widths[l])` and
# `b` of shape `(widths[l + 1],)`, as float64 numpy arrays, drawn with
# `np.random.default_rng(seed)` (the same seed must give the same network). `widths` needs at
# least two positive integers; `weight_std` must be finite and $\ge 0$.

# %% role="function" name="init_mlp"

# %% role="tests" name="init_mlp"

# %% [markdown]
# **Task.** Implement `mlp_forward(params, x)`: the network's output for a 1-D array of inputs
# `x` of shape $(N,)$, as a float64 array of shape $(N,)$. Process all inputs at once: stack them
# as the rows of an $(N, 1)$ matrix $A_0$ and compute $A_l = \sigma(A_{l-1}W_l^\top + b_l)$ (the
# bias broadcasts over the rows), with no sigmoid on the last layer. `params` is a list of
# `[W, b]` pairs as `init_mlp` returns (numpy arrays, or anything `np.asarray` accepts). Write the
# sigmoid so that it does not overflow for large negative arguments: $\sigma(u) =
# \frac{1}{2}(1 + \tanh\frac{u}{2})$ is one safe form (Homework 4).

# %% role="function" name="mlp_forward"

# %% role="tests" name="mlp_forward"

# %% [markdown]
# ### Plot (a): the target and some untrained networks
#
# Draw the training set, `x_train` = 512 points from `np.random.default_rng(0).normal(size=512)`,
# with labels `y_train = f_true(x_train)` (later cells use these two names). On $[-3, 3]$ plot
# $f_\star$, the training points as small dots, and the outputs of three freshly initialized
# networks (`init_mlp(seed=s)` for $s = 0, 1, 2$). Print the number
# of parameters of `init_mlp()` (it should be 4353) and the training MSE of the three untrained
# networks, to compare with $\operatorname{Var} f_\star \approx 2.5$.

# %%
import matplotlib.pyplot as plt

# %% role="solution"
x_train = np.random.default_rng(0).normal(size=512)
y_train = f_true(x_train)
xs = np.linspace(-3.0, 3.0, 601)
n_params = sum(np.size(W) + np.size(b) for W, b in init_mlp())
print("parameters:", n_params)
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(x_train, y_train, ".", color="gray", markersize=3, label="training points")
ax.plot(xs, f_true(xs), "k", linewidth=2, label=r"$f_\star$")
for s in range(3):
    params = init_mlp(seed=s)
    mse = np.mean((mlp_forward(params, x_train) - y_train) ** 2)
    print(f"untrained network, seed {s}: training MSE {mse:.2f}")
    ax.plot(xs, mlp_forward(params, xs), label=f"untrained, seed {s}")
ax.set_xlabel("$x$")
ax.set_title("The target and three untrained networks")
ax.legend()
plt.show()

# %% [markdown]
# ## 3. Minibatch SGD, precisely
#
# Training minimizes the mean squared error on the training set,
# $$\mathcal{L}(\theta) = \frac{1}{n}\sum_{i=1}^{n}\bigl(f(x_i; \theta) - y_i\bigr)^2 .$$
# One **epoch** of minibatch SGD with batch size $B$ and learning rate $\eta$:
#
# 1. Draw a fresh random permutation of $\{1, \dots, n\}$ and cut it into consecutive batches of
#    $B$ indices (the last one shorter if $B$ does not divide $n$; here $512/128 = 4$ batches).
# 2. For each batch $S$, in order: take its points, add **fresh** noise if asked,
#    $\tilde x_i = x_i + \delta_i$ and $\tilde y_i = y_i + \varepsilon_i$ with
#    $\delta_i \sim \mathcal{N}(0, \sigma_{\rm in}^2)$ and
#    $\varepsilon_i \sim \mathcal{N}(0, \sigma_{\rm lab}^2)$ independent, and take one step on the
#    batch's mean squared error,
#    $$\theta \leftarrow \theta - \eta\,\nabla_\theta\,\frac{1}{|S|}\sum_{i \in S}
#    \bigl(f(\tilde x_i; \theta) - \tilde y_i\bigr)^2 .$$
# 3. At the end of the epoch record the **clean** full-data loss $\mathcal{L}(\theta)$ (no noise,
#    all $n$ points).
#
# The homework's run is 1000 epochs with $B = 128$ and $\eta = 0.1$: 4000 steps.
#
# **Why reshuffle every epoch?** With one fixed order, every epoch replays the same four batches
# in the same order: a deterministic cycle, and the errors of the batch gradients (how each
# batch's gradient differs from the full gradient) are the same in every epoch, so they add up
# instead of averaging out. With a fresh permutation every batch is a uniformly random subset of
# the data, and the sampling errors of different epochs are independent.
#
# **Why fresh noise every time a batch is drawn?** Noise drawn once, before training, is just a
# different, corrupted data set $(\tilde x_i, \tilde y_i)$: the network is then fitted to the
# wrong labels, and nothing is averaged. Fresh noise means that over many epochs each point is
# seen with many independent perturbations, and the *expected* batch loss is the noisy loss
# averaged over the noise, which is what Section 4 computes.
#
# **The gradient, for a whole batch at once.** Stack the batch's inputs as the rows of
# $A_0$ ($B \times 1$), and keep the forward pass's $A_1, A_2$ ($B \times 64$) and output
# $\hat y$ ($B$ entries). Backpropagation is then a few matrix products:
# $$\Delta_3 = \tfrac{2}{B}(\hat y - \tilde y) \ (B \times 1), \qquad
# \nabla_{W_l} = \Delta_l^\top A_{l-1}, \qquad \nabla_{b_l} = \mathbf{1}^\top\Delta_l, \qquad
# \Delta_{l-1} = (\Delta_l W_l) \odot A_{l-1} \odot (1 - A_{l-1}),$$
# using $\sigma' = \sigma(1 - \sigma)$. (Or let `torch.autograd` compute them from the batch
# loss.) Mind the **mean**: the gradient of the *summed* batch loss is $B$ times larger, and
# with $\eta = 0.1$ and $B = 128$ those steps are far too large.
#
# **Why vectorize.** A loop over single samples calls the forward and backward pass
# $512 \times 1000$ times, and each call, on a $1 \times 64$ vector, costs almost nothing in
# arithmetic but tens of microseconds of Python and library overhead. A batched step does the
# work of 128 samples in one matrix product of the same overhead. On the course's 2-core machine
# the homework run takes about a minute with a per-sample loop and about a second and a half
# batched. Even a pure-numpy step is fast at these sizes; `torch` helps with autograd and on a
# GPU. One trap on a busy machine: the linear-algebra library splits every product over several
# threads, and for matrices this small, threads that wait for a busy core can make a product
# many times slower (on the course machine, under load, a $640 \times 64$ by $64 \times 64$ numpy
# product took 2 to 20 ms with the default threads, depending on the load, and 0.25 to 0.4 ms
# with one). Start Jupyter with
# `OMP_NUM_THREADS=1` if your numpy loop is unexpectedly slow; in `torch`,
# `torch.set_num_threads(1)` does the same.
#
# **Task.** Implement `train_mlp(x, y, params, *, epochs, batch_size, lr, label_noise_std=0.0,
# input_noise_std=0.0, seed=0, device="auto")` as described, starting from `params` (a list of
# `[W, b]` pairs, which must not be modified). Return the dict
# `{"params": ..., "train_loss": ...}`: the trained parameters in the layout of `init_mlp`, as
# numpy arrays, and a numpy array of `epochs` clean full-data losses, one per epoch. All
# randomness (permutations, noise) comes from `seed`: the same seed must give the same result.
# `device` (`"auto"`, `"cpu"` or `"cuda"`) says where a `torch` implementation computes; `"auto"`
# uses CUDA when `torch.cuda.is_available()`. A numpy implementation may ignore it. The hidden
# tests time the homework-size run (1000 epochs): a loop over single samples fails them.

# %% [markdown]
# The next cell is yours too: the reference solution keeps its training loop there, as a
# helper that `train_mlp` calls. Put any helper of your own `train_mlp` in it, or leave it
# empty (delete the `raise NotImplementedError()` line).

# %% role="support" names="_sgd"

# %% role="function" name="train_mlp"

# %% role="tests" name="train_mlp"

# %% [markdown]
# **Task.** Implement `evaluate(params, x, y, tol=0.5)`: return `(mse, accuracy)` as Python
# floats, where `mse` is the mean of $(f(x_i) - y_i)^2$ over **all** points and `accuracy` is the
# fraction of points with $|f(x_i) - y_i| < $ `tol` (strictly). For a regression problem
# "accuracy" is only a convention: a point counts as a hit when the prediction is within `tol`.
# Do not mix the two: a test loop that adds up the squared errors of the hits only, and divides
# by the number of points, reports a number that is at most $\mathrm{tol}^2 = 0.25$ whatever the
# network does, and is not the MSE.

# %% role="function" name="evaluate"

# %% role="tests" name="evaluate"

# %% [markdown]
# ## 4. Is noise a regularizer?
#
# A **Tikhonov** (ridge) regularizer adds a penalty $\lambda\,\Omega(\theta)$ to the loss, for
# example $\lambda\|\theta\|^2$ or $\lambda\,\mathbb{E}_x[f'(x; \theta)^2]$, which changes the
# minimizer: it trades a little training error for a smoother or smaller model. Training with
# noise minimizes, on average, the noisy loss averaged over the noise. So the question is: **does
# averaging over the noise add a penalty that depends on $\theta$?**
#
# ### 4.1 Label noise: a constant, not a penalty
#
# Let $\varepsilon$ have mean 0 and variance $\sigma^2$, independent of everything else, and
# write $r = f(x; \theta) - y$ for the residual. Expanding the square,
# $$\mathbb{E}_\varepsilon\bigl[(f(x; \theta) - y - \varepsilon)^2\bigr]
# = r^2 - 2r\,\mathbb{E}[\varepsilon] + \mathbb{E}[\varepsilon^2] = r^2 + \sigma^2 .$$
# The noise adds the **constant** $\sigma^2$ to the expected loss, the same for every $\theta$,
# so the expected loss has the same minimizers, and the same gradient:
# $$\mathbb{E}_\varepsilon\bigl[\nabla_\theta (f - y - \varepsilon)^2\bigr]
# = \mathbb{E}_\varepsilon\bigl[2(r - \varepsilon)\,\nabla_\theta f\bigr]
# = 2r\,\nabla_\theta f = \nabla_\theta\, r^2 .$$
# Given the current $\theta$, a step on noisy labels is on average the clean step; the noise
# only adds a zero-mean term $-2\varepsilon\nabla_\theta f$ to it. **Label noise with squared
# error is not Tikhonov regularization**: there is no penalty to find. (This is special to the
# squared error, whose gradient is linear in the label.)
#
# ### 4.2 Input noise: a penalty on the slope (Bishop, 1995)
#
# Now perturb the input, $x \mapsto x + \delta$ with $\delta$ of mean 0 and variance $\sigma^2$,
# and Taylor-expand $f(x + \delta) = f + \delta f' + \frac{1}{2}\delta^2 f'' + O(\delta^3)$
# (everything at $x$, derivatives in $x$). With $r = f(x) - y$,
# $$\mathbb{E}_\delta\bigl[(f(x + \delta) - y)^2\bigr]
# = r^2 + \sigma^2\bigl[f'(x)^2 + r\,f''(x)\bigr] + O(\sigma^4),$$
# using $\mathbb{E}\delta = 0$, $\mathbb{E}\delta^2 = \sigma^2$ and, for symmetric noise,
# $\mathbb{E}\delta^3 = 0$. The term $\sigma^2 f'(x)^2$ is a genuine penalty that depends on
# $\theta$: it charges the network for steep slopes at the data. The term $\sigma^2 r f''$ has
# no sign, and it is small where the network fits ($r \approx 0$). Bishop showed that, to order
# $\sigma^2$, minimizing the noisy loss is equivalent to minimizing
# $$\mathcal{L}(\theta) + \sigma^2\,\frac{1}{n}\sum_i f'(x_i; \theta)^2,$$
# a **Tikhonov regularizer** with strength $\lambda = \sigma^2$.
#
# **A linear model, exactly.** For $f(x) = w^\top x + b$ with $x \in \mathbb{R}^d$ and noise
# $\delta$ of mean 0 and covariance $\sigma^2 I$,
# $$\mathbb{E}_\delta\bigl[(w^\top(x + \delta) + b - y)^2\bigr]
# = (w^\top x + b - y)^2 + \sigma^2\|w\|^2$$
# with no remainder ($f'' = 0$): training with input noise *is* ridge regression with
# $\lambda = \sigma^2$ (the bias is not penalized).
#
# The price: the noisy loss's minimizer is a blurred version of the target. For
# $\cos(4x)$ and Gaussian $\delta$, $\mathbb{E}\cos(4(x + \delta)) = e^{-8\sigma^2}\cos(4x)$: the
# oscillation is damped by $e^{-8\sigma^2}$, a factor $0.92$ for $\sigma = 0.1$ but $0.14$ for
# $\sigma = 0.5$. The input noise must be small compared with the scale on which $f_\star$
# changes (a quarter period, $\pi/8 \approx 0.4$).
#
# ### 4.3 What is left for label noise: the dynamics of SGD
#
# Section 4.1 is about one step from a given $\theta$. Over many steps the zero-mean noise
# terms do not simply cancel: the gradient at step $t$ is taken where the earlier noise has
# moved $\theta$, and $\nabla\mathcal{L}$ is not linear in $\theta$. Label noise is extra
# **gradient noise**, on top of the noise of sampling the batches, and it can change *where* SGD
# ends up. Two results make this precise for over-parameterized models near a set of parameters
# with **zero training loss**: Blanc, Gupta, Valiant and Valiant (2020) show that label-noise
# SGD there drifts towards parameters where the implicit regularizer
# $\frac{1}{n}\sum_i\|\nabla_\theta f(x_i; \theta)\|^2$ is small, and Damian, Ma and Lee (2021)
# show that it converges to stationary points of $\mathcal{L} + \lambda R$, with $R$ a penalty on
# sharp minima (large Hessian eigenvalues) and $\lambda$ growing with the learning rate and the
# noise and shrinking with the batch size. These are statements about long training runs that
# have reached zero training loss. Whether they say anything about *our* 4000 steps, and whether
# the effect helps or hurts the test error here, is an **empirical question**: Section 6.
#
# ### Check: the expected step
#
# One epoch with `batch_size=512` is a single full-batch gradient step, so
# `train_mlp(x_train, y_train, params, epochs=1, batch_size=512, lr=0.1, label_noise_std=0.5,
# seed=s)` makes one noisy step, with the noise drawn from `seed`. Section 4.1 predicts that the
# average of many such steps tends to the clean step, its error shrinking like $1/\sqrt{M}$ with
# the number $M$ of draws; Section 4.2 that with input noise the average tends to something else,
# off by a **bias** of order $\sigma^2$, which no number of draws removes.
#
# **Exercise** (a few seconds). Start from `params = init_mlp(seed=0)` and compute the clean
# step $u_{\rm clean}$ (the change of all parameters, flattened into one vector) and the noisy
# steps $u_1, \dots, u_{100}$ for seeds $0, \dots, 99$, for `label_noise_std=0.5`, and for
# `input_noise_std` $= 0.1$ and $0.2$. Plot, on log-log axes against $M$, the relative deviation
# of the running mean, $\|\frac{1}{M}\sum_{k \le M} u_k - u_{\rm clean}\| / \|u_{\rm clean}\|$,
# together with the line $\rho/\sqrt{M}$, where $\rho$ is the root mean square of the
# label-noise deviations $\|u_k - u_{\rm clean}\| / \|u_{\rm clean}\|$: the typical error of an
# unbiased average of $M$ draws. The label-noise curve should follow that line (noisily: the
# random part of the step varies mainly along a few directions); the input-noise curves should
# level off, at heights in a ratio of about $4 = (0.2/0.1)^2$.


# %% role="experiment"
def flat(params):
    """All weights and biases in one vector."""
    return np.concatenate([np.ravel(p) for layer in params for p in layer])


params0 = init_mlp(seed=0)
options = dict(epochs=1, batch_size=len(x_train), lr=0.1)
start = flat(params0)
clean_step = flat(train_mlp(x_train, y_train, params0, **options)["params"]) - start
n_draws = 100
draws = np.arange(1, n_draws + 1)
fig, ax = plt.subplots(figsize=(7, 4.5))
for noise in ({"label_noise_std": 0.5}, {"input_noise_std": 0.1}, {"input_noise_std": 0.2}):
    steps = np.array(
        [
            flat(train_mlp(x_train, y_train, params0, **options, **noise, seed=s)["params"]) - start
            for s in range(n_draws)
        ]
    )
    scale = np.linalg.norm(clean_step)
    running_mean = np.cumsum(steps, axis=0) / draws[:, None]
    relative = np.linalg.norm(running_mean - clean_step, axis=1) / scale
    ((name, value),) = noise.items()
    print(f"{name} = {value}: relative deviation after 10 and 100 draws", relative[[9, -1]])
    ax.loglog(draws, relative, label=f"{name} = {value}")
    if name == "label_noise_std":
        # An unbiased mean of M draws is off by about (rms deviation of one draw) / sqrt(M).
        one_draw = np.sqrt(np.mean(np.sum((steps - clean_step) ** 2, axis=1))) / scale
        expected = one_draw / np.sqrt(draws)
        ax.loglog(draws, expected, "k--", linewidth=1, label=r"$\rho/\sqrt{M}$ (unbiased)")
ax.set_xlabel("number of draws $M$")
ax.set_ylabel("relative deviation of the mean step")
ax.set_title("Averaging noisy steps: label noise is unbiased, input noise is not")
ax.legend()
plt.show()

# %% [markdown]
# ## 5. One seed proves nothing
#
# A training run is random: the initialization, the order of the batches and the noise all
# depend on seeds, and the test MSE of one run is **one draw** from a distribution. Different
# seeds can give quite different networks, because SGD on a non-convex loss can end near
# different local minima, or simply be at a different stage of a slow descent when training
# stops. So a comparison of *one* clean run with *one* noisy run compares two draws: their
# difference has a standard deviation about $\sqrt{2}$ times the seed-to-seed spread, and if that
# spread is as large as the effect, the comparison can come out either way. A single-seed result,
# however striking, is an anecdote.
#
# What to do instead:
#
# * Run each setting with several seeds $s = 1, \dots, m$ and report the mean and the standard
#   deviation $s_{\rm d}$ across seeds. The mean's uncertainty is the **standard error**
#   $s_{\rm d}/\sqrt{m}$, which shrinks with more seeds; the spread itself does not.
# * Use the **same** seeds in every setting, so that run $s$ of each setting starts from the same
#   initialization, and look at the per-seed **differences** (noisy minus clean): the part of the
#   spread that comes from the initialization then cancels. How much that helps depends on how
#   much of the spread the initialization causes, which the experiment will tell.
# * A difference of means smaller than about twice its standard error (for independent settings
#   $\sqrt{s_1^2/m + s_2^2/m}$) is not evidence of anything. With $m = 5$ seeds even that is a
#   rough rule: the standard deviations themselves are uncertain.
# * Look at the training loss as well as the test loss: a regularizer that helps should lower
#   the **gap** between them, usually at the price of a higher training loss.
#
# ## 6. The experiment
#
# Train the network of Section 2 on the 512 training points of plot (a) in three settings, with
# the homework's SGD (1000 epochs, batch 128, learning rate 0.1):
#
# * **clean**;
# * **label noise** with $\sigma_{\rm lab} = 0.5$: a variance of $0.25$, a tenth of
#   $\operatorname{Var} f_\star \approx 2.5$, clearly there without drowning the signal. By
#   Section 4.1 it raises the expected training loss by exactly $0.25$ and changes nothing else
#   in expectation;
# * **input noise** with $\sigma_{\rm in} = 0.1$. To first order,
#   $f(x + \delta) - y \approx (f(x) - y) + f'(x)\,\delta$, so input noise also acts like label
#   noise, of standard deviation $\sigma_{\rm in}|f'(x)|$, larger where the target is steep. For
#   $f_\star$, $\mathbb{E}[f_\star'(x)^2] \approx 40.5$, so $\sigma_{\rm in} = 0.1$ gives
#   about $0.64$ on average: comparable to the label noise, which makes the comparison fair. On
#   top of that it brings the penalty of Section 4.2, and its blurring is mild: the damping
#   $e^{-8\sigma^2} = 0.92$ makes the blurred target $\mathbb{E}_\delta f_\star(x + \delta)$
#   differ from $f_\star$ by a mean squared error of only about $0.015$.
#
# Use the **same ten seeds** $0, \dots, 9$ in every setting: start model $s$ from
# `init_mlp(seed=s)` and train it with `seed=s`. The reference `train_mlp` draws the noise from
# the same stream whether it is used or not, so the three runs with one seed share their
# initialization and their batch order and differ only in the noise: the comparison is
# **paired**. Evaluate every network with `evaluate` on a test set of 2000 points drawn with
# `np.random.default_rng(1).normal(size=2000)`, labelled with `f_true`.
#
# **Exercise.** (1) Train the $3 \times 10$ networks and keep, for each setting, the test MSEs,
# the accuracies, the training curves and the parameters. (2) Print, for each setting, the final
# training loss, the test MSE and the accuracy as mean $\pm$ standard deviation over the seeds,
# the ten test MSEs, and for each noisy setting the per-seed differences of test MSE from the
# clean run with their mean $\pm$ standard error. (3) Plot the training curves (mean over the
# seeds, log scale, with a band from the smallest to the largest), and the ten test MSEs of each
# setting side by side, joining the points of one seed. (4) Plot the learned functions of each
# setting on $[-3, 3]$ against $f_\star$, one panel per setting.
#
# Training the 30 networks took between one and a quarter and two and a half minutes on the
# course's 2-core machine, depending on how busy it was with other jobs (the reference
# computes in float64 on one CPU thread). If that is too slow for you, use fewer seeds, at
# least five, and say so in your answer; do not shorten the training, which would change the
# question.
#
# In the first epoch the loss can jump far above its initial value (the first steps, taken from
# outputs several units off, are large), and within a few epochs it falls to about
# $\operatorname{Var} f_\star$: the network first learns the mean of the data, then, slowly, the
# oscillation. Plot the loss curves with the $y$ axis limited to $[0.05, 10]$ and a dotted line
# at the training set's $\operatorname{Var} f_\star$.

# %% role="experiment"
import time

x_test = np.random.default_rng(1).normal(size=2000)
y_test = f_true(x_test)
seeds = list(range(10))
settings = {
    "clean": {},
    "label noise 0.5": {"label_noise_std": 0.5},
    "input noise 0.1": {"input_noise_std": 0.1},
}
results = {}
for name, noise in settings.items():
    start = time.perf_counter()
    runs = [
        train_mlp(
            x_train, y_train, init_mlp(seed=s), epochs=1000, batch_size=128, lr=0.1, seed=s, **noise
        )
        for s in seeds
    ]
    scores = np.array([evaluate(run["params"], x_test, y_test) for run in runs])
    results[name] = {
        "params": [run["params"] for run in runs],
        "train_loss": np.array([run["train_loss"] for run in runs]),  # (seeds, epochs)
        "test_mse": scores[:, 0],
        "accuracy": scores[:, 1],
    }
    print(f"{name}: {len(seeds)} networks in {time.perf_counter() - start:.0f} s")


# %% role="experiment"
def mean_std(values):
    return f"{np.mean(values):.3f} ± {np.std(values, ddof=1):.3f}"


print(f"seeds {seeds}; mean ± standard deviation over the seeds")
print(f"{'setting':<17}{'final train loss':>18}{'test MSE':>16}{'accuracy':>16}")
for name, res in results.items():
    train_final = res["train_loss"][:, -1]
    print(
        f"{name:<17}{mean_std(train_final):>18}{mean_std(res['test_mse']):>16}"
        f"{mean_std(res['accuracy']):>16}"
    )
for name, res in results.items():
    print(f"test MSE per seed, {name:<16}", np.round(res["test_mse"], 3))
for name in ("label noise 0.5", "input noise 0.1"):
    diff = results[name]["test_mse"] - results["clean"]["test_mse"]
    error = np.std(diff, ddof=1) / np.sqrt(len(diff))
    print(f"{name} minus clean, per seed:", np.round(diff, 3))
    print(f"    mean {diff.mean():+.3f} ± {error:.3f} (standard error)")

# %% role="experiment"
epochs_axis = np.arange(1, results["clean"]["train_loss"].shape[1] + 1)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.5))
for name, res in results.items():
    curves = res["train_loss"]
    (line,) = ax1.plot(epochs_axis, curves.mean(axis=0), label=name)
    ax1.fill_between(
        epochs_axis, curves.min(axis=0), curves.max(axis=0), color=line.get_color(), alpha=0.2
    )
ax1.axhline(np.var(y_train), color="gray", linestyle=":", label=r"Var $f_\star$ (training set)")
ax1.set_yscale("log")
ax1.set_ylim(0.05, 10.0)
ax1.set_xlabel("epoch")
ax1.set_ylabel("clean training loss")
ax1.set_title("Training loss: mean over seeds, band from min to max")
ax1.legend()
names = list(results)
test_mse = np.array([results[name]["test_mse"] for name in names])  # (settings, seeds)
ax2.plot(range(len(names)), test_mse, color="gray", linewidth=0.7, alpha=0.6)
for k, name in enumerate(names):
    ax2.plot(np.full(len(seeds), k), test_mse[k], "o", label=name)
    ax2.errorbar(
        k + 0.15,
        test_mse[k].mean(),
        yerr=test_mse[k].std(ddof=1) / np.sqrt(len(seeds)),
        fmt="s",
        color="black",
        capsize=4,
    )
ax2.set_xticks(range(len(names)), names)
ax2.set_ylabel("test MSE")
ax2.set_title("Test MSE per seed (gray: same seed), mean ± standard error")
fig.tight_layout()
plt.show()

# %% role="experiment"
xs = np.linspace(-3.0, 3.0, 601)
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), sharey=True)
for ax, (name, res) in zip(axes, results.items(), strict=True):
    ax.plot(x_train, y_train, ".", color="lightgray", markersize=3)
    for params in res["params"]:
        ax.plot(xs, mlp_forward(params, xs), linewidth=0.8, alpha=0.7)
    ax.plot(xs, f_true(xs), "k", linewidth=2, label=r"$f_\star$")
    ax.set_ylim(-6.0, 6.0)
    ax.set_xlabel("$x$")
    ax.set_title(f"{name}: {len(res['params'])} seeds")
    ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Written question (4 points)
#
# Report what **your** experiment shows: the test MSE (and accuracy) of the clean, label-noise
# and input-noise runs, each with its spread across seeds, and the seeds you used. Then explain
# the result in the light of Section 4. Did label noise act as a regularizer here? Did input
# noise? Are the differences between the three settings larger than the seed-to-seed spread?
# Use the training curves: was the clean network overfitting at all? Finally, say what a
# single-seed comparison of a clean and a noisy run could and could not have shown.

# %% [markdown] role="written" grade_id="noise_explained" points=4
# *What the theory predicts.* Label noise adds the constant $\sigma^2$ to the expected loss and
# leaves the expected gradient unchanged (Section 4.1; the averaged steps of the check converge
# to the clean step), so it is no explicit regularizer; it can only act through the SGD
# dynamics, as extra gradient noise. The implicit regularization of Blanc et al. and Damian et
# al. is proved near parameters with zero training loss. Input noise adds, to first order, the
# Tikhonov penalty $\sigma^2\overline{f'(x)^2}$ (the check's input-noise curves level off at a
# bias, about 4 times higher for $\sigma = 0.2$ than for $0.1$), plus extra gradient noise and a
# slight blurring of the target. A penalty can be expected to help when the clean network
# overfits, i.e. when its test error is well above its training error. The evidence for "noise
# regularized" would be a lower test MSE than clean, by more than about twice the standard error
# of the paired differences, together with a smaller gap between test MSE and training loss.
#
# *What my run showed* (seeds 0 to 9, 1000 epochs, batch 128, lr 0.1, 2000 test points;
# mean $\pm$ standard deviation over the seeds; measured with the reference's ensemble trainer,
# which stacks the ten seeds: training them one at a time rounds differently, and over 1000
# epochs the chaotic dynamics turn that into visibly different individual runs, so expect other
# per-seed numbers, even from the reference):
#
# | setting | final training loss | test MSE | accuracy |
# |---|---|---|---|
# | clean | 0.271 ± 0.181 | 0.188 ± 0.127 | 0.872 ± 0.117 |
# | label noise 0.5 | 0.370 ± 0.123 | 0.263 ± 0.108 | 0.730 ± 0.184 |
# | input noise 0.1 | 0.469 ± 0.360 | 0.370 ± 0.393 | 0.756 ± 0.252 |
#
# Per-seed differences of test MSE from the clean run: label noise $+0.074 \pm 0.056$, input
# noise $+0.182 \pm 0.109$ (mean $\pm$ standard error).
#
# * **The clean network was not overfitting.** Its training loss is far from 0, still falling
#   at epoch 1000 (the mean over the seeds and over epochs 701-800, 801-900 and 901-1000 is
#   0.44, 0.38 and 0.35), and not below its test MSE, which on these samples is even lower. The
#   fits are limited by optimization: the function plots show the misses in the sparsely sampled
#   left tail, where $f_\star$ is largest (the 5 % of test points with $x < -2$ carry between
#   9 % and 75 % of a clean run's test error), and at the small wiggle near $x = 2$. There was no
#   gap for a regularizer to close, and we are far from the zero-loss regime of the
#   implicit-regularization results.
# * **Label noise did not act as a regularizer here.** On average it made the test MSE slightly
#   worse, but by only 1.3 standard errors: not evidence of a difference. Its higher training
#   loss is consistent with extra gradient noise slowing a slow descent further.
# * **Input noise did not help either.** Its mean difference, $+0.18$, is 1.7 standard errors,
#   and most of it comes from seed 5 (1.396 against 0.245 clean); the other nine differences lie
#   between $-0.04$ and $+0.16$, eight of them positive. That points to a small cost, consistent
#   with a penalty and more gradient noise imposed on a network that was underfitting, but with
#   ten seeds it is not conclusive. The blurring alone (about 0.015) is smaller still.
# * **The mean differences (0.07 and 0.18) are of the size of the seed-to-seed spread**
#   (standard deviations 0.11 to 0.39), and pairing did not remove the spread: the per-seed
#   differences for label noise range from $-0.30$ to $+0.32$, so with the same initialization
#   and batch order the noise draws alone change the outcome by as much as the clean mean.
#
# *A single seed* could have "shown" anything: seed 4 gives 0.519 clean against 0.217 with label
# noise (noise more than halves the error), seed 0 gives 0.096 against 0.341 (noise more than
# triples it). One pair of runs shows what can happen, not which setting is better. (With
# another `init_mlp`, another device or fewer seeds the numbers differ; the argument is the same:
# compare mean differences with their standard errors, and the test MSE with the training loss.)
