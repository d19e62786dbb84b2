# %% [markdown]
# # Homework 1: Delta sequences
#
# The Dirac delta $\delta$ models a unit point mass at the origin. Deep learning meets it through
# the ReLU: $\mathrm{ReLU}' = H$ (the Heaviside step) and $H' = \delta$. Smooth activations
# replace this $\delta$ by a narrow bump: the softplus $\frac{1}{\beta}\log(1 + e^{\beta x})$ has
# second derivative $\beta\,\sigma(\beta x)(1 - \sigma(\beta x))$, a bump of area 1 and width
# about $1/\beta$. Families of bumps that shrink to $\delta$ are **delta sequences**. In this
# notebook you will implement four of them, compute where their mass sits, pair them numerically
# with test functions, measure how fast they converge to $\delta$ and explain why, and redo the
# Lorentzian in SymPy.
#
# **Grading.**
#
# * Nine functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * Plots are not graded, but you need them for the written question (3 points, graded by hand).
# * Before submitting, run *Kernel → Restart & Run All*; the notebook takes a few seconds.
#
# The next cell imports `numpy as np`, `math`, `scipy.integrate`, `scipy.special`, `sympy as sp`,
# and `numpy.typing as npt` and `Callable` for type hints.

# %% role="imports"

# %% [markdown]
# ### Provided helpers
#
# The next cell is given to you (read it, do not change it). You may call its helpers:
#
# * `_check_eps(eps, scalar=False)` returns `eps` as a float64 array (a Python float when
#   `scalar=True`) and raises `ValueError` naming `eps` unless it is finite and $> 0$.
# * `_check_kernel(kernel, allowed)` returns `kernel` if it is in the tuple `allowed`, and raises
#   `ValueError` naming `kernel` otherwise.
# * `_integrate_half_line(f, eps)` integrates a scalar function `f` (float in, float out) over
#   $[0, \infty)$ when `f` may have a peak of width `eps` at 0 (Section 5 explains why this needs
#   care).
#
# The cell after it defines the visible checks' test functions `bump` $= e^{-x^2}$ and
# `x_bump` $= x e^{-x^2}$.

# %% role="provided" names="_check_eps _check_kernel _integrate_half_line"

# %%
def bump(x):
    """The test function exp(-x^2)."""
    return np.exp(-np.asarray(x, dtype=float) ** 2)


def x_bump(x):
    """The test function x exp(-x^2), whose derivative at 0 is 1."""
    x = np.asarray(x, dtype=float)
    return x * np.exp(-(x**2))


# %% [markdown]
# ## 1. Distributions in a nutshell
#
# No function is "zero except at 0, with integral 1": such a function has integral 0. Schwartz's
# answer is to ask only what $\delta$ *does* to smooth functions.
#
# * A **test function** $\varphi$ is smooth and decays at infinity (here: at least like
#   $1/(1+x^2)$).
# * A **distribution** $T$ is a linear map $\varphi \mapsto \langle T, \varphi\rangle$. A locally
#   integrable $f$ gives one by $\langle f, \varphi\rangle = \int f(x)\,\varphi(x)\,dx$.
# * The **Dirac delta** is $\langle \delta, \varphi\rangle = \varphi(0)$; no function $f$ gives it.
# * **Derivatives** are defined so that integration by parts holds,
#   $\langle T', \varphi\rangle = -\langle T, \varphi'\rangle$; so
#   $\langle \delta', \psi\rangle = -\psi'(0)$.
#
# A **delta sequence** is a family of functions with
# $\int K_\varepsilon(x)\,\varphi(x)\,dx \to \varphi(0)$ as $\varepsilon \to 0^+$, for every test
# function. The recipe: take $K \ge 0$ with $\int K = 1$ and set
# $K_\varepsilon(x) = K(x/\varepsilon)/\varepsilon$. Substituting $x = \varepsilon t$ shows that
# the mass stays 1 while it is squeezed into a window of width $\sim\varepsilon$ under a peak of
# height $\sim 1/\varepsilon$, and that
# $$\langle K_\varepsilon, \varphi\rangle - \varphi(0)
# = \int K(t)\,\bigl(\varphi(\varepsilon t) - \varphi(0)\bigr)\,dt .$$
# The bracket tends to 0 for each $t$ and is bounded by $2\sup|\varphi|$, so by dominated
# convergence the pairing tends to $\varphi(0)$. Section 6 gets a *rate* out of this formula.

