# %% [markdown]
# # Homework 8: the transition to linearity of wide networks
#
# A neural network is usually seen as a function of its **input** $x$, and as such it is
# anything but linear: that is the point of the universal approximation theorem. Fix the input
# instead and look at the network as a function of its **weights** $\theta$. Liu, Zhu and
# Belkin (NeurIPS 2020) showed that, in a ball of fixed radius around a random initialization,
# this function becomes *linear* as the width $m$ grows: its non-linear part shrinks like
# $1/\sqrt m$. The reason is not that the network is simple, but that it is a **scaled sum of
# independent pieces**. In this notebook you will compute the Hessian of a two-layer network
# with respect to its weights, exactly and without ever storing it, watch its spectral norm
# fall like $m^{-1/2}$ while its Frobenius norm stays put, measure how far the network is from
# its linearization, see the tangent kernel freeze during training, and find out why a
# non-linear output layer breaks the whole effect.
#
# **Grading.**
#
# * Six functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
#   `hessian_spectral_norm` is tested at width $m = 10^6$ with a time limit of a few seconds
#   and a relative tolerance of $10^{-6}$ at small widths.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * Plots are not graded, but you need them for the written question (4 points, graded by hand).
#   The cells marked as **experiments** take up to half a minute each; the autograder skips
#   them, so nothing later in the notebook may depend on a variable they define.
# * Before submitting, run *Kernel → Restart & Run All* (about two minutes).
#
# The next cell imports `numpy as np`, `torch` (for the Hessian-vector products of Section 3)
# and the parts of `scipy` that the provided helpers use.

# %% role="imports"

# %% [markdown]
# ### Provided helpers
#
# The next cell is given to you (read it, do not change it). Its helpers convert and check
# arguments, each raising `ValueError` naming the argument: `_as_real` (finite float64 array,
# with a given number of axes), `_as_int`, and `_weights`, which checks that `v` and `w` are
# finite vectors of one length $m \ge 1$. `_activation(name)` returns the activation and its
# first two derivatives as vectorized functions, for `"tanh"`, `"sigmoid"` and `"softplus"`;
# the docstring lists the formulas. You may call all of them.

# %% role="provided" names="_as_real _as_int _weights _activation"

# %% [markdown]
# ## 1. The network as a function of its weights
#
# Our network has one hidden layer of $m$ neurons, a scalar input and a scalar output,
# $$f(x;\theta) = \frac{1}{\sqrt m}\sum_{i=1}^{m} v_i\,\sigma(w_i x), \qquad
# \theta = (v_1, \dots, v_m, w_1, \dots, w_m) \in \mathbb{R}^{2m},$$
# initialized with $w_i \sim \mathcal N(0, 1)$ and output weights $v_i$ of size 1 (Gaussian in
# the lecture, random signs $v_i = \pm 1$ here, for a reason that Section 4 explains). The
# factor $1/\sqrt m$ is the **NTK parameterization**: each neuron contributes $O(1/\sqrt m)$ and
# the sum of $m$ such terms of random sign stays of order 1, whatever the width.
#
# Fix the input $x$ and write $f(\theta)$. Its gradient is easy, because $f$ is linear in each
# $v_i$ and each neuron only involves its own two weights:
# $$\frac{\partial f}{\partial v_i} = \frac{\sigma(w_i x)}{\sqrt m}, \qquad
# \frac{\partial f}{\partial w_i} = \frac{v_i\,\sigma'(w_i x)\,x}{\sqrt m}.$$
# Every entry is $O(1/\sqrt m)$ but there are $2m$ of them, so
# $\|\nabla f\|^2 = \frac1m\sum_i \bigl(\sigma(w_i x)^2 + v_i^2\sigma'(w_i x)^2 x^2\bigr)$ is an
# average: of order 1, and converging as $m \to \infty$. This number is the **neural tangent
# kernel** $K(x, x) = \nabla f(x)\cdot\nabla f(x)$ at the initialization.
#
# **Task.** Implement `two_layer_net(x, v, w, activation="tanh")`, for a scalar `x` (return a
# float) or an array `x` of any shape (return an array of that shape), and
# `param_gradient(x, v, w, activation="tanh")` for a scalar `x`: the $v$-derivatives first, then
# the $w$-derivatives, shape `(2m,)`. Use `_weights` and `_activation`. Both are tested up to
# $m = 10^6$: avoid Python loops over the neurons, and avoid building an
# $n \times m$ matrix for a long vector `x` at a large width (process `x` in chunks).

