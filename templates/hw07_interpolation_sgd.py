# %% [markdown]
# # Homework 7: SGD under interpolation, or automatic variance reduction
#
# Stochastic gradient descent (SGD) estimates the gradient of the training loss from a few
# random examples at a time. The estimate is unbiased but noisy, and the classical theory says
# that the noise must be tamed by a step size that decreases to 0, which makes SGD converge
# slowly. Yet deep networks are trained with a constant (or nearly constant) step size and
# reach a training loss of nearly 0 quickly. The explanation of Ma, Bassily and Belkin (2018)
# is **interpolation**: when the model can fit every training example exactly, the noise of the
# stochastic gradient vanishes at the solution, by itself. In this notebook you will implement
# mini-batch SGD for least squares and watch it stall at a noise floor on a small system with
# no exact solution, and converge at a linear rate on an over-parameterized one. You will
# measure the gradient noise along the way, and compute the largest useful batch size and the
# step size that goes with it.
#
# **Grading.**
#
# * Four functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * Plots are not graded, but you need them for the written question (3 points, graded by hand).
#   The cells that run many SGD steps are **experiments** (up to ten seconds each); the
#   autograder skips them, so nothing later in the notebook may depend on a variable they
#   define.
# * Before submitting, run *Kernel → Restart & Run All*; the notebook takes well under a minute.
#
# The next cell imports `numpy as np`, and `numpy.typing as npt` for type hints.

# %% role="imports"

# %% [markdown]
# ### Provided helpers
#
# The next cell is given to you (read it, do not change it). Its helpers check and convert
# arguments: one turns array-like input into a finite float64 array with a given number of axes,
# another checks that a value is an integer not below a given minimum, and one validates a data
# matrix and returns the two curvature constants $\beta$ and $\lambda_1$ of Section 5. Each
# raises `ValueError` naming the argument. You may call them.

# %% role="provided" names="_as_real _as_int _smoothness_constants"

# %% [markdown]
# ## 1. SGD on least squares
#
# The data are $n$ examples $x_i \in \mathbb{R}^p$ (the rows of $X$) with targets $y_i$. The
# loss of a linear model $w$ is the mean of the per-example losses,
# $$\mathcal{L}(w) = \frac{1}{2n}\|Xw - y\|^2 = \frac{1}{n}\sum_{i=1}^{n}\ell_i(w), \qquad
# \ell_i(w) = \frac{1}{2}\,(x_i \cdot w - y_i)^2 .$$
# With the residual $r_i = x_i \cdot w - y_i$, the gradients are
# $$\nabla\ell_i(w) = r_i\,x_i, \qquad \nabla\mathcal{L}(w) = \frac{1}{n}\sum_i r_i\,x_i
# = \frac{1}{n}X^\top(Xw - y).$$
# One step of **mini-batch SGD** draws a batch $B_t$ of $m$ distinct indices, uniformly at
# random, and moves against the batch gradient:
# $$w_{t+1} = w_t - \eta_t\,g_t, \qquad g_t = \frac{1}{m}\sum_{i \in B_t} r_i\,x_i .$$
# Every index lies in $B_t$ with probability $m/n$, so $\mathbb{E}[g_t] = \nabla\mathcal{L}(w_t)$:
# the batch gradient is the full gradient plus zero-mean **noise**,
# $g_t = \nabla\mathcal{L}(w_t) + \epsilon_t$. A step costs $m$ rows instead of $n$. With
# $m = n$ the batch is the whole data set and SGD is gradient descent.
#
# Two step-size schedules will be compared: a **constant** step, $\eta_t = \eta$, and the
# **inverse-time** schedule $\eta_t = \eta/(1 + t)$. The second satisfies the classical
# conditions of Robbins and Monro, $\sum_t \eta_t = \infty$ (the steps can travel any distance)
# and $\sum_t \eta_t^2 < \infty$ (the accumulated noise has finite variance).
#
# **Task.** Implement `sgd_least_squares(X, y, *, lr, steps, batch_size=1,
# schedule="constant", seed=0, w0=None)`. Start from `w0` (zeros if `None`; do not modify it) and
# take `steps` steps with $\eta_t$ = `lr` or `lr / (1 + t)` for $t = 0, 1, \dots$; draw each
# batch with `rng.choice(n, batch_size, replace=False)` from `rng = np.random.default_rng(seed)`,
# independently at every step. Return the dict `{"w": w, "loss": loss}`: the last iterate and a
# float64 array of length `steps + 1` with $\mathcal{L}(w_t)$ at every iterate, `loss[0]` at the
# start. Validation (`ValueError` naming the argument): `X` a finite matrix with $n, p \ge 1$,
# `y` a finite vector of length $n$, `lr` a finite number $> 0$, `steps` an integer $\ge 0$,
# `batch_size` an integer in $[1, n]$, `schedule` one of the two names, `seed` an integer
# $\ge 0$, `w0` a finite vector of length $p$. A step size that is too large makes the iterates
# blow up; the loss may then overflow to `inf`, which is not an error.