# %% [markdown]
# ## 2. The Lorentzian (Cauchy) kernel
#
# $$L_\varepsilon(x) = \frac{1}{\pi}\,\frac{\varepsilon}{x^2 + \varepsilon^2}
# = \frac{1}{\varepsilon}\,L_1\!\left(\frac{x}{\varepsilon}\right),
# \qquad L_1(t) = \frac{1}{\pi(1 + t^2)},$$
# the Cauchy density, and the line shape of a damped resonance in physics. The peak is
# $1/(\pi\varepsilon)$ and $\varepsilon$ is the half width at half maximum.
#
# **Normalization.** $\frac{d}{dx}\arctan\frac{x}{\varepsilon}
# = \frac{1/\varepsilon}{1 + x^2/\varepsilon^2} = \frac{\varepsilon}{x^2 + \varepsilon^2}$, so
# $\frac{1}{\pi}\arctan\frac{x}{\varepsilon}$ is an antiderivative and
# $$\int_{-\infty}^{\infty} L_\varepsilon\,dx
# = \frac{1}{\pi}\Bigl[\arctan\frac{x}{\varepsilon}\Bigr]_{-\infty}^{\infty}
# = \frac{1}{\pi}\Bigl(\frac{\pi}{2} + \frac{\pi}{2}\Bigr) = 1 \qquad (\varepsilon > 0).$$
# For $\varepsilon < 0$ the same computation gives $-1$: remember this in Section 7.
#
# **A delta sequence.** $L_\varepsilon > 0$, and the mass on $[a, b]$ is
# $$\int_a^b L_\varepsilon\,dx = \frac{1}{\pi}\Bigl(\arctan\frac{b}{\varepsilon}
# - \arctan\frac{a}{\varepsilon}\Bigr) \;\longrightarrow\; 1 \quad \text{if } a < 0 < b,$$
# since $b/\varepsilon \to +\infty$ and $a/\varepsilon \to -\infty$: every neighbourhood of 0
# ends up with all the mass. The *pointwise* limit is useless ($0$ for $x \ne 0$, $\infty$ at 0);
# only the pairing has a limit.
#
# **Heavy tails.** For $|x| \gg \varepsilon$, $L_\varepsilon(x) \approx \varepsilon/(\pi x^2)$,
# and the mass outside $[-R, R]$ is $\frac{2}{\pi}\arctan\frac{\varepsilon}{R}
# \approx \frac{2\varepsilon}{\pi R}$: only *linear* in $\varepsilon$ ($0.0064$ for
# $\varepsilon = 0.01$, $R = 1$). This fact will decide the Lorentzian's rate of convergence.
#
# **Task.** Implement `lorentzian(x, eps)`: `x` and `eps` are array_like and broadcast (shapes
# (3, 1) and (2,) give (3, 2)); return float64; validate `eps` with `_check_eps`. Optional polish:
# `x**2` overflows (with a warning) for $|x| > 10^{154}$, while `np.hypot(x, eps)` does not.

# %% role="function" name="lorentzian"

# %% role="tests" name="lorentzian"

# %% [markdown]
# ## 3. Three more kernels
#
# **The Gaussian (heat kernel)**
# $G_\varepsilon(x) = \frac{1}{\sqrt{2\pi}\,\varepsilon}\exp\bigl(-\frac{x^2}{2\varepsilon^2}\bigr)$
# is the normal density with variance $\varepsilon^2$, and the solution of the heat equation
# $u_t = u_{xx}$ at time $\varepsilon^2/2$ started from $\delta$: Gaussian smoothing is diffusion.
# Its tails are tiny: the mass outside $[-R, R]$ is
# $\operatorname{erfc}(R/(\sqrt{2}\varepsilon)) \le e^{-R^2/(2\varepsilon^2)}$, below
# $10^{-2000}$ for $\varepsilon = 0.01$, $R = 1$ (the Lorentzian: $0.0064$). Implement
# `gaussian_kernel(x, eps)` like `lorentzian`. Mind the 2 in the exponent.

# %% role="function" name="gaussian_kernel"

# %% role="tests" name="gaussian_kernel"