# %% role="function" name="two_layer_net"

# %% role="tests" name="two_layer_net"

# %% [markdown]
# The next cell is yours: the reference solution keeps there the private helpers that several
# of the graded functions share (the gradient, the entries $a_i, b_i$ of the Hessian's blocks
# of Section 2, and the eigenvalue solver of Section 6). Put your own helpers in it, or leave it
# empty (delete the `raise NotImplementedError()` line).

# %% role="support" names="_gradient _blocks _extreme_roots"

# %% role="function" name="param_gradient"

# %% role="tests" name="param_gradient"

# %% [markdown]
# ## 2. The Hessian: assembly and independence
#
# Taylor's theorem with the Lagrange remainder splits $f$ around the initialization
# $\theta_0$ into its **linearization** and a remainder,
# $$f(\theta) = \underbrace{f(\theta_0) + \nabla f(\theta_0)\cdot(\theta - \theta_0)}_{
# f_{lin}(\theta)} + \underbrace{\tfrac12(\theta - \theta_0)^\top H(\xi)\,
# (\theta - \theta_0)}_{\mathcal R(\theta)},$$
# with $H = \partial^2 f/\partial\theta^2$ evaluated at a point $\xi$ of the segment from
# $\theta_0$ to $\theta$. The network is close to linear on a ball
# $\|\theta - \theta_0\| \le R$ exactly when $\|H\|$ is small there, since
# $|\mathcal R(\theta)| \le \tfrac12\,\sup_\xi\|H(\xi)\|\,R^2$.
#
# Write $f = m^{-1/2}\sum_i g_i$ with the **sub-models** $g_i(\theta) = v_i\sigma(w_i x)$. Two
# structural facts decide everything.
#
# * **Observation 1 (assembly).** $f$ is a *scaled sum*, so $H = m^{-1/2}\sum_i H_{g_i}$.
# * **Observation 2 (independence).** The sub-models share no weights: $g_i$ depends on
#   $\theta_i = (v_i, w_i)$ only, so $H_{g_i}$ is zero outside the $2\times 2$ block of
#   $\theta_i$, and $H$ is **block diagonal**.
#
# The block of neuron $i$ is
# $$H_i = \begin{pmatrix} 0 & a_i \\ a_i & b_i \end{pmatrix}, \qquad
# a_i = \frac{\sigma'(w_i x)\,x}{\sqrt m}, \qquad
# b_i = \frac{v_i\,\sigma''(w_i x)\,x^2}{\sqrt m}$$
# (the 0 because $f$ is linear in $v_i$). Its characteristic polynomial is
# $\lambda^2 - b_i\lambda - a_i^2$, with roots
# $\lambda_{i,\pm} = \tfrac12\bigl(b_i \pm \sqrt{b_i^2 + 4a_i^2}\bigr)$, one of each sign. The
# eigenvalues of a block-diagonal matrix are those of its blocks, so
# $$\|H\|_{2} = \max_i \max\bigl(|\lambda_{i,+}|, |\lambda_{i,-}|\bigr)
# = \max_i \tfrac12\Bigl(|b_i| + \sqrt{b_i^2 + 4a_i^2}\Bigr).$$
# Each block norm is $1/\sqrt m$ times a bounded function of $(v_i, w_i)$ when $|v_i|$ is
# bounded, so the **spectral norm is $O(1/\sqrt m)$**. The **Frobenius norm** tells another
# story: $\|H\|_F^2 = \sum_i (2a_i^2 + b_i^2)$ is a sum of $m$ terms of size $1/m$, of order 1
# at every width. The Hessian does not become small entry by entry or in total; its energy is
# spread over $m$ orthogonal blocks, and no single direction sees more than one of them.
#
# A function of the spectrum that takes a *maximum over neurons* is not an average: with
# $v_i = \pm 1$, $x = 1$ and tanh, $\sqrt m\,\|H\|$ climbs towards the largest value of
# $\tfrac12(|\tanh''(w)| + \sqrt{\tanh''(w)^2 + 4\tanh'(w)^2})$ over all $w$, which is
# $1.24080648\ldots$, and reaches $1.2408$ by $m = 1000$ already (some $w_i$ lands close to the
# best $w$).
#
# **Task.** Implement `hessian_spectral_norm(x, v, w, activation="tanh")` for a scalar `x`: the
# largest absolute eigenvalue of $H$. It must work at $m = 10^6$, where $H$ would have
# $4\cdot 10^{12}$ entries (32 TB): never form it.