# %% role="function" name="sgd_least_squares"

# %% role="tests" name="sgd_least_squares"

# %% [markdown]
# ## 2. Two regimes
#
# **No exact solution.** The lecture's example has $n = 3$ equations in $p = 2$ unknowns,
# $$w_1 + 2w_2 = 4, \qquad -2w_1 + w_2 = 2, \qquad w_1 - 4w_2 = 4,$$
# i.e. $x_1 = (1, 2)$, $x_2 = (-2, 1)$, $x_3 = (1, -4)$ and $y = (4, 2, 4)$. Any two of the
# equations have a unique solution, and the third contradicts it. The least-squares solution
# solves the normal equations $X^\top X w = X^\top y$,
# $$\begin{pmatrix} 6 & -4 \\ -4 & 21 \end{pmatrix} w = \begin{pmatrix} 4 \\ -6 \end{pmatrix}
# \quad\Longrightarrow\quad w^* = \Bigl(\frac{6}{11}, -\frac{2}{11}\Bigr),$$
# with residuals $r^* = -\frac{1}{11}(42, 36, 30)$ and loss
# $\mathcal{L}(w^*) = \frac{60}{11} \approx 5.45$. The full gradient vanishes at $w^*$, but the
# per-example gradients do not:
# $$\nabla\ell_1(w^*) = -\tfrac{42}{11}(1, 2), \quad \nabla\ell_2(w^*) = -\tfrac{36}{11}(-2, 1),
# \quad \nabla\ell_3(w^*) = -\tfrac{30}{11}(1, -4)$$
# have lengths between 7.3 and 11.2 and only their *sum* is 0. Each example pulls $w^*$ towards
# its own line. SGD with a constant step, sitting exactly at $w^*$, is kicked away at the next
# step by one of these pulls, so it can never settle.
#
# **Interpolation.** With $p > n$ and $X$ of full row rank $n$, the system $Xw = y$ has an
# affine space of solutions, of dimension $p - n$. At any solution $\bar w$ **every** residual is
# 0, so every per-example loss is at its minimum 0 and every $\nabla\ell_i(\bar w) = 0$: the
# examples agree. A step of SGD at $\bar w$ stays at $\bar w$, whatever batch is drawn.
#
# The next cell sets up both problems: the 3-equation system, and a consistent
# over-parameterized one with $n = 20$ Gaussian examples in $p = 100$ dimensions.

# %%
X_small = np.array([[1.0, 2.0], [-2.0, 1.0], [1.0, -4.0]])
y_small = np.array([4.0, 2.0, 4.0])
w_small_star = np.linalg.solve(X_small.T @ X_small, X_small.T @ y_small)
loss_small_star = 0.5 * np.mean((X_small @ w_small_star - y_small) ** 2)
print("3 equations: w* =", w_small_star, " L(w*) =", loss_small_star)

rng = np.random.default_rng(0)
X_wide = rng.normal(size=(20, 100))
y_wide = X_wide @ rng.normal(size=100)
w_wide_star = np.linalg.pinv(X_wide) @ y_wide  # the minimum-norm solution (Homework 6)
print(
    "20 x 100: largest residual at the minimum-norm solution:",
    np.max(np.abs(X_wide @ w_wide_star - y_wide)),
)

# %% [markdown]
# ### Plot (a), an experiment: a constant step stalls, a decaying one converges
#
# On the 3-equation system, run SGD (batch size 1, from $w_0 = 0$) for 5000 steps with a
# constant step $\eta = 0.05$, a constant step $\eta = 0.01$, and the inverse-time schedule with
# `lr = 0.5`, three seeds each. Plot the **excess loss** $\mathcal{L}(w_t) - \mathcal{L}(w^*)$
# against $t + 1$ on log-log axes, with a guide line proportional to $1/t$. The loss itself
# never gets below $60/11$; the excess loss shows how close SGD gets to the best possible fit.
# Single runs jump around by orders of magnitude, so draw them thin and add, for each setting,
# the mean of the three runs smoothed over a moving window of 101 steps.