# %% [markdown]
# **The sinc (Dirichlet) kernel**
# $$S_\varepsilon(x) = \frac{\sin(x/\varepsilon)}{\pi x}
# = \frac{1}{2\pi}\int_{-1/\varepsilon}^{1/\varepsilon} e^{ikx}\,dk,
# \qquad S_\varepsilon(0) = \frac{1}{\pi\varepsilon},$$
# breaks the recipe of Section 1.
#
# * It is **not positive**: it oscillates with period $2\pi\varepsilon$ under the envelope
#   $1/(\pi|x|)$, which does not shrink as $\varepsilon \to 0$; the kernel only oscillates faster.
# * It is **not absolutely integrable**; $\int S_\varepsilon = 1$ only as an improper integral
#   (Dirichlet: $\int \frac{\sin t}{t}\,dt = \pi$).
# * It **still converges**. With $\hat\varphi(k) = \int \varphi(x)e^{ikx}\,dx$,
#   $\langle S_\varepsilon, \varphi\rangle = \frac{1}{2\pi}\int_{|k| < 1/\varepsilon}
#   \hat\varphi(k)\,dk \to \varphi(0)$ by Fourier inversion: $S_\varepsilon$ is an ideal low-pass
#   filter, and away from 0 the oscillation, not smallness, cancels the contributions. For
#   $\varphi = e^{-x^2}$ the pairing is $\operatorname{erf}(1/(2\varepsilon))$; the error
#   $\approx e^{-1/(4\varepsilon^2)}$ beats every power of $\varepsilon$.
#
# **The value at 0.** `sinc_kernel` must return $1/(\pi\varepsilon)$ at `x == 0` (and `-0.0`),
# with no `nan` and no warning. The naive `np.sin(x / eps) / (np.pi * x)` computes $0/0$ there,
# and wrapping it in `np.where(x == 0, ..., ...)` still warns, because `np.where` evaluates both
# branches everywhere. Divide by a safe denominator (`np.where(x == 0, 1.0, x)`) before
# selecting, or use `np.sinc(u)` $= \sin(\pi u)/(\pi u)$, which is 1 at 0.

# %% role="function" name="sinc_kernel"

# %% role="tests" name="sinc_kernel"

# %% [markdown]
# **The box** $B_\varepsilon(x) = \frac{1}{2\varepsilon}$ for $|x| < \varepsilon$ and 0 for
# $|x| > \varepsilon$ (the value at $|x| = \varepsilon$ is not graded). Pairing with it averages
# $\varphi$ over $[-\varepsilon, \varepsilon]$. Height $1/(2\varepsilon)$, not $1/\varepsilon$:
# the window has width $2\varepsilon$.

# %% role="function" name="box_kernel"

# %% role="tests" name="box_kernel"

# %% [markdown]
# ### Plot (a): the four kernels
#
# Plot the four kernels on $[-2, 2]$ (`np.linspace(-2, 2, 801)`) for
# $\varepsilon = 0.5, 0.2, 0.05$ in a 2×2 grid of subplots, with legends. Watch the peaks grow
# like $1/\varepsilon$, the Lorentzian's fat shoulders, and the sinc's side lobes that never
# shrink.

# %%
import matplotlib.pyplot as plt

# %% role="solution"
xs = np.linspace(-2.0, 2.0, 801)
kernels = {
    "Lorentzian": lorentzian,
    "Gaussian": gaussian_kernel,
    "sinc": sinc_kernel,
    "box": box_kernel,
}
fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
for ax, (label, kernel) in zip(axes.flat, kernels.items(), strict=True):
    for eps in (0.5, 0.2, 0.05):
        ax.plot(xs, kernel(xs, eps), label=rf"$\varepsilon = {eps}$")
    ax.axhline(0.0, color="gray", linewidth=0.5)
    ax.set_title(f"{label} kernel")
    ax.set_ylim(-2.5, 11.0)
    ax.legend()
for ax in axes[1]:
    ax.set_xlabel("$x$")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 4. How much mass sits near the origin?
#
# Implement `lorentzian_mass(a, b, eps)`, the integral of `lorentzian` over $[a, b]$ by the arctan
# formula of Section 2, as a Python `float`. `a <= b` is required (else `ValueError`), neither may
# be `nan`, either may be $\pm\infty$ (`math.atan` gives $\pm\pi/2$ there).
# `_check_eps(eps, scalar=True)` returns a float width.

# %% role="function" name="lorentzian_mass"

# %% role="tests" name="lorentzian_mass"