# %% role="function" name="hessian_spectral_norm"

# %% role="tests" name="hessian_spectral_norm"

# %% [markdown]
# ## 3. Checking the closed form without the structure: Hessian-vector products
#
# A closed form derived by hand deserves an independent check that does not use the same
# derivation. Automatic differentiation gives the product $Hu$ of the Hessian with any vector
# $u$ without forming $H$:
# $$Hu = \frac{d}{dt}\,\nabla f(\theta + t u)\Big|_{t = 0},$$
# a forward-mode derivative (`torch.func.jvp`) of the reverse-mode gradient
# (`torch.func.grad`), at the cost of a few gradient evaluations. The **Lanczos iteration**
# turns such products into eigenvalue estimates: from a random unit vector $q_1$ it builds an
# orthonormal basis $q_1, q_2, \dots$ of the Krylov space $\{q_1, Hq_1, H^2q_1, \dots\}$ by
# the three-term recurrence $\beta_{k+1}q_{k+1} = Hq_k - \alpha_k q_k - \beta_k q_{k-1}$, in
# which $H$ is tridiagonal; the extreme eigenvalues of that small tridiagonal matrix converge to
# those of $H$, from inside. Plain **power iteration** ($u \leftarrow Hu/\|Hu\|$) also works for
# the largest $|\lambda|$, with two cautions: it converges slowly when the top eigenvalues are
# close (here they are: many neurons have nearly the best $w$), and its Rayleigh quotient
# $u^\top Hu$ has the *sign* of the eigenvalue it found. $H$ is indefinite (every block has one
# eigenvalue of each sign), so the answer is $|u^\top H u|$, or $\|Hu\|$, never $u^\top Hu$.
#
# The provided cell below implements both pieces; the GPU is used when there is one. The
# experiment after it compares them with your closed form.

# %% role="provided" names="lanczos_extremes hessian_spectral_norm_hvp"

# %% [markdown]
# ### Experiment: closed form against Lanczos
#
# For $m = 10^2, 10^3, 10^4$ (tanh, $x = 1$, $v_i = \pm 1$, $w_i \sim \mathcal N(0,1)$), print the
# closed form, the Lanczos estimate, their relative difference and both running times. For a
# small width also build the dense Hessian with `torch.func.hessian` and compare with
# `numpy.linalg.eigvalsh`. (`benchmarks/bench_hessian.py` in the course repository does the same
# at $m = 10^6$.)

# %% role="experiment"
import time

rng = np.random.default_rng(0)
for m in (100, 1000, 10_000):
    v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
    start = time.perf_counter()
    closed = hessian_spectral_norm(1.0, v, w)
    middle = time.perf_counter()
    lanczos = hessian_spectral_norm_hvp(1.0, v, w)
    end = time.perf_counter()
    print(
        f"m = {m:>6}: closed form {closed:.10f} ({middle - start:.4f} s), Lanczos {lanczos:.10f}"
        f" ({end - middle:.2f} s), relative difference {abs(lanczos - closed) / closed:.1e}"
    )

m = 20
v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
theta = torch.as_tensor(np.concatenate([v, w]))
dense = torch.func.hessian(lambda t: torch.dot(t[:m], torch.tanh(t[m:])) / m**0.5)(theta)
print("dense, m = 20:", np.max(np.abs(np.linalg.eigvalsh(dense.numpy()))),
      "closed form:", hessian_spectral_norm(1.0, v, w))  # fmt: skip

# %% [markdown]
# ## 4. The width exponent
#
# If $\|H\| \approx C m^{-\alpha}$, then $\log\|H\| \approx \log C - \alpha\log m$: the slope
# of $\log\|H\|$ against $\log m$ measures $-\alpha$, and theory says $\alpha = 1/2$.
#
# Why Rademacher output weights? The block norm grows with $|v_i|$ (through $b_i$). With
# $v_i = \pm 1$ the maximum over neurons converges to a constant and the slope is $-1/2$ from
# $m = 10$ on. With Gaussian $v_i$, the largest $|v_i|$ among $m$ grows like
# $\sqrt{2\log m}$, so $\|H\|$ behaves like $\sqrt{\log m}/\sqrt m$: still $o(1)$, but on any
# finite range of widths the fitted slope comes out visibly flatter (about $-0.4$ over
# $m = 10 \dots 10^4$). The lecture's theorem needs $\|H_{g_i}\| \le \beta$ for *every*
# neuron, which bounded $v_i$ guarantee.
#
# **Task.** Implement `width_exponent(widths, x=1.0, activation="tanh", seed=0)`: for each
# width $m$ in `widths` (in order), draw `v = rng.choice([-1.0, 1.0], size=m)` and then
# `w = rng.standard_normal(m)` from **one** generator `rng = np.random.default_rng(seed)`,
# compute the spectral norm, and return the least-squares slope of $\log\|H\|$ against
# $\log m$ (`np.polyfit(..., 1)[0]`). Reject (`ValueError`) `widths` that are not integers
# $\ge 1$ or hold fewer than two different values, and $x = 0$, where $H = 0$.