# %%
import matplotlib.pyplot as plt

# %% role="experiment"
steps, window = 5000, 101
iterations = np.arange(1, steps + 2)
runs = (
    ("constant", 0.05, "tab:red"),
    ("constant", 0.01, "tab:orange"),
    ("inverse_time", 0.5, "tab:blue"),
)
fig, ax = plt.subplots(figsize=(9, 4.5))
for schedule, lr, color in runs:
    options = {"lr": lr, "steps": steps, "schedule": schedule}
    excess = np.empty((3, steps + 1))
    for seed in range(3):
        loss = sgd_least_squares(X_small, y_small, seed=seed, **options)["loss"]
        excess[seed] = loss - loss_small_star
        ax.loglog(iterations, excess[seed], color=color, linewidth=0.4, alpha=0.35)
    smoothed = np.convolve(excess.mean(axis=0), np.ones(window) / window, mode="valid")
    centres = iterations[window // 2 : window // 2 + len(smoothed)]
    ax.loglog(centres, smoothed, color=color, linewidth=2.5, label=f"{schedule}, lr = {lr}")
ax.loglog(iterations, 10.0 / iterations, "k--", linewidth=1, label=r"$\propto 1/t$")
ax.set_ylim(1e-5, 1e4)
ax.set_xlabel("iteration $t + 1$")
ax.set_ylabel(r"$\mathcal{L}(w_t) - \mathcal{L}(w^*)$")
ax.set_title("SGD on the 3-equation system (no exact solution)")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Why constant-step SGD converges under interpolation
#
# Take batch size 1 and a constant step $\eta$, and let $\bar w$ be a solution of $Xw = y$. Since
# $x_i \cdot \bar w = y_i$, the residual of example $i$ is $r_i = x_i \cdot e$, where
# $e = w - \bar w$ is the error, and a step on example $i$ gives
# $$e_{+} = e - \eta\,x_i\,(x_i \cdot e), \qquad
# \|e_{+}\|^2 = \|e\|^2 - \eta\,\bigl(2 - \eta\|x_i\|^2\bigr)\,(x_i \cdot e)^2 .$$
# Write $\beta = \max_i\|x_i\|^2$.
#
# * **The error never grows** if $\eta \le 2/\beta$: the bracket is $\ge 0$ for every $i$, so
#   $\|e_{+}\| \le \|e\|$ at every single step, not just on average.
# * **It shrinks at a linear rate.** Average over the uniformly drawn $i$:
#   $\mathbb{E}_i(x_i \cdot e)^2 = e^\top H e$ with $H = X^\top X/n$, so with $\eta = 1/\beta$
#   $$\mathbb{E}\,\|e_{+}\|^2 \le \|e\|^2 - \frac{1}{\beta}\,e^\top H e .$$
#   Start from $w_0 = 0$ and choose $\bar w$ to be the minimum-norm solution. Then $e_0$ lies in
#   the row space of $X$, and so does every step $x_i(x_i \cdot e)$: the error stays in the row
#   space, where $e^\top H e \ge \lambda_{\min}^{+}\|e\|^2$, with $\lambda_{\min}^{+} > 0$ the
#   smallest nonzero eigenvalue of $H$. Hence
#   $$\mathbb{E}\,\|w_t - \bar w\|^2 \le \Bigl(1 - \frac{\lambda_{\min}^{+}}{\beta}\Bigr)^{t}
#   \|\bar w\|^2 .$$
#   Since $\lambda_{\min}^{+}\|e\|^2 \le 2\mathcal{L}(w) = e^\top H e \le \lambda_1\|e\|^2$
#   ($\lambda_1$ the largest eigenvalue of $H$), the loss obeys
#   $\mathbb{E}\,\mathcal{L}(w_t) \le (\lambda_1/\lambda_{\min}^{+})
#   (1 - \lambda_{\min}^{+}/\beta)^t\,\mathcal{L}(w_0)$: a straight line on a logarithmic axis.
#   As a bonus, SGD from 0 converges to the **minimum-norm** interpolant, like gradient descent
#   (Homework 6).
# * **Without interpolation** the same computation has an extra term. At the least-squares
#   solution $w^*$ the residuals $r_i^*$ are not all 0, $r_i = x_i \cdot e + r_i^*$, and
#   $$e_{+} = (I - \eta\,x_i x_i^\top)\,e - \eta\,r_i^*\,x_i .$$
#   The last term has mean 0 (it is $-\eta\nabla\ell_i(w^*)$, and these average to 0) but it does
#   not shrink with $e$. It is fresh noise of size $\eta$ at every step, and the error settles
#   where the contraction of the first term balances it. For small $\eta$ the excess loss then
#   fluctuates around $\eta\,\sigma_*^2/4$, with $\sigma_*^2$ the gradient noise at $w^*$
#   (Section 4): a **noise floor** proportional to the step. Only $\eta_t \to 0$ removes it,
#   at the price of ever smaller steps.
#
# **Randomized Kaczmarz.** If every row has $\|x_i\| = 1$, then $\beta = 1$, and with $\eta = 1$
# the step $w_{+} = w - x_i\,(x_i \cdot w - y_i)$ is the orthogonal projection of $w$ onto the
# hyperplane $\{x_i \cdot w = y_i\}$. This is Kaczmarz's method (1937) with random rows, whose
# linear rate Strohmer and Vershynin proved in 2009. A projection onto a set that contains
# $\bar w$ cannot increase the distance to $\bar w$, for any solution $\bar w$.
#
# **Check it.** Normalize the rows of a random $20 \times 100$ Gaussian matrix $A$, set
# $b = A v$ for a random $v$, and run `sgd_least_squares(A, b, lr=1.0, ...)` one step at a time
# (`steps=1`, `w0` the previous iterate, a new `seed` each time) for 400 steps from 0. Record the
# distance to the minimum-norm solution `np.linalg.pinv(A) @ b` after every step, and print the
# largest increase of the distance in one step (rounding level, about $10^{-15}$, or negative)
# and the distance after 0, 100, 200 and 400 steps.

# %% role="solution"
rng = np.random.default_rng(5)
A = rng.normal(size=(20, 100))
A /= np.linalg.norm(A, axis=1, keepdims=True)
b = A @ rng.normal(size=100)
w_min_norm = np.linalg.pinv(A) @ b
w = np.zeros(100)
distances = [np.linalg.norm(w - w_min_norm)]
for t in range(400):
    w = sgd_least_squares(A, b, lr=1.0, steps=1, seed=t, w0=w)["w"]
    distances.append(np.linalg.norm(w - w_min_norm))
distances = np.array(distances)
print("largest increase of the distance in one step:", np.max(np.diff(distances)))
print("distance after 0, 100, 200, 400 steps:", distances[[0, 100, 200, 400]])

# %% [markdown]
# ### Plot (b), an experiment: linear convergence under interpolation
#
# On the $20 \times 100$ problem, run SGD with batch size 1 and $\eta = 1/\beta$ for 3000 steps,
# with the constant and with the inverse-time schedule, three seeds each, and plot the loss
# against the iteration on a logarithmic $y$ axis. Add the bound
# $(\lambda_1/\lambda_{\min}^{+})(1 - \lambda_{\min}^{+}/\beta)^t\,\mathcal{L}(w_0)$ of
# Section 3 (the nonzero eigenvalues of $X^\top X/n$ are those of $XX^\top/n$). The constant
# step should reach $10^{-12}$ within about a thousand steps and then sit at the level of
# rounding errors; the decaying step, so useful in plot (a), is now only a brake.

# %% role="experiment"
beta_wide = np.max(np.sum(X_wide**2, axis=1))
eigenvalues = np.linalg.eigvalsh(X_wide @ X_wide.T / len(X_wide))
lambda_min, lambda_1 = eigenvalues[0], eigenvalues[-1]
steps = 3000
fig, ax = plt.subplots(figsize=(9, 4.5))
for schedule, color in (("constant", "tab:green"), ("inverse_time", "tab:blue")):
    for seed in range(3):
        result = sgd_least_squares(
            X_wide, y_wide, lr=1 / beta_wide, steps=steps, schedule=schedule, seed=seed
        )
        label = rf"{schedule}, lr = $1/\beta$" if seed == 0 else None
        ax.semilogy(result["loss"], color=color, linewidth=0.8, label=label)
t_values = np.arange(steps + 1)
loss_0 = 0.5 * np.mean(y_wide**2)
bound = lambda_1 / lambda_min * (1 - lambda_min / beta_wide) ** t_values * loss_0
ax.semilogy(t_values, bound, "k--", linewidth=1, label="bound of Section 3")
ax.set_xlabel("iteration $t$")
ax.set_ylabel(r"$\mathcal{L}(w_t)$")
ax.set_title(r"SGD on a consistent $20 \times 100$ system (interpolation)")
ax.legend()
fig.tight_layout()
plt.show()
print(f"beta = {beta_wide:.1f}, lambda_1 = {lambda_1:.2f}, lambda_min+ = {lambda_min:.2f}")

# %% [markdown]
# ## 4. The gradient noise
#
# The noise of a batch-1 step at $w$ is $\epsilon = \nabla\ell_i(w) - \nabla\mathcal{L}(w)$
# with $i$ uniform. Its size is measured by
# $$\sigma^2(w) = \mathbb{E}_i\,\|\epsilon\|^2
# = \frac{1}{n}\sum_{i=1}^{n}\bigl\|\nabla\ell_i(w) - \nabla\mathcal{L}(w)\bigr\|^2
# = \frac{1}{n}\sum_{i=1}^{n} r_i^2\,\|x_i\|^2 - \|\nabla\mathcal{L}(w)\|^2 ,$$
# the trace of the covariance of the stochastic gradient. A batch of $m$ distinct examples
# averages the noise down to $\sigma^2(w)\,\frac{n - m}{m(n - 1)}$ (sampling without
# replacement), which is 0 for $m = n$.
#
# * **Interpolation: the noise vanishes with the loss.** Drop the subtracted term and bound
#   $\|x_i\|^2 \le \beta$:
#   $$\sigma^2(w) \le \frac{1}{n}\sum_i r_i^2\,\|x_i\|^2 \le \beta\,\frac{1}{n}\sum_i r_i^2
#   = 2\beta\,\mathcal{L}(w).$$
#   When the minimum of $\mathcal{L}$ is 0, driving the loss down drives the noise down with it.
#   Nobody has to do anything: this is **automatic variance reduction**. Methods such as SVRG
#   and SAGA achieve the same effect by design, at the cost of extra gradient evaluations.
# * **No interpolation: the noise stays.** At the least-squares solution
#   $\nabla\mathcal{L}(w^*) = 0$ and
#   $\sigma_*^2 = \sigma^2(w^*) = \frac{1}{n}\sum_i (r_i^*)^2\|x_i\|^2$, which is positive unless
#   every $r_i^* x_i = 0$. For the 3-equation system
#   $\sigma_*^2 = \frac{1}{3\cdot 121}\,(42^2\cdot 5 + 36^2\cdot 5 + 30^2\cdot 17)
#   = \frac{10200}{121} \approx 84.3$.
#
# **Task.** Implement `gradient_noise(X, y, w)` $= \sigma^2(w)$ as a Python `float`. `X` must be
# a finite matrix with $n, p \ge 1$, `y` a finite vector of length $n$ and `w` a finite vector of
# length $p$ (`ValueError` naming the argument). Form the $n \times p$ matrix of per-example
# gradients, subtract its mean row, and average the squared row norms. The centred form is
# preferable to the difference on the right: near a minimum both of its terms can be large and
# nearly equal, and their difference loses digits.

# %% role="function" name="gradient_noise"

# %% role="tests" name="gradient_noise"

# %% [markdown]
# The next cell evaluates the noise at the two solutions, and checks the bound
# $\sigma^2(w) \le 2\beta\mathcal{L}(w)$ at random points of the over-parameterized problem.

# %%
print("3 equations, noise at w*:", gradient_noise(X_small, y_small, w_small_star))
print("20 x 100, noise at the minimum-norm solution:", gradient_noise(X_wide, y_wide, w_wide_star))
rng = np.random.default_rng(1)
ratios = []
for _ in range(100):
    w_random = w_wide_star + rng.normal(size=100) * rng.uniform(0.01, 10.0)
    loss = 0.5 * np.mean((X_wide @ w_random - y_wide) ** 2)
    ratios.append(
        gradient_noise(X_wide, y_wide, w_random) / (2 * np.max(np.sum(X_wide**2, 1)) * loss)
    )
print("largest ratio noise / (2 beta L) at 100 random points:", max(ratios))

# %% [markdown]
# ### Plot (c), an experiment: noise against loss
#
# Follow one SGD run in each regime iterate by iterate, calling `sgd_least_squares` with
# `steps=1`, `w0` the previous iterate and a new seed every time, and record the loss and the
# gradient noise at every iterate. Interpolation: the $20 \times 100$ problem, $\eta = 1/\beta$,
# 1500 steps. No interpolation: the 3-equation system with the inverse-time schedule,
# $\eta_t = 0.5/(1 + t)$ for $t = 0, \dots, 4999$ (pass this `lr` with the constant schedule:
# one step at a time, that is the same thing). Plot the noise against the excess loss
# $\mathcal{L}(w_t) - \min\mathcal{L}$ on log-log axes (for the interpolating problem
# $\min\mathcal{L} = 0$, so this is the training loss), with the line $2\beta\mathcal{L}$ for
# the first and the level $\sigma_*^2$ for the second.

# %% role="experiment"
beta_wide = np.max(np.sum(X_wide**2, axis=1))


def noise_along_run(X, y, step_sizes):
    """Excess loss and gradient noise at every iterate of batch-1 SGD from 0."""
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    min_loss = 0.5 * np.mean((X @ best - y) ** 2)
    w = np.zeros(X.shape[1])
    excess, noise = [], []
    for t, eta in enumerate(step_sizes):
        excess.append(0.5 * np.mean((X @ w - y) ** 2) - min_loss)
        noise.append(gradient_noise(X, y, w))
        w = sgd_least_squares(X, y, lr=eta, steps=1, seed=t, w0=w)["w"]
    return np.array(excess), np.array(noise)


excess_wide, noise_wide = noise_along_run(X_wide, y_wide, np.full(1500, 1 / beta_wide))
excess_small, noise_small = noise_along_run(X_small, y_small, 0.5 / (1.0 + np.arange(5000)))
fig, ax = plt.subplots(figsize=(9, 5))
ax.loglog(
    excess_wide,
    noise_wide,
    ".",
    markersize=3,
    color="tab:green",
    label=r"$20 \times 100$, constant step (interpolation)",
)
ax.loglog(
    excess_small,
    noise_small,
    ".",
    markersize=3,
    color="tab:blue",
    label="3 equations, inverse-time step",
)
loss_grid = np.geomspace(1e-14, 1e3, 100)
ax.loglog(
    loss_grid,
    2 * beta_wide * loss_grid,
    "k--",
    linewidth=1,
    label=r"$2\beta\mathcal{L}$ ($20 \times 100$)",
)
sigma2_star = gradient_noise(X_small, y_small, w_small_star)
ax.axhline(sigma2_star, color="tab:blue", linestyle=":", label=r"$\sigma_*^2$ (3 equations)")
ax.set_xlabel(r"excess training loss $\mathcal{L}(w_t) - \min\mathcal{L}$")
ax.set_ylabel(r"gradient noise $\sigma^2(w_t)$")
ax.set_title("Gradient noise along SGD runs")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 5. How large a batch, how large a step?
#
# A batch of $m$ examples gives the step $e_{+} = (I - \eta H_B)\,e$ under interpolation, with
# $H_B = \frac{1}{m}\sum_{i \in B} x_i x_i^\top$ and $\mathbb{E}[H_B] = H$, so
# $\mathbb{E}\,\|e_{+}\|^2 = e^\top\bigl(I - 2\eta H + \eta^2\,\mathbb{E}[H_B^2]\bigr)e$. Two
# curvature constants control it:
# $$\beta = \max_i \|x_i\|^2 \quad\text{(the curvature of one } \ell_i\text{)}, \qquad
# \lambda_1 = \lambda_{\max}\Bigl(\frac{1}{n}X^\top X\Bigr) = \frac{\|X\|_2^2}{n}
# \quad\text{(the curvature of } \mathcal{L}\text{)} .$$
# In $H_B^2$ the square of one example's term has mean
# $\mathbb{E}[(x_i x_i^\top)^2] = \mathbb{E}[\|x_i\|^2 x_i x_i^\top] \preceq \beta H$, and the
# products of two different examples have mean close to $H^2$; one finds
# $\mathbb{E}[H_B^2] \preceq \frac{\beta}{m}H + \frac{m - 1}{m}H^2$ (for batches drawn with or
# without replacement). The right side is a polynomial in $H$, so with the eigenvalues
# $\lambda_k$ and unit eigenvectors $v_k$ of $H$,
# $$\mathbb{E}\,\|e_{+}\|^2 \le \sum_k g(\lambda_k)\,(v_k \cdot e)^2, \qquad
# g(\lambda) = 1 - \eta\lambda\Bigl(2 - \eta\,\frac{\beta + (m - 1)\lambda}{m}\Bigr):$$
# the error shrinks at least by the factor $\max_k g(\lambda_k)$ per step (the $\lambda_k$ of
# the row space, where the error lives). Ma, Bassily and Belkin (2018) choose $\eta$ to make
# this factor as small as possible:
#
# * **The slow directions** ($\lambda$ small, near $\lambda_{\min}^{+}$) contract by about
#   $1 - \eta\lambda(2 - \eta\beta/m)$, best for $\eta = m/\beta$, which gives
#   $1 - m\lambda/\beta$: **one step of batch $m$ does the work of $m$ steps of batch 1**
#   (linear scaling).
# * **The stiffest direction** ($\lambda = \lambda_1$) is no longer guaranteed to contract once
#   $\eta \ge 2m/(\beta + (m - 1)\lambda_1)$: that is the stability limit.
# * $m/\beta$ is below the limit exactly when $\beta + (m - 1)\lambda_1 \le 2\beta$, i.e. for
#   $m \le m^*$ with the **critical batch size**
#   $$m^* = \frac{\beta}{\lambda_1} + 1 .$$
#   Beyond it the step is capped by the limit, which tends to $2/\lambda_1$, the stability limit
#   of full gradient descent, as $m$ grows (**saturation**): a bigger batch costs more and
#   buys almost nothing.
#
# The course uses this simple form of their rule:
# $$\eta^*(m) = \begin{cases} \dfrac{m}{\beta}, & m \le m^*, \\[2ex]
# \dfrac{2m}{\beta + (m - 1)\lambda_1}, & m > m^* . \end{cases}$$
# The branches meet at $m = m^*$. Always $2 \le m^* \le n + 1$, because
# $\beta/n \le \lambda_1 \le \mathrm{tr}(H) \le \beta$; orthogonal rows of equal length give
# $m^* = n + 1$, and rows of similar length concentrated near one direction give $m^*$ close
# to 2. With
# $\eta = \eta^*(1) = 1/\beta$ and unit rows we are back at Kaczmarz.
#
# **Task.** Implement `critical_batch_size(X)` $= \beta/\lambda_1 + 1$ and `optimal_lr(X, m)`
# $= \eta^*(m)$, both as Python floats. `X` must be a finite real matrix with $n, p \ge 1$ and
# at least one nonzero entry, and `m` an integer $\ge 1$ (`ValueError` naming the argument).
# $\lambda_1$ is the **largest** eigenvalue of $X^\top X/n$: `np.linalg.norm(X, 2) ** 2 / n`,
# or the last value of `np.linalg.eigvalsh(X.T @ X / n)`.

# %% role="function" name="critical_batch_size"

# %% role="tests" name="critical_batch_size"

# %% role="function" name="optimal_lr"

# %% role="tests" name="optimal_lr"

# %% [markdown]
# ### Plot (d), an experiment: linear scaling, then saturation
#
# For the $20 \times 100$ problem and $m = 1, \dots, 20$: left, `optimal_lr(X_wide, m)` against
# $m$ with $m^*$ marked and the line $m/\beta$; right, the number of SGD steps with batch size
# $m$ and step `optimal_lr(X_wide, m)` until the loss first drops below $10^{-10}$ (median of
# three seeds), with the prediction of linear scaling, (steps for $m = 1$)$/m$. Both axes of the
# right panel are logarithmic.

# %% role="experiment"
batch_sizes = np.arange(1, 21)
m_star = critical_batch_size(X_wide)
steps_needed = []
for m in batch_sizes:
    lr = optimal_lr(X_wide, int(m))
    counts = []
    for seed in range(3):
        loss = sgd_least_squares(
            X_wide, y_wide, lr=lr, steps=int(2000 / m) + 200, batch_size=int(m), seed=seed
        )["loss"]
        counts.append(np.argmax(loss < 1e-10) if np.any(loss < 1e-10) else np.nan)
    steps_needed.append(np.median(counts))
steps_needed = np.array(steps_needed)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
ax1.plot(batch_sizes, [optimal_lr(X_wide, int(m)) for m in batch_sizes], "o-", label=r"$\eta^*(m)$")
ax1.plot(
    batch_sizes,
    batch_sizes / np.max(np.sum(X_wide**2, axis=1)),
    ":",
    color="gray",
    label=r"$m/\beta$",
)
ax1.axvline(m_star, color="tab:red", linestyle="--", label=f"$m^* = {m_star:.1f}$")
ax1.set_xlabel("batch size $m$")
ax1.set_ylabel("step size")
ax1.set_title("Step size against batch size")
ax1.legend()
ax2.loglog(batch_sizes, steps_needed, "o-", label="SGD with $\\eta^*(m)$, median of 3 seeds")
ax2.loglog(
    batch_sizes,
    steps_needed[0] / batch_sizes,
    ":",
    color="gray",
    label="linear scaling: steps(1)/m",
)
ax2.axvline(m_star, color="tab:red", linestyle="--", label="$m^*$")
ax2.set_xlabel("batch size $m$")
ax2.set_ylabel(r"steps until $\mathcal{L} < 10^{-10}$")
ax2.set_title("Steps needed against batch size")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Written question (3 points)
#
# Using plots (a), (b) and (c), explain **why SGD with a constant step converges at a linear
# rate on the over-parameterized problem but stalls on the 3-equation system**:
#
# 1. What are the per-example gradients at the solution in each case, and what does that mean
#    for the gradient noise there? How does plot (c) show it?
# 2. Write one SGD step in terms of the error $e = w - \bar w$ (or $w - w^*$) in both cases,
#    and point out the term that keeps the 3-equation run from converging. Why does the floor
#    in plot (a) depend on $\eta$, and why does the inverse-time schedule get below it?
# 3. Why is the inverse-time schedule a bad idea in plot (b)? What is the practical lesson for
#    training models that can fit their training data?

# %% [markdown] role="written" grade_id="variance_reduction_explained" points=3
# **Gradients at the solution.** In the over-parameterized problem ($p = 100 > n = 20$, full
# row rank) there are solutions $\bar w$ with $X\bar w = y$. At any of them every residual is 0,
# so every per-example gradient $\nabla\ell_i(\bar w) = r_i x_i$ is 0, not only their mean, and
# the gradient noise $\sigma^2(\bar w)$ is 0. More than that, $\sigma^2(w) \le 2\beta\mathcal{L}(w)$
# everywhere, so the noise goes to 0 together with the loss. In plot (c) the green points run
# down along a line parallel to $2\beta\mathcal{L}$, from about $10^{4}$ to $10^{-14}$. In the
# 3-equation system no $w$ satisfies all three equations. At the least-squares solution $w^*$
# the residuals are $-(42, 36, 30)/11$, the three gradients have lengths of 7.3 to 11.2, and only
# their sum vanishes. The noise there is $\sigma_*^2 = 10200/121 \approx 84$. In plot (c) the
# blue points level off at this value while the excess loss goes to 0: the noise does not care
# how close we are.
#
# **One step.** With $e = w - \bar w$ and example $i$, under interpolation
# $e_{+} = (I - \eta x_i x_i^\top)e$, and $\|e_{+}\|^2 = \|e\|^2 - \eta(2 - \eta\|x_i\|^2)
# (x_i \cdot e)^2$. For $\eta \le 2/\beta$ the error never grows, and on average it shrinks by
# the factor $1 - \eta(2 - \eta\beta)\lambda_{\min}^{+}$ at most per step (the error stays in the
# row space, where $H$ has no zero eigenvalue). That is geometric convergence with a *constant*
# step, the straight line of plot (b), which reaches $10^{-12}$ in about a thousand steps and
# then rounding level. Without interpolation, $e_{+} = (I - \eta x_i x_i^\top)e - \eta r_i^* x_i$
# with $e = w - w^*$. The last term is $-\eta\nabla\ell_i(w^*)$: zero on average, but of size
# $\eta$ at every step whatever $e$ is. The first term contracts the error, the second keeps
# adding noise. They balance at an excess loss proportional to $\eta$, about
# $\eta\sigma_*^2/4$ for small $\eta$: the noise floor of plot (a), about $1.5$ for
# $\eta = 0.05$ and $0.2$ for $\eta = 0.01$ (the estimate gives $1.05$ and $0.21$). Only a step
# that tends to 0 removes it. With $\eta_t = 0.5/(1 + t)$ the injected noise shrinks while
# $\sum\eta_t = \infty$ still lets the contraction act, and the excess loss decays roughly like
# $1/t$, below both floors after about a hundred steps. The price is a slow, sublinear rate,
# and a burst at the start, where the first steps exceed $2/\beta = 2/17$.
#
# **The lesson.** In plot (b) the inverse-time schedule shrinks a step that had no noise to
# fight: the only effect is that the contraction factor tends to 1. In a direction of
# curvature $\lambda$ the loss then decays roughly like $t^{-2\lambda/\beta}$, which is
# $t^{-0.026}$ in the slowest direction, and after 3000 steps it is still about 20. When a
# model can interpolate its training data, the noise disappears by itself as the loss goes to
# 0, so a constant step of order $1/\beta$ (or $m/\beta$ for batches up to $m^*$) converges
# linearly. Decaying the step is needed only when the data cannot be fitted exactly.