# %% [markdown]
# ### Plot (b): the mass on $[-1, 1]$
#
# For 50 widths `np.geomspace(1e-3, 1, 50)` compute `lorentzian_mass(-1, 1, eps)`. Left panel:
# mass against $\varepsilon$ (log $\varepsilon$ axis) with a dashed line at 1. Right panel: the
# missing mass $1 -$ mass on log-log axes, with $2\varepsilon/\pi$ on top; the exact value
# $\frac{2}{\pi}\arctan\varepsilon$ gives a line of slope 1.

# %% role="solution"
eps_grid = np.geomspace(1e-3, 1.0, 50)
mass = np.array([lorentzian_mass(-1.0, 1.0, eps) for eps in eps_grid])
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.semilogx(eps_grid, mass, "o-", markersize=3, label="mass on $[-1, 1]$")
ax1.axhline(1.0, color="red", linestyle="--", label="limit 1")
ax1.set_xlabel(r"$\varepsilon$")
ax1.set_ylabel("mass")
ax1.legend()
ax2.loglog(eps_grid, 1.0 - mass, "o", markersize=3, label="$1 -$ mass")
ax2.loglog(eps_grid, 2.0 * eps_grid / np.pi, "k--", label=r"$2\varepsilon/\pi$ (slope 1)")
ax2.set_xlabel(r"$\varepsilon$")
ax2.set_ylabel("missing mass")
ax2.legend()
fig.suptitle("Lorentzian: the mass concentrates at 0, but only at rate $\\varepsilon$")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Plot (c): the cumulative mass becomes a step
#
# Plot $F_\varepsilon(x) = \int_{-\infty}^{x} L_\varepsilon
# = \frac{1}{2} + \frac{1}{\pi}\arctan\frac{x}{\varepsilon}$, i.e.
# `lorentzian_mass(-np.inf, x, eps)`, on $[-3, 3]$ for $\varepsilon = 1, 0.3, 0.1, 0.01$, with the
# Heaviside step $H$. The curves tend to $H$ (all pass through $\frac{1}{2}$ at 0): this is
# $H' = \delta$ in pictures, the antiderivatives of a delta sequence tending to the step.

# %% role="solution"
xs = np.linspace(-3.0, 3.0, 601)
fig, ax = plt.subplots(figsize=(7, 4))
for eps in (1.0, 0.3, 0.1, 0.01):
    cumulative = [lorentzian_mass(-np.inf, x, eps) for x in xs]
    ax.plot(xs, cumulative, label=rf"$\varepsilon = {eps}$")
ax.plot(xs, np.heaviside(xs, 0.5), "k--", label="Heaviside $H(x)$")
ax.set_xlabel("$x$")
ax.set_ylabel(r"$\int_{-\infty}^{x} L_\varepsilon$")
ax.set_title("Cumulative Lorentzian mass")
ax.legend()
plt.show()

# %% [markdown]
# ## 5. The distributional limit, numerically
#
# Implement `delta_pairing(kernel, phi, eps)` $= \int K_\varepsilon(x)\,\varphi(x)\,dx$ for
# `kernel` in `"lorentzian"`, `"gaussian"`, `"sinc"`, `"box"` (else `ValueError` naming
# `kernel`), with **absolute error at most $10^{-8}$** for $10^{-3} \le \varepsilon \le 2$.
# With $\varphi = e^{-x^2}$: Lorentzian $e^{\varepsilon^2}\operatorname{erfc}(\varepsilon)$
# ($0.8964569799691265$ at $\varepsilon = 0.1$, $0.988815461046343$ at $0.01$), Gaussian
# $1/\sqrt{1 + 2\varepsilon^2}$, box $\sqrt{\pi}\operatorname{erf}(\varepsilon)/(2\varepsilon)$,
# sinc $\operatorname{erf}(1/(2\varepsilon))$. Three things make this hard:
#
# 1. **A narrow peak.** Adaptive quadrature samples a few dozen points and refines where its
#    error estimate is large; a peak of width $10^{-2}$ can slip between all of them, and `quad`
#    returns about 0 with a tiny error estimate (cell below). Split the range at
#    $\varepsilon, 2\varepsilon, 4\varepsilon, \dots$ so every scale is seen: that is what
#    `_integrate_half_line` does.
# 2. **Slow tails.** $\varphi$ may decay only like $1/(1+x^2)$, so the integrand decays like
#    $1/x^4$ (Lorentzian) or $1/x^3$ (sinc). Truncating to $[-50, 50]$ is not accurate enough;
#    integrate to `np.inf`.
# 3. **Oscillation** (sinc). `quad(g, a, b, weight="sin", wvar=1/eps)` computes
#    $\int_a^b g(x)\sin(x/\varepsilon)\,dx$ treating the sine exactly (QUADPACK's QAWO; with
#    `b=np.inf` it is QAWF, which takes no `epsrel`). Here
#    $g(x) = (\varphi(x) + \varphi(-x))/(\pi x)$ is singular at 0: start at some $a > 0$ and
#    integrate $[0, a]$ with the kernel itself.
#
# Tips: all four kernels are even, so $\langle K_\varepsilon, \varphi\rangle
# = \int_0^\infty K_\varepsilon(x)(\varphi(x) + \varphi(-x))\,dx$. For the box substitute
# $x = \varepsilon t$: $\frac{1}{2}\int_{-1}^{1}\varphi(\varepsilon t)\,dt$. $\varphi$ may have
# its own bump away from 0 (e.g. $e^{-(x-1)^2}$), so resolve both scales. Ask `quad` for
# `epsabs=1e-13, epsrel=1e-12` and `limit=200`.