# %% role="function" name="width_exponent"

# %% role="tests" name="width_exponent"

# %% [markdown]
# ### Plot (a): the two norms of the Hessian against the width
#
# For $m = 10, 10^2, \dots, 10^6$ (tanh, $x = 1$, one draw per width), plot $\|H\|_2$ and
# $\|H\|_F$ on log-log axes with a reference line of slope $-1/2$, and print the fitted slopes of
# both and $\sqrt m\,\|H\|_2$.

# %%
import matplotlib.pyplot as plt

# %% role="solution"
widths = 10 ** np.arange(1, 7)
rng = np.random.default_rng(1)
spectral, frobenius = [], []
for m in widths:
    v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
    a = (1 - np.tanh(w) ** 2) / np.sqrt(m)
    b = v * -2 * np.tanh(w) * (1 - np.tanh(w) ** 2) / np.sqrt(m)
    spectral.append(hessian_spectral_norm(1.0, v, w))
    frobenius.append(np.sqrt(np.sum(2 * a**2 + b**2)))
slope_spectral = np.polyfit(np.log(widths), np.log(spectral), 1)[0]
slope_frobenius = np.polyfit(np.log(widths), np.log(frobenius), 1)[0]
print(f"slopes: spectral {slope_spectral:.4f}, Frobenius {slope_frobenius:.4f}")
print("sqrt(m) ||H||_2:", np.round(np.sqrt(widths) * spectral, 6))

fig, ax = plt.subplots(figsize=(6.5, 4.5))
ax.loglog(widths, spectral, "o-", label=rf"$\|H\|_2$ (slope {slope_spectral:.3f})")
ax.loglog(widths, frobenius, "s-", label=rf"$\|H\|_F$ (slope {slope_frobenius:.3f})")
ax.loglog(widths, 1.2408 / np.sqrt(widths), "k--", lw=1, label=r"$1.2408\,m^{-1/2}$")
ax.set_xlabel("width $m$")
ax.set_ylabel("norm of the Hessian at $x = 1$")
ax.set_title("tanh, $v_i = \\pm 1$, $w_i \\sim N(0, 1)$")
ax.legend()
plt.show()

# %% [markdown]
# ## 5. How far from linear? The linearization gap
#
# The bound $|\mathcal R| \le \tfrac12\sup\|H\|R^2$ is a worst case. Take the points at distance
# exactly $R$ from $\theta_0$, $\theta = \theta_0 + Ru$ with $\|u\| = 1$, and define the gap
# $$\max_u \bigl|f(\theta_0 + Ru) - f(\theta_0) - R\,\nabla f(\theta_0)\cdot u\bigr|.$$
# In the worst direction, the top eigenvector of $H$, $u$ lives in a single neuron's block and
# the gap is about $\tfrac12 R^2\|H\|$: order $R^2/\sqrt m$. A **random** direction is
# different. It spreads $\|u\|^2 = 1$ over all $m$ blocks, about $1/m$ each, and
# $u^\top H u = \sum_i u_i^\top H_i u_i$ is a sum of $m$ terms of size
# $m^{-1/2}\cdot m^{-1}$ and of random signs: order $m^{-1}$. Random directions see a network
# that is more linear still.
#
# **Task.** Implement `linearization_gap(x, v0, w0, radius, n_samples=64, seed=0,
# activation="tanh")`: draw `n_samples` directions uniformly on the unit sphere of
# $\mathbb{R}^{2m}$ (a standard Gaussian vector divided by its norm is uniform on the sphere;
# use `np.random.default_rng(seed)`), and return the largest gap over them. The first $m$
# coordinates of $\theta$ are $v$, the last $m$ are $w$, as in `param_gradient`. Reject a
# negative `radius` and `n_samples < 1`. Avoid holding `n_samples` vectors of length $2m$ at
# once for large $m$.

# %% role="function" name="linearization_gap"

# %% role="tests" name="linearization_gap"

# %% [markdown]
# ### Plot (b), an experiment: the gap against the width at a fixed radius
#
# With $R = 1$, tanh and $x = 1$, for $m = 10, 10^2, \dots, 10^5$ plot on log-log axes: the
# median over 5 seeds of `linearization_gap`; the gap along the top eigenvector of $H$ (the
# block of the neuron with the largest block norm, its eigenvector for the eigenvalue of
# largest modulus); and the bound $\tfrac12R^2\|H(\theta_0)\|$. Fit and print both slopes.

# %% role="experiment"
widths = 10 ** np.arange(1, 6)
rng = np.random.default_rng(2)
random_gap, worst_gap, bound = [], [], []
for m in widths:
    v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
    random_gap.append(np.median([linearization_gap(1.0, v, w, 1.0, seed=s) for s in range(5)]))
    a = (1 - np.tanh(w) ** 2) / np.sqrt(m)
    b = v * -2 * np.tanh(w) * (1 - np.tanh(w) ** 2) / np.sqrt(m)
    norms = 0.5 * (np.abs(b) + np.hypot(b, 2 * a))
    i = np.argmax(norms)
    lam = 0.5 * (b[i] + np.sign(b[i] or 1.0) * np.hypot(b[i], 2 * a[i]))
    direction = np.zeros(2 * m)
    direction[[i, m + i]] = np.array([a[i], lam]) / np.hypot(a[i], lam)
    f0, g = two_layer_net(1.0, v, w), param_gradient(1.0, v, w)
    f = two_layer_net(1.0, v + direction[:m], w + direction[m:])
    worst_gap.append(abs(f - f0 - g @ direction))
    bound.append(0.5 * norms[i])
slope_random = np.polyfit(np.log(widths), np.log(random_gap), 1)[0]
slope_worst = np.polyfit(np.log(widths), np.log(worst_gap), 1)[0]
print(f"slopes: random directions {slope_random:.3f}, top eigenvector {slope_worst:.3f}")

fig, ax = plt.subplots(figsize=(6.5, 4.5))
ax.loglog(widths, worst_gap, "o-", label=f"top eigenvector (slope {slope_worst:.2f})")
ax.loglog(widths, bound, "k--", lw=1, label=r"$\frac{1}{2}R^2\|H(\theta_0)\|$")
ax.loglog(widths, random_gap, "s-", label=f"64 random directions (slope {slope_random:.2f})")
ax.set_xlabel("width $m$")
ax.set_ylabel(r"$|f - f_{lin}|$ at $\|\theta - \theta_0\| = 1$")
ax.legend()
plt.show()

# %% [markdown]
# ### Plot (c), an experiment: the tangent kernel during training
#
# A network that is linear in its weights has a constant gradient, hence a constant tangent
# kernel $K(x, x') = \nabla f(x)\cdot\nabla f(x')$, and gradient descent on the squared loss
# becomes kernel regression with $K$. Train the network (tanh, $v_i = \pm 1$,
# $w_i \sim \mathcal N(0,1)$) by full-batch gradient descent on
# $\frac{1}{2n}\sum_j (f(x_j) - y_j)^2$ for $n = 10$ points $x_j$ equally spaced in
# $[-2, 2]$ with $y_j = \sin(2x_j)$, step size 1, 500 steps, for
# $m = 10, 10^2, 10^3, 10^4$ (3 seeds each). Use `param_gradient` for the Jacobian. Plot the
# relative change of the kernel matrix, $\|K_T - K_0\|_F/\|K_0\|_F$, against $m$ on log-log
# axes, with guide lines of slopes $-1/2$ and $-1$, and print the final training losses.
#
# What to expect: the weights move by $\|\theta_T - \theta_0\| = O(1)$ in total, and the
# Jacobian changes by about $H\,(\theta_T - \theta_0)$, which is $O(1/\sqrt m)$ by Section 2: the
# theory guarantees a kernel change of $O(1/\sqrt m)$ *at most*. Here it is smaller still. The
# first-order change of $K$ is a sum over neurons of products of three $O(1/\sqrt m)$ factors
# (the gradient, the Hessian block and the weight change of neuron $i$), and each product is
# odd in $v_i$; with random signs the $m$ terms cancel like a random walk, and the change decays
# like $1/m$.

# %% role="experiment"
xs = np.linspace(-2, 2, 10)
ys = np.sin(2 * xs)