# %%
# A warning, not an exercise: a plain call to quad misses a narrow Gaussian peak.
eps_demo = 1e-2


def peaked(x):
    kernel_value = math.exp(-(x**2) / (2 * eps_demo**2)) / (math.sqrt(2 * math.pi) * eps_demo)
    return kernel_value * math.exp(-(x**2))


value, error_estimate = scipy.integrate.quad(peaked, -3, 5)
print(f"quad on [-3, 5]: value {value:.3e}, error estimate {error_estimate:.1e}")
print(f"exact:           value {1 / math.sqrt(1 + 2 * eps_demo**2):.12f}")

# %% role="function" name="delta_pairing"

# %% role="tests" name="delta_pairing"

# %% [markdown]
# ### 5.1 The derivative of the delta
#
# Integrating by parts (the boundary terms vanish),
# $\langle K_\varepsilon', \psi\rangle = -\langle K_\varepsilon, \psi'\rangle \to -\psi'(0)
# = \langle \delta', \psi\rangle$, with
# $$L_\varepsilon'(x) = -\frac{2}{\pi}\,\frac{\varepsilon\,x}{(x^2 + \varepsilon^2)^2},
# \qquad G_\varepsilon'(x) = -\frac{x}{\varepsilon^2}\,G_\varepsilon(x).$$
# Both are odd, so $\langle K_\varepsilon', \psi\rangle = \int_0^\infty K_\varepsilon'(x)
# (\psi(x) - \psi(-x))\,dx$; both peak at $x \sim \varepsilon$ with height
# $\sim 1/\varepsilon^2$, so take the same care as before. Implement
# `delta_prime_pairing(kernel, psi, eps)` for `"lorentzian"` and `"gaussian"` only (else
# `ValueError` naming `kernel`: the box's derivative is two deltas at $\pm\varepsilon$, the
# sinc's is not absolutely integrable), absolute error $\le 10^{-8}$. With
# $\psi = x e^{-x^2}$ ($\psi'(0) = 1$) the Gaussian gives $-(1 + 2\varepsilon^2)^{-3/2}$ and the
# Lorentzian at $\varepsilon = 0.1$ gives $-0.8015482028589578$.

# %% role="function" name="delta_prime_pairing"

# %% role="tests" name="delta_prime_pairing"