def jacobian(v, w):
    return np.stack([param_gradient(x, v, w) for x in xs])


widths = 10 ** np.arange(1, 5)
changes, final_losses = [], []
for m in widths:
    per_seed, losses = [], []
    for seed in range(3):
        rng = np.random.default_rng(seed)
        v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
        J0 = jacobian(v, w)
        for _ in range(500):
            residual = two_layer_net(xs, v, w) - ys
            step = jacobian(v, w).T @ residual / len(xs)
            v, w = v - step[:m], w - step[m:]
        J = jacobian(v, w)
        per_seed.append(np.linalg.norm(J @ J.T - J0 @ J0.T) / np.linalg.norm(J0 @ J0.T))
        losses.append(0.5 * np.mean((two_layer_net(xs, v, w) - ys) ** 2))
    changes.append(np.median(per_seed))
    final_losses.append(np.median(losses))
slope_kernel = np.polyfit(np.log(widths), np.log(changes), 1)[0]
print("relative kernel change:", np.round(changes, 5), f"slope {slope_kernel:.3f}")
print("final training loss:", np.array(final_losses))

fig, ax = plt.subplots(figsize=(6.5, 4.5))
ax.loglog(widths, changes, "o-", label=f"median of 3 seeds (slope {slope_kernel:.2f})")
ax.loglog(widths, changes[-1] * np.sqrt(widths[-1] / widths), "k--", lw=1, label="slope $-1/2$")
ax.loglog(widths, changes[-1] * widths[-1] / widths, "k:", lw=1, label="slope $-1$")
ax.set_xlabel("width $m$")
ax.set_ylabel(r"$\|K_T - K_0\|_F\,/\,\|K_0\|_F$")
ax.set_title("the tangent kernel freezes as the width grows")
ax.legend()
plt.show()

# %% [markdown]
# ## 6. A non-linear output breaks linearity
#
# Put a non-linearity $\phi$ on the output, $F = \phi(f)$. The chain rule gives
# $$\nabla F = \phi'(f)\,\nabla f, \qquad
# \nabla^2 F = \phi'(f)\,H + \phi''(f)\,\nabla f\,\nabla f^\top .$$
# The first term shrinks like $1/\sqrt m$, but the second is a rank-one matrix whose only
# nonzero eigenvalue is $\phi''(f)\,\|\nabla f\|^2$, and $\|\nabla f\|^2$ is the tangent kernel,
# of order 1 at every width (Section 1). So $\|\nabla^2 F\|$ does **not** vanish: $F$ stays
# non-linear in $\theta$ however wide the network. Assembly (Observation 1) fails: $F$ is no
# longer a scaled *sum* of independent sub-models, and every weight now interacts with every
# other through $\phi$.
#
# Take $\phi = $ softplus, $\phi(z) = \log(1 + e^z)$, with $\phi' = s$ (the logistic function)
# and $\phi'' = s(1 - s)$. Computing the spectral norm still must not form a $2m \times 2m$
# matrix. Rotate each $2\times2$ block of $H$ to its eigenbasis: then
# $\nabla^2F = Q(D + c\,uu^\top)Q^\top$ with $D$ diagonal ($s(f)$ times the eigenvalues
# $\lambda_{i,\pm}$), $c = s(1 - s)$ and $u = Q^\top\nabla f$. The eigenvalues $\mu$ of a diagonal
# plus a rank-one matrix solve the **secular equation**
# $1 + c\sum_j u_j^2/(d_j - \mu) = 0$: the largest lies between $\max_j d_j$ and
# $\max_j d_j + c\|u\|^2$, the smallest between the two smallest $d_j$, and the function is
# monotone in between, so bisection or Brent's method finds them. Power iteration or Lanczos on
# $z \mapsto s\,Hz + c\,(\nabla f\cdot z)\nabla f$ works too.
#
# A pitfall when testing such claims: with a tanh *output* instead, $\phi''(0) = 0$, and at an
# initialization where $f \approx 0$ the rank-one term vanishes and hides the effect. Softplus
# has $\phi''(0) = 1/4$.
#
# **Task.** Implement `output_nonlinearity_hessian_norm(x, v, w, activation="tanh")`: the
# spectral norm of the Hessian of $\mathrm{softplus}(f(\theta))$ at a scalar $x$. It is tested up
# to $m = 10^4$; an $O(m)$ method is expected.

# %% role="function" name="output_nonlinearity_hessian_norm"

# %% role="tests" name="output_nonlinearity_hessian_norm"

# %% [markdown]
# ### Plot (d): the Hessian with and without an output non-linearity
#
# For $m = 10, \dots, 10^5$, plot $\|H\|$ and $\|\nabla^2\,\mathrm{softplus}(f)\|$ against the
# width on log-log axes (tanh, $x = 1$), and $s(f)(1-s(f))\|\nabla f\|^2$, the rank-one term's
# eigenvalue.

# %% role="solution"
widths = 10 ** np.arange(1, 6)
rng = np.random.default_rng(3)
plain, output, rank_one = [], [], []
for m in widths:
    v, w = rng.choice([-1.0, 1.0], m), rng.standard_normal(m)
    s = 1 / (1 + np.exp(-two_layer_net(1.0, v, w)))
    plain.append(hessian_spectral_norm(1.0, v, w))
    output.append(output_nonlinearity_hessian_norm(1.0, v, w))
    rank_one.append(s * (1 - s) * np.sum(param_gradient(1.0, v, w) ** 2))
print("softplus output:", np.round(output, 4))

fig, ax = plt.subplots(figsize=(6.5, 4.5))
ax.loglog(widths, plain, "o-", label=r"$\|\nabla^2 f\|$")
ax.loglog(widths, output, "s-", label=r"$\|\nabla^2\,\mathrm{softplus}(f)\|$")
ax.loglog(widths, rank_one, "k:", label=r"$s(1-s)\,\|\nabla f\|^2$")
ax.set_xlabel("width $m$")
ax.set_ylabel("spectral norm")
ax.legend()
plt.show()

# %% [markdown]
# ## 7. Deep networks, an experiment
#
# The lecture's last slide claims the same for deep networks in the NTK parameterization,
# $$\alpha^{(0)} = x, \qquad \tilde\alpha^{(l)} = \frac{1}{\sqrt{m_{l-1}}}W^{(l)}\alpha^{(l-1)},
# \qquad \alpha^{(l)} = \sigma(\tilde\alpha^{(l)}), \qquad f = \tilde\alpha^{(L)},$$
# with all weights i.i.d. $\mathcal N(0, 1)$: every layer is a scaled sum (Observation 1), and
# independence (Observation 2) holds after a rotation. There is no closed form here, but the
# Hessian-vector products do not need one. For $L = 3$ (input $x = (1, 1, 1, 1)$, two hidden
# layers of width $m$, tanh, scalar output) and $m = 16, 32, \dots, 512$, compute the spectral
# norm of the Hessian with respect to all $4m + m^2 + m$ weights by `lanczos_extremes` on
# `torch.func` Hessian-vector products (median of 5 initializations), plot it on log-log axes
# and fit the slope over all widths and over the last three. At $m = 512$ the Hessian has
# $7\cdot 10^{10}$ entries; a Lanczos run takes 100 products and a second or two.

# %% role="experiment"
def deep_hessian_norm(m, seed, depth=3, d_in=4):
    gen = torch.Generator().manual_seed(seed)
    sizes = [d_in] + [m] * (depth - 1) + [1]
    shapes = [(sizes[k + 1], sizes[k]) for k in range(depth)]
    theta = torch.randn(sum(a * b for a, b in shapes), generator=gen, dtype=torch.float64)
    x0 = torch.ones(d_in, dtype=torch.float64)

    def net(t):
        h, offset = x0, 0
        for k, (rows, cols) in enumerate(shapes):
            weight = t[offset : offset + rows * cols].reshape(rows, cols)
            offset += rows * cols
            h = weight @ h / cols**0.5
            if k < depth - 1:
                h = torch.tanh(h)
        return h[0]

    def hvp(u):
        return torch.func.jvp(torch.func.grad(net), (theta,), (u,))[1]

    start = torch.randn(theta.numel(), generator=gen, dtype=torch.float64)
    low, high = lanczos_extremes(hvp, start, max_steps=100, rtol=1e-6)
    return max(abs(low), abs(high))


deep_widths = 2 ** np.arange(4, 10)
deep_norms = [np.median([deep_hessian_norm(int(m), s) for s in range(5)]) for m in deep_widths]
slope_deep = np.polyfit(np.log(deep_widths), np.log(deep_norms), 1)[0]
slope_last = np.polyfit(np.log(deep_widths[-3:]), np.log(deep_norms[-3:]), 1)[0]
print("deep network, ||H|| by width:", np.round(deep_norms, 4))
print(f"slope over all widths {slope_deep:.3f}, over the last three {slope_last:.3f}")