# %% [markdown]
# ## 6. How fast? Rates of convergence
#
# Taylor expand $\varphi(\varepsilon t)$ in the formula of Section 1:
# $$\langle K_\varepsilon, \varphi\rangle - \varphi(0)
# = \varepsilon\,\varphi'(0)\underbrace{\int t\,K(t)\,dt}_{=\,0 \text{ (K even)}}
# + \frac{\varepsilon^2}{2}\,\varphi''(0)\underbrace{\int t^2 K(t)\,dt}_{m_2}
# + O(\varepsilon^4).$$
#
# * **Gaussian and box: $O(\varepsilon^2)$.** Even, with $m_2 = 1$ and $m_2 = 1/3$. For
#   $\varphi = e^{-x^2}$ ($\varphi''(0) = -2$) the errors are $-\varepsilon^2$ and
#   $-\varepsilon^2/3$, as in $1/\sqrt{1 + 2\varepsilon^2} \approx 1 - \varepsilon^2$.
# * **Lorentzian: only $O(\varepsilon)$.** Its $m_2$ is infinite, so the expansion is illegal.
#   Instead,
#   $$\langle L_\varepsilon, \varphi\rangle - \varphi(0)
#   = \frac{\varepsilon}{\pi}\int \frac{\varphi(x) - \varphi(0)}{x^2 + \varepsilon^2}\,dx
#   \approx \frac{\varepsilon}{\pi}\int \frac{\varphi(x) - \varphi(0)}{x^2}\,dx .$$
#   The last integral is finite and comes from $|x|$ of order 1, far outside the peak, where the
#   tails $\varepsilon/(\pi x^2)$ carry mass $\sim\varepsilon$ and $\varphi(x) - \varphi(0)$ does
#   not vanish. For $e^{-x^2}$ it is $-2\sqrt{\pi}$: error $\approx -1.13\,\varepsilon$ (indeed
#   $1 - 0.98882 = 0.0112$ at $\varepsilon = 0.01$). For $1/(1+x^2)$ the pairing is exactly
#   $1/(1+\varepsilon)$.
# * **Sinc: faster than any power** for smooth, fast-decaying $\varphi$ (the error is the part of
#   $\hat\varphi$ beyond $|k| = 1/\varepsilon$): no single slope.
#
# In general, an even kernel with vanishing moments of orders $1, \dots, p-1$ and a finite
# $p$-th absolute moment has error $O(\varepsilon^p)$ (for $p > 2$ it must go negative).
#
# **Task.** Implement `convergence_order(kernel, phi, eps_values)`: with your `delta_pairing`,
# compute $e_j = |\langle K_{\varepsilon_j}, \varphi\rangle - \varphi(0)|$ and return the
# least-squares slope of $\log e_j$ against $\log\varepsilon_j$ (`np.polyfit`, degree 1) as a
# float. `eps_values` must be 1-D with at least two distinct widths, all finite and $> 0$ (else
# `ValueError` naming `eps_values`); an error of exactly 0 has no logarithm: raise `ValueError`.
# Errors near $10^{-12}$ measure round-off, not the kernel.

# %% role="function" name="convergence_order"

# %% role="tests" name="convergence_order"

# %% [markdown]
# ### Plot (d): the errors on log-log axes
#
# For the Lorentzian, Gaussian and box, plot $|\langle K_\varepsilon, e^{-x^2}\rangle - 1|$
# (`delta_pairing(kernel, bump, eps)`) against $\varepsilon$ for `np.geomspace(1e-3, 0.3, 6)` on
# log-log axes, with dashed reference lines of slopes 1 and 2 and the `convergence_order` slope
# in each legend label.

# %% role="solution"
eps_values = np.geomspace(1e-3, 0.3, 6)
fig, ax = plt.subplots(figsize=(7, 5))
for kernel in ("lorentzian", "gaussian", "box"):
    errors = [abs(delta_pairing(kernel, bump, eps) - 1.0) for eps in eps_values]
    order = convergence_order(kernel, bump, eps_values)
    ax.loglog(eps_values, errors, "o-", label=f"{kernel} (slope {order:.2f})")
ax.loglog(eps_values, 0.5 * eps_values, "k--", linewidth=1, label=r"slope 1: $\varepsilon/2$")
ax.loglog(eps_values, 0.5 * eps_values**2, "k:", linewidth=1, label=r"slope 2: $\varepsilon^2/2$")
ax.set_xlabel(r"$\varepsilon$")
ax.set_ylabel(r"$|\langle K_\varepsilon, e^{-x^2}\rangle - 1|$")
ax.set_title("Convergence to the delta")
ax.legend()
plt.show()

# %% [markdown]
# ### Written question (3 points)
#
# Using plot (d), explain **why the Lorentzian's error decreases like $\varepsilon$ while the
# Gaussian's decreases like $\varepsilon^2$**, and **which property of a kernel decides the
# rate**. Say where on the $x$ axis the Lorentzian's error comes from, and why the argument that
# gives $\varepsilon^2$ for the Gaussian fails for it.