fig, ax = plt.subplots(figsize=(6.5, 4.5))
ax.loglog(deep_widths, deep_norms, "o-", label=f"3 layers (slope {slope_deep:.2f})")
ax.loglog(deep_widths, deep_norms[-1] * np.sqrt(deep_widths[-1] / deep_widths), "k--", lw=1,
          label="slope $-1/2$")  # fmt: skip
ax.set_xlabel("hidden width $m$")
ax.set_ylabel("spectral norm of the Hessian")
ax.legend()
plt.show()

# %% [markdown]
# ## 8. Written question (4 points)
#
# Answer in the cell below, in your own words and with numbers from your plots.
#
# 1. Plot (a): why does the spectral norm of the Hessian shrink like $m^{-1/2}$ while its
#    Frobenius norm does not? Which of the two observations does each fact use, and why is the
#    spectral norm the one that controls the linearization error?
# 2. Plot (b): why does the gap in random directions shrink faster than the bound? What does
#    the top-eigenvector curve say about the bound?
# 3. Plots (c) and (d): what does the transition to linearity mean for training, and why does a
#    softplus output destroy it?

# %% [markdown] role="written" grade_id="linearity_explained" points=4
# **1. Spectral against Frobenius.** Independence (Observation 2) makes the Hessian block
# diagonal, so its eigenvalues are those of the $2\times2$ blocks, and assembly
# (Observation 1) puts a factor $1/\sqrt m$ in front of every block. The spectral norm is the
# *largest* block norm, $m^{-1/2}$ times a bounded function of $(v_i, w_i)$ when $|v_i| \le 1$:
# in plot (a) its slope is $-0.4999$, and $\sqrt m\,\|H\|_2$ goes 1.2393, 1.2408, ...,
# 1.240806, the sup over $w$ of the block norm. The Frobenius norm *adds up* all $m$ blocks,
# $\|H\|_F^2 = \sum_i(2a_i^2 + b_i^2)$, $m$ terms of size $1/m$: an average that converges,
# slope $-0.01$. The remainder is a quadratic form, $\mathcal R = \frac12\Delta^\top H\Delta$, and
# $|\Delta^\top H\Delta| \le \|H\|_2\|\Delta\|^2$ is attained by the top eigenvector: the
# spectral norm is exactly the worst case over a sphere, while the Frobenius norm would only
# matter if a direction could line up with every block at once, and a unit vector cannot.
#
# **2. Random directions against the bound.** A random unit direction puts about $1/m$ of its
# squared length in each block, so $u^\top Hu = \sum_i u_i^\top H_iu_i$ is a sum of $m$ terms of
# size $m^{-3/2}$ with random signs (the $v$-$w$ products and the signs of $v_i$), of order
# $m^{-1}$: the measured slope is $-1.01$. The top-eigenvector curve follows
# $\frac12R^2\|H(\theta_0)\|$ with slope $-0.51$: the bound is tight, and it is attained by
# moving a single neuron. So "linear on a ball of radius $R$" is a worst-case statement that
# shrinks like $m^{-1/2}$, and typical directions are far more linear than that.
#
# **3. Training and the output layer.** If $f$ is (nearly) linear in $\theta$ on the ball the
# training explores, its Jacobian, hence the tangent kernel, is (nearly) constant, and gradient
# descent on the squared loss is kernel regression with the kernel at the initialization: a
# convex problem that converges linearly when the kernel is well conditioned. Plot (c) shows the
# kernel freezing: its relative change falls from 1.06 at $m = 10$ to 0.19, 0.011 and 0.00097 at
# $m = 10^4$ (slope $-1.04$, faster than the guaranteed $-1/2$ because the first-order terms
# are odd in $v_i$ and cancel), while all widths fit the data (final losses 0.038 at $m = 10$,
# then 0.0046 down to 0.0024). With a softplus output the Hessian gains
# $s(1-s)\nabla f\nabla f^\top$, whose eigenvalue $s(1-s)\|\nabla f\|^2$ involves the tangent
# kernel $\|\nabla f\|^2 = O(1)$; plot (d) shows the norm staying near 0.2 (0.31, 0.21, 0.21,
# 0.21, 0.19 from $m = 10$ to $10^5$) while $\|H\|$ falls a hundredfold. The output
# non-linearity couples all neurons (no more scaled sum of independent parts), so the model is
# not linear in $\theta$ at any width. It is still a fixed function $\phi$ of a linear model,
# which is why analyses treat the last non-linearity as part of the loss.