# %% [markdown] role="written" grade_id="rates_explained" points=3
# In plot (d) the Lorentzian's errors follow slope 1 (about $1.13\,\varepsilon$); the Gaussian's
# and the box's follow slope 2 (about $\varepsilon^2$ and $\varepsilon^2/3$).
#
# With $K_\varepsilon(x) = K(x/\varepsilon)/\varepsilon$ the error is
# $\int K(t)(\varphi(\varepsilon t) - \varphi(0))\,dt$. For the Gaussian, a Taylor expansion gives
# a first-order term $\varepsilon\varphi'(0)\int tK$, which vanishes because $K$ is even, and a
# second-order term $\frac{1}{2}\varepsilon^2\varphi''(0)\int t^2K$, finite because the Gaussian
# has a finite second moment. So the error is $O(\varepsilon^2)$ (the box likewise).
#
# The Lorentzian is even too, but its tails fall only like $\varepsilon/(\pi x^2)$, so
# $\int t^2K = \infty$ and the expansion is invalid. Its error comes from $|x|$ of order 1, far
# from the peak: the tails put mass $\sim\varepsilon$ there (about $2\varepsilon/\pi$ outside
# $[-1, 1]$, plot (b)), where $\varphi(x) - \varphi(0)$ is not small. The error is about
# $\frac{\varepsilon}{\pi}\int(\varphi(x) - \varphi(0))/x^2\,dx = -2\varepsilon/\sqrt{\pi}$.
#
# The rate is decided by the kernel's tails, i.e. which moments are finite, together with which
# vanish: even with a finite second moment gives $\varepsilon^2$; $1/x^2$ tails give only
# $\varepsilon$.

# %% [markdown]
# ## 7. The Lorentzian in SymPy
#
# To SymPy a bare `sp.Symbol("epsilon")` is a complex number, and for complex or negative
# $\varepsilon$ the normalization integral is not 1 ($-1$ for $\varepsilon < 0$), so SymPy
# hedges with a `Piecewise`. Declare `sp.Symbol("x", real=True)` and
# `sp.Symbol("epsilon", positive=True)` and the answer is 1. Symbols are equal only if name *and*
# assumptions agree (`sp.Symbol("x") != sp.Symbol("x", real=True)`): create them once and reuse
# them. Second trap: `DiracDelta` is fine with its point strictly inside the range, but on an
# endpoint the integral is undefined in theory (an even delta sequence would give
# $\frac{1}{2}$, a one-sided one 0 or 1) and SymPy's conventions need not even agree with each
# other. Run the cell; then never put a `DiracDelta` on an integration endpoint.

# %%
x_plain, eps_plain = sp.symbols("x epsilon")
f_plain = eps_plain / (sp.pi * (x_plain**2 + eps_plain**2))
print("no assumptions:  ", sp.integrate(f_plain, (x_plain, -sp.oo, sp.oo)))
x_real = sp.Symbol("x", real=True)
eps_pos = sp.Symbol("epsilon", positive=True)
f_declared = eps_pos / (sp.pi * (x_real**2 + eps_pos**2))
print("with assumptions:", sp.integrate(f_declared, (x_real, -sp.oo, sp.oo)))
print("delta inside the range, (-1, 1):", sp.integrate(sp.DiracDelta(x_real), (x_real, -1, 1)))
print("delta on the endpoint, (0, 1):  ", sp.integrate(sp.DiracDelta(x_real), (x_real, 0, 1)))
print("delta on the endpoint, (0, oo): ", sp.integrate(sp.DiracDelta(x_real), (x_real, 0, sp.oo)))

# %% [markdown]
# **Task.** Implement `lorentzian_sympy()`, returning `(f, f_x, f_xx)`: the Lorentzian
# $f = \varepsilon/(\pi(x^2 + \varepsilon^2))$ and its first two $x$-derivatives (`sp.diff`), in
# symbols named exactly `x` (real) and `epsilon` (positive). After `sp.factor` you should see
# $$f_x = -\frac{2\varepsilon x}{\pi(x^2 + \varepsilon^2)^2}, \qquad
# f_{xx} = \frac{2\varepsilon(3x^2 - \varepsilon^2)}{\pi(x^2 + \varepsilon^2)^3}.$$
# Check yourself: `sp.integrate(f, (x, -sp.oo, sp.oo))` should be 1.

# %% role="function" name="lorentzian_sympy"

# %% role="tests" name="lorentzian_sympy"
