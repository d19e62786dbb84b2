# %% [markdown]
# # Homework 2: Principal values and the derivative of $\ln|x|$
#
# Logarithms are everywhere in deep learning (log-likelihoods, cross-entropy, log-determinants),
# and their derivative $1/x$ is too singular at 0 to be integrated against a test function. So
# the derivative of $\ln|x|$ cannot be the function $1/x$: as the derivative of the step was the
# delta in Homework 1, it is a new distribution, the **principal value**
# $\mathrm{p.v.}\,\frac{1}{x}$. You will compute principal values accurately, check that they
# are the derivative of $\ln|x|$, see what an asymmetric hole around the pole does, approach the
# real axis from the complex plane (Sokhotski–Plemelj, $\ln(x + i0)$), compute a Hilbert
# transform, and finish with two bonus challenges.
#
# **Grading.**
#
# * Eight functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * Plots are not graded, but you need them for the written question (3 points, graded by hand).
# * Before submitting, run *Kernel → Restart & Run All*; the notebook takes a few seconds.
#
# The next cell imports `numpy as np`, `math` and `scipy.integrate`, and `numpy.typing as npt`
# and `Callable` for type hints.

# %% role="imports"

# %% [markdown]
# ### Provided helpers
#
# The next cell is given to you (read it, do not change it). You may call its helpers:
#
# * `_check_callable(func, name)` returns `func`, or raises `ValueError` naming `name`.
# * `_check_real(value, name, scalar=True, positive=False, nonzero=False)` returns `value` as a
#   float (a float64 array when `scalar=False`), or raises `ValueError` naming `name` unless it
#   is real and finite (and $> 0$, or nonzero, when asked).
# * `_integrate_half_line(f, start=0.125)` integrates a scalar function `f` over $[0, \infty)$,
#   cut at `start`, `2 * start`, `4 * start`, ... so that no narrow feature is missed (Homework 1,
#   Section 5). `quad` never evaluates `f` at an endpoint: a $0/0$ at $t = 0$ does no harm.
#
# The cell after it defines the visible checks' test functions `bump` $= e^{-x^2}$,
# `shifted_bump` $= e^{-(x-1)^2}$, its derivative `shifted_bump_prime`, and the slowly decaying
# `cauchy` $= 1/(1+x^2)$.

# %% role="provided" names="_check_callable _check_real _integrate_half_line"

# %%
def bump(x):
    """The test function exp(-x^2)."""
    return np.exp(-np.asarray(x, dtype=float) ** 2)


def shifted_bump(x):
    """The test function exp(-(x - 1)^2)."""
    return np.exp(-(np.asarray(x, dtype=float) - 1.0) ** 2)


def shifted_bump_prime(x):
    """The derivative of exp(-(x - 1)^2)."""
    x = np.asarray(x, dtype=float)
    return -2.0 * (x - 1.0) * np.exp(-((x - 1.0) ** 2))


def cauchy(x):
    """The slowly decaying test function 1/(1 + x^2)."""
    return 1.0 / (1.0 + np.asarray(x, dtype=float) ** 2)


# %% [markdown]
# ## 1. $\ln|x|$ is a distribution
#
# Recall from Homework 1: a **test function** $\varphi$ is smooth and decays (here, with its
# derivative, at least like $1/(1+x^2)$); a locally integrable $f$ is the distribution
# $\langle f, \varphi\rangle = \int f\varphi\,dx$; and **derivatives** move onto the test
# function, $\langle T', \varphi\rangle = -\langle T, \varphi'\rangle$.
#
# $\ln|x| \to -\infty$ at 0, but slowly: $\int_0^1|\ln x|\,dx = [x - x\ln x]_0^1 = 1$. So
# $\ln|x|$ is locally integrable, $\int\ln|x|\,\varphi(x)\,dx$ converges (the integrand is
# $O(\ln|x|/x^2)$ at infinity), and $\ln|x|$ is a perfectly good distribution.
#
# **A regularization.** $\ell_\varepsilon(x) = \ln(|x| + \varepsilon) \ge \ln\varepsilon$ is
# continuous and decreases to $\ln|x|$ as $\varepsilon \to 0^+$; the gap has integral
# $2[(1+\varepsilon)\ln(1+\varepsilon) + \varepsilon\ln\frac{1}{\varepsilon}] \to 0$ over
# $[-1, 1]$ (0.016 at $\varepsilon = 10^{-3}$), so $\ell_\varepsilon \to \ln|x|$ as
# distributions. Its derivative $\operatorname{sign}(x)/(|x| + \varepsilon)$ is odd, bounded by
# $1/\varepsilon$, close to $1/x$ for $|x| \gg \varepsilon$, and (derivatives of convergent
# distributions converge) tends to $(\ln|x|)'$, which Section 2 identifies.
#
# **Task.** Implement `regularized_log(x, eps)` $= \ln(|x| + \varepsilon)$: `x` and `eps` are
# array_like and broadcast; return float64; `eps` must be finite and $> 0$ (use
# `_check_real(eps, "eps", scalar=False, positive=True)`).

# %% role="function" name="regularized_log"

# %% role="tests" name="regularized_log"

# %% [markdown]
# ### Plot (a): cutting off the singularity
#
# Left: $\ell_\varepsilon$ on $[-2, 2]$ for $\varepsilon = 0.1, 0.01, 0.001$ and $\ln|x|$
# (`np.linspace(-2, 2, 800)`: an even number of points skips $x = 0$). Right: the derivatives
# $\operatorname{sign}(x)/(|x| + \varepsilon)$ and $1/x$, $y$ axis clipped to $[-30, 30]$. Each
# $\ell_\varepsilon$ has a floor at $\ln\varepsilon$; each derivative jumps from
# $-1/\varepsilon$ to $1/\varepsilon$.

# %%
import matplotlib.pyplot as plt

# %% role="solution"
xs = np.linspace(-2.0, 2.0, 800)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for eps in (0.1, 0.01, 0.001):
    ax1.plot(xs, regularized_log(xs, eps), label=rf"$\ln(|x| + {eps})$")
    ax2.plot(xs, np.sign(xs) / (np.abs(xs) + eps), label=rf"$\varepsilon = {eps}$")
ax1.plot(xs, np.log(np.abs(xs)), "k--", label=r"$\ln|x|$")
ax2.plot(xs, 1.0 / xs, "k--", label="$1/x$")
ax1.set_title("Regularized logarithms")
ax2.set_title("Their derivatives")
ax2.set_ylim(-30.0, 30.0)
for ax in (ax1, ax2):
    ax.set_xlabel("$x$")
    ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. The derivative of $\ln|x|$ is the principal value of $1/x$
#
# For $x \ne 0$, $(\ln|x|)' = 1/x$ (also for $x < 0$). But $1/x$ is not locally integrable:
# $\int_\varepsilon^1 dx/x = \ln(1/\varepsilon) \to \infty$, so $\int\varphi(x)/x\,dx$ diverges
# as a Lebesgue integral whenever $\varphi(0) \ne 0$. Duality still defines the derivative, by a
# convergent integral:
# $$\langle (\ln|x|)', \varphi\rangle = -\int_{-\infty}^{\infty} \ln|x|\,\varphi'(x)\,dx .$$
#
# **Theorem.** This equals the **principal value**
# $\mathrm{p.v.}\int\frac{\varphi(x)}{x}\,dx = \lim_{\varepsilon\to 0^+}\int_{|x|>\varepsilon}
# \frac{\varphi(x)}{x}\,dx$.
#
# *Proof.* $\ln|x|\,\varphi'$ is integrable, so the left side is the limit of
# $-\int_{|x|>\varepsilon}\ln|x|\,\varphi'\,dx$. Integrate by parts on $(\varepsilon, \infty)$
# and on $(-\infty, -\varepsilon)$: $\ln|x|\,\varphi(x) \to 0$ at $\pm\infty$, and the
# boundary terms at $\pm\varepsilon$ are $\varphi(\varepsilon)\ln\varepsilon$ and
# $-\varphi(-\varepsilon)\ln\varepsilon$. So
# $$-\int_{|x|>\varepsilon}\ln|x|\,\varphi'(x)\,dx = \int_{|x|>\varepsilon}\frac{\varphi(x)}{x}\,dx
# \;+\; \bigl(\varphi(\varepsilon) - \varphi(-\varepsilon)\bigr)\ln\varepsilon .$$
# By the mean value theorem $|\varphi(\varepsilon) - \varphi(-\varepsilon)|
# \le 2\varepsilon\sup|\varphi'|$, so the boundary term is $O(\varepsilon\ln\varepsilon) \to 0$,
# and the limit on the right exists and equals the left side. $\square$
#
# So $(\ln|x|)' = \mathrm{p.v.}\,\frac{1}{x}$. The symmetry of the hole $(-\varepsilon,
# \varepsilon)$ mattered: it made both boundary terms carry the same $\ln\varepsilon$.

# %% [markdown]
# ## 3. Computing principal values
#
# **Fold the line.** Substituting $x \to -x$ on the negative half line,
# $$\int_{|x|>\varepsilon}\frac{\varphi(x)}{x}\,dx
# = \int_{\varepsilon}^{\infty}\frac{\varphi(x) - \varphi(-x)}{x}\,dx
# \;\longrightarrow\; \int_0^{\infty}\frac{\varphi(x) - \varphi(-x)}{x}\,dx .$$
# Each half alone diverges like $\mp\varphi(0)\ln\varepsilon$; folding cancels the divergences
# *before* integrating. The folded integrand is bounded by $2\sup|\varphi'|$ and tends to
# $2\varphi'(0)$ at $0^+$: the last integral is an ordinary one (and the bound shows that
# $\mathrm{p.v.}\,\frac{1}{x}$ is continuous in $\varphi$, a distribution). A pole at $c$ (hole
# $|x - c| < \varepsilon$) gives $\mathrm{p.v.}\int\frac{\varphi(x)}{x - c}\,dx
# = \int_0^{\infty}\frac{\varphi(c + t) - \varphi(c - t)}{t}\,dt
# = \langle(\ln|x - c|)', \varphi\rangle$. Reference: for $\varphi = e^{-(x-1)^2}$,
# $\mathrm{p.v.}\int\varphi(x)/x\,dx = 2\sqrt{\pi}\,F(1) = 1.907442188241755$ (Dawson's
# function $F$, `scipy.special.dawsn`), and 0 with the pole at $c = 1$.
#
# **Numerical advice.**
#
# 1. *Folded form.* Integrate the folded integrand over $(0, \infty)$ (`_integrate_half_line`).
# 2. *QUADPACK's Cauchy weight.* `scipy.integrate.quad(phi, a, b, weight="cauchy", wvar=c)`
#    returns $\mathrm{p.v.}\int_a^b \varphi(x)/(x - c)\,dx$, treating the pole exactly (rule
#    QAWC). Pass $\varphi$, not $\varphi(x)/(x - c)$. The limits must be **finite** and differ
#    from $c$ (else `ValueError`); for a principal value the pole must be **strictly inside**,
#    $a < c < b$. Add the tails $\int_{-\infty}^{a}$ and $\int_b^{\infty}$ with ordinary `quad`.
# 3. *Tails.* For $\varphi \sim 1/x^2$, $\int_R^\infty\varphi(x)/x\,dx \approx 1/(2R^2)$:
#    $5\cdot 10^{-7}$ at $R = 1000$, fifty times the tolerance. Integrate to `np.inf`.
# 4. *Do not excise a small hole.* $\int_{|x|>\varepsilon}$ is off by about
#    $2\varepsilon\varphi'(0)$, and near the hole the integrand is huge and nearly cancels.
#
# **Task.** Implement `pv_integral(phi, c=0.0)`, the principal value
# $\mathrm{p.v.}\int\varphi(x)/(x - c)\,dx$ as a Python `float`, **absolute error at most
# $10^{-8}$**. `phi` is a vectorized callable, smooth, decaying at least like $1/(1+x^2)$
# (`ValueError` naming `phi` if not callable); `c` must be finite and real (`ValueError`
# naming `c`).

# %% role="function" name="pv_integral"

# %% role="tests" name="pv_integral"

# %% [markdown]
# ### 3.1 The theorem, numerically
#
# Now the *other* side: implement `log_abs_pairing(dphi)` $= -\int\ln|x|\,\varphi'(x)\,dx$,
# given only $\varphi'$ (`dphi`, a vectorized callable; `ValueError` naming `dphi` if not
# callable). No principal value is needed: the singularity of $\ln|x|$ is integrable. Fold to
# $-\int_0^\infty\ln t\,\bigl(\varphi'(t) + \varphi'(-t)\bigr)\,dt$: the logarithm then sits at
# the endpoint 0, where `quad` never evaluates and its extrapolation copes well. (On a finite
# $[a, b]$, `weight="alg-loga"` with `wvar=(0, 0)` multiplies by $\ln(x - a)$ exactly.) If both
# functions are right, `log_abs_pairing(shifted_bump_prime)` and `pv_integral(shifted_bump)`
# agree: two different integrals, one number, $1.907442188241755$.

# %% role="function" name="log_abs_pairing"

# %% role="tests" name="log_abs_pairing"

# %% [markdown]
# ## 4. Why the hole must be symmetric
#
# The principal value is a limit taken in one particular way. Cut out $[-\varepsilon,
# 2\varepsilon]$ instead:
# $$\int_{x<-\varepsilon \text{ or } x>2\varepsilon}\frac{\varphi(x)}{x}\,dx
# = \int_{|x|>\varepsilon}\frac{\varphi(x)}{x}\,dx - \int_{\varepsilon}^{2\varepsilon}
# \frac{\varphi(x)}{x}\,dx .$$
# The first term tends to the principal value; the second does *not* tend to 0, although its
# interval shrinks: $\int_\varepsilon^{2\varepsilon}dx/x = \ln 2$ for every $\varepsilon$. The
# limit is $\mathrm{p.v.}\int\varphi/x - \ln 2\,\varphi(0)$ (you will derive it in the written
# question): the shape of the hole is not a numerical detail.
#
# ### Plot (b): symmetric and asymmetric holes
#
# With $\varphi$ = `shifted_bump` ($\varphi(0) = e^{-1}$) and $\varepsilon$ in
# `np.geomspace(1e-5, 0.3, 15)`, compute with `quad` the integral of $\varphi(x)/x$ outside
# $(-\varepsilon, \varepsilon)$ and outside $[-\varepsilon, 2\varepsilon]$. Left: both against
# $\varepsilon$ (log axis), with lines at $1.907442188241755$ and at
# $1.907442188241755 - e^{-1}\ln 2 = 1.652447590807801$. Right: each curve's distance to its
# limit, log-log. Tip: $x = e^u$ turns $dx/x$ into $du$, so $\int_a^1\varphi(x)/x\,dx
# = \int_{\ln a}^0\varphi(e^u)\,du$, a smooth integrand even for $a = 10^{-5}$.

# %% role="solution"
PV_VALUE = 1.907442188241755  # 2 sqrt(pi) F(1), F = Dawson's function
phi_at_0 = float(shifted_bump(0.0))  # e^{-1}
WRONG_VALUE = PV_VALUE - math.log(2.0) * phi_at_0


def excised_integral(phi, left, right):
    """Integral of phi(x)/x over x < -left and x > right, for 0 < left, right < 1."""
    outer = scipy.integrate.quad(lambda x: float(phi(x) - phi(-x)) / x, 1.0, np.inf)[0]
    # On [right, 1] and [-1, -left] put x = +-e^u: dx/x = du.
    inner_pos = scipy.integrate.quad(lambda u: float(phi(math.exp(u))), math.log(right), 0.0)[0]
    inner_neg = scipy.integrate.quad(lambda u: float(phi(-math.exp(u))), math.log(left), 0.0)[0]
    return outer + inner_pos - inner_neg


eps_values = np.geomspace(1e-5, 0.3, 15)
symmetric = np.array([excised_integral(shifted_bump, eps, eps) for eps in eps_values])
asymmetric = np.array([excised_integral(shifted_bump, eps, 2.0 * eps) for eps in eps_values])

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.semilogx(eps_values, symmetric, "o-", ms=3, label=r"hole $(-\varepsilon, \varepsilon)$")
ax1.semilogx(eps_values, asymmetric, "s-", ms=3, label=r"hole $[-\varepsilon, 2\varepsilon]$")
ax1.axhline(PV_VALUE, color="red", linestyle="--", label="p.v. = 1.9074")
ax1.axhline(WRONG_VALUE, color="gray", linestyle=":", label=r"p.v. $- \ln 2\,\varphi(0)$")
ax1.set_xlabel(r"$\varepsilon$")
ax1.set_ylabel(r"$\int_{\mathrm{outside\ hole}} \varphi(x)/x\,dx$")
ax1.legend()
ax2.loglog(eps_values, np.abs(symmetric - PV_VALUE), "o-", ms=3, label="symmetric")
ax2.loglog(eps_values, np.abs(asymmetric - WRONG_VALUE), "s-", ms=3, label="asymmetric")
ax2.loglog(eps_values, eps_values, "k--", linewidth=1, label=r"slope 1: $\varepsilon$")
ax2.set_xlabel(r"$\varepsilon$")
ax2.set_ylabel("distance to the limit")
ax2.legend()
fig.suptitle(r"Excising a hole around the pole of $e^{-(x-1)^2}/x$")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Written question (3 points)
#
# Using plot (b), explain **why the excision $[-\varepsilon, 2\varepsilon]$ converges, but to
# the wrong value**. Show that the limit is $\mathrm{p.v.}\int\varphi/x - \ln 2\,\varphi(0)$
# (estimate $\int_\varepsilon^{2\varepsilon}\varphi(x)/x\,dx$), say what a hole
# $[-a\varepsilon, b\varepsilon]$ with $a, b > 0$ gives, and **what this tells you about the
# definition of the principal value**: is "$\int\varphi(x)/x\,dx$" a number before one says how
# the hole shrinks?

# %% [markdown] role="written" grade_id="asymmetric_excision" points=3
# In plot (b) the symmetric curve approaches $1.9074$ with an error proportional to
# $\varepsilon$ (slope 1, about $2\varphi'(0)\,\varepsilon = 1.47\,\varepsilon$), while the
# asymmetric one levels off at $1.6524$, lower by $0.2550 = e^{-1}\ln 2 = \varphi(0)\ln 2$.
#
# The asymmetric integral is the symmetric one minus $\int_\varepsilon^{2\varepsilon}
# \varphi(x)/x\,dx$. Write $\varphi(x) = \varphi(0) + (\varphi(x) - \varphi(0))$: the first part
# gives $\varphi(0)\int_\varepsilon^{2\varepsilon}dx/x = \varphi(0)\ln 2$ exactly, for every
# $\varepsilon$; the second is at most $\sup|\varphi'|\int_\varepsilon^{2\varepsilon}dx
# = \varepsilon\sup|\varphi'| \to 0$. So the limit is $\mathrm{p.v.} - \ln 2\,\varphi(0)$. The
# strip shrinks, but $1/x$ grows on it at the same rate: the measure $dx/x$ is scale invariant.
# For a hole $[-a\varepsilon, b\varepsilon]$ the same computation gives
# $\mathrm{p.v.} - \ln(b/a)\,\varphi(0)$: only holes with $b/a \to 1$ give the principal value.
#
# When $\varphi(0) \ne 0$, $\int\varphi(x)/x\,dx$ is not absolutely convergent: the parts left
# and right of 0 each diverge like $\varphi(0)\ln(1/\varepsilon)$, with opposite signs. As with
# a conditionally convergent series, the result depends on how the two divergences are
# balanced, so the integral is not a number until the limit is specified. The principal value
# is a *choice* (symmetric holes). Each hole shape gives a distribution equal to $1/x$ away from
# 0, and they differ by multiples of $\delta$: here $\mathrm{p.v.}\,\frac{1}{x} - \ln(b/a)\,\delta$.
# The symmetric choice is the natural one: it is odd like $1/x$, it equals $(\ln|x|)'$ (in
# Section 2 the boundary terms cancel only for a symmetric hole), and it is the real part of
# $1/(x \pm i0)$. Numerically, a principal value must be computed with a symmetric hole, a folded
# integrand or the Cauchy weight, never with an arbitrary excision.

# %% [markdown]
# ## 5. Approaching the axis from the complex plane: Sokhotski–Plemelj
#
# Another way around the pole is to move it off the axis. For $\eta \ne 0$,
# $$\frac{1}{x + i\eta} = \frac{x}{x^2 + \eta^2} - i\,\frac{\eta}{x^2 + \eta^2}
# = \frac{x}{x^2 + \eta^2} - i\pi\,L_\eta(x),$$
# with $L_\eta$ the Lorentzian of Homework 1. As $\eta \to 0^+$, $L_\eta \to \delta$, and
# $x/(x^2 + \eta^2)$, the derivative of $\frac{1}{2}\ln(x^2 + \eta^2) \to \ln|x|$, tends to
# $\mathrm{p.v.}\,\frac{1}{x}$ (as in Section 1). This is the **Sokhotski–Plemelj formula**
# $$\frac{1}{x \pm i0} = \mathrm{p.v.}\,\frac{1}{x} \mp i\pi\,\delta(x), \qquad\text{i.e.}\qquad
# \lim_{\eta\to 0^\pm}\int\frac{\varphi(x)}{x + i\eta}\,dx
# = \mathrm{p.v.}\!\int\frac{\varphi(x)}{x}\,dx \mp i\pi\,\varphi(0).$$
# For $\eta < 0$ the sign flips: a Lorentzian of negative width has mass $-1$ (Homework 1).
# The difference $\frac{1}{x - i0} - \frac{1}{x + i0} = 2\pi i\,\delta$ is the jump of $1/z$
# across the axis. Reference: $e^{-x^2}$ is even, so the real part vanishes, and
# $\int e^{-x^2}/(x + 0.1i)\,dx = -i\pi e^{0.01}\operatorname{erfc}(0.1) = -2.8163026625303\,i$
# ($-\pi$ times Homework 1's $0.8964569799691265$).
#
# **Deep learning.** Random-matrix studies of wide networks (spectra of Hessians and of weight
# or feature covariances, e.g. Pennington and Bahri, 2017) recover a spectral density $\rho$
# from $G(z) = \int\rho(\lambda)/(z - \lambda)\,d\lambda$ as
# $\rho(x) = -\frac{1}{\pi}\lim_{\eta\to 0^+}\operatorname{Im}G(x + i\eta)$: Sokhotski–Plemelj.
#
# **Task.** Implement `plemelj_pairing(phi, eta)` $= \int\varphi(x)/(x + i\eta)\,dx$ as a Python
# `complex`; `eta` must be real, finite and nonzero (`ValueError` naming `eta`). Fold both
# parts onto $[0, \infty)$ (real kernel odd, imaginary kernel even). For small $|\eta|$ the
# imaginary part is a peak of width $|\eta|$: start the cuts of `_integrate_half_line` at a
# fraction of $|\eta|$.

# %% role="function" name="plemelj_pairing"

# %% role="tests" name="plemelj_pairing"

# %% [markdown]
# ## 6. The boundary value $\ln(x + i0)$
#
# The principal logarithm $\ln z = \ln|z| + i\arg z$, $\arg z \in (-\pi, \pi]$, is cut along
# the negative axis. For $\eta > 0$, $\arg(x + i\eta) = \frac{\pi}{2} - \arctan\frac{x}{\eta}$
# tends to 0 for $x > 0$ and to $\pi$ for $x < 0$, so
# $$\ln(x + i0) = \ln|x| + i\pi\,H(-x), \qquad \ln(x - i0) = \ln|x| - i\pi\,H(-x):$$
# a jump of $2\pi i$ across the cut. The imaginary part is $\pi(1 - F_\eta(x))$, with $F_\eta$
# the cumulative Lorentzian of Homework 1's plot (c), and becomes a step just as $F_\eta$ did.
# Differentiating, $\frac{d}{dx}\ln(x + i0) = \mathrm{p.v.}\,\frac{1}{x} - i\pi\,\delta(x)
# = \frac{1}{x + i0}$: the jump of the imaginary part is the $-i\pi\delta$ of Section 5.
#
# **The signed-zero trap.** Floating point has $+0.0$ and $-0.0$, and NumPy (like C99) uses the
# sign of a zero imaginary part to put a negative number on one side of the cut:
# `np.log(complex(-2, -0.0))` is $\ln 2 - i\pi$, the value of $\ln(x - i0)$. Negating or
# conjugating flips that zero silently. Build the imaginary part from a comparison,
# `np.where(x < 0, np.pi, 0.0)`, not from `np.log` of complex numbers.

# %%
# A trap, not an exercise: the sign of a zero imaginary part decides the side of the cut.
print("np.log(complex(-2, +0.0)) =", np.log(complex(-2.0, 0.0)))
print("np.log(complex(-2, -0.0)) =", np.log(complex(-2.0, -0.0)))
print("np.log(-(2 + 0j))         =", np.log(-(2 + 0j)), "  (negation flipped the zero)")
with np.errstate(invalid="ignore"):
    print("np.log(-2.0), real input  =", np.log(-2.0))

# %% [markdown]
# **Task.** Implement `log_x_plus_i0(x)` $= \ln|x| + i\pi\,[x < 0]$, a complex128 array of the
# shape of `x` (`ValueError` naming `x` if not real). `-0.0` counts as 0 (`-0.0 < 0` is `False`;
# `np.signbit(-0.0)` is `True`). The value at $x = 0$ is not graded
# (`np.errstate(divide="ignore")` silences the warning of $\ln 0$).

# %% role="function" name="log_x_plus_i0"

# %% role="tests" name="log_x_plus_i0"

# %% [markdown]
# ### Plot (c): the imaginary part becomes a step
#
# On $[-3, 3]$ (`np.linspace(-3, 3, 600)`), for $\eta = 1, 0.1, 0.01$: left, the real part
# $\frac{1}{2}\ln(x^2 + \eta^2)$ of $\ln(x + i\eta)$; right, its imaginary part
# $\arg(x + i\eta)$ (`np.angle(xs + 1j * eta)`); each with that part of `log_x_plus_i0(xs)`.

# %% role="solution"
xs = np.linspace(-3.0, 3.0, 600)
boundary = log_x_plus_i0(xs)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for eta in (1.0, 0.1, 0.01):
    ax1.plot(xs, 0.5 * np.log(xs**2 + eta**2), label=rf"$\eta = {eta}$")
    ax2.plot(xs, np.angle(xs + 1j * eta), label=rf"$\eta = {eta}$")
ax1.plot(xs, boundary.real, "k--", label=r"$\ln|x|$")
ax2.plot(xs, boundary.imag, "k--", label=r"$\pi H(-x)$")
ax1.set_title(r"$\mathrm{Re}\,\ln(x + i\eta)$")
ax2.set_title(r"$\mathrm{Im}\,\ln(x + i\eta) = \arg(x + i\eta)$")
ax2.set_yticks([0.0, np.pi / 2, np.pi], ["0", r"$\pi/2$", r"$\pi$"])
for ax in (ax1, ax2):
    ax.set_xlabel("$x$")
    ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 7. The Hilbert transform
#
# The Hilbert transform is a principal value at every point,
# $$(Hf)(y) = \frac{1}{\pi}\,\mathrm{p.v.}\!\int_{-\infty}^{\infty}\frac{f(x)}{y - x}\,dx,$$
# the convolution of $f$ with $\mathrm{p.v.}\,\frac{1}{\pi x}$. Mind the sign: $y - x$, not
# $x - y$. Examples: $H\bigl[\frac{1}{1+x^2}\bigr](y) = \frac{y}{1+y^2}$, $H[e^{-x^2}](y)
# = \frac{2}{\sqrt\pi}F(y)$ ($0.6071577\ldots$ at $y = 1$); applying $H$ twice gives $-f$.
# Why it matters: $\Phi(z) = \frac{1}{2\pi i}\int f(x)/(x - z)\,dx$ is analytic for
# $\operatorname{Im} z > 0$, and Sokhotski–Plemelj gives $\Phi(y + i0) = \frac{1}{2}(f + iHf)(y)$.
# So $f + iHf$ (the "analytic signal"; in physics, Kramers–Kronig) is the boundary value of an
# analytic function: for $f = 1/(1+x^2)$ it is $1/(1 - iy)$, with its pole at $-i$.
#
# **Task.** Implement `hilbert_transform(f, y)`, a float64 array of the shape of `y`; `f` is a
# vectorized callable decaying at least like $1/(1+x^2)$ (`ValueError` naming `f` if not
# callable); `y` must be real and finite (`ValueError` naming `y`).

# %% role="function" name="hilbert_transform"

# %% role="tests" name="hilbert_transform"

# %% [markdown]
# ## 8. Bonus challenges (graded like the rest)
#
# ### 8.1 The derivative of $\ln x^2$
#
# $\ln(x^2) = 2\ln|x|$ for $x \ne 0$ (not $2\ln x$: undefined for $x < 0$). Locally integrable
# functions that agree except at one point are the same distribution, so
# $$\langle(\ln x^2)', \varphi\rangle = -\int\ln(x^2)\,\varphi'(x)\,dx
# = 2\,\mathrm{p.v.}\!\int\frac{\varphi(x)}{x}\,dx :$$
# the classical $2x/x^2 = 2/x$ becomes $2\,\mathrm{p.v.}\,\frac{1}{x}$, with no $\delta$ term
# ($\ln x^2$ is real and even; compare $\ln(x + i0)$). For `shifted_bump`: $3.81488437648351$.
#
# **Task.** Implement `log_square_pairing(phi)` $= \langle(\ln x^2)', \varphi\rangle$, a Python
# `float` (`ValueError` naming `phi` if it is not callable).

# %% role="function" name="log_square_pairing"

# %% role="tests" name="log_square_pairing"

# %% [markdown]
# ### 8.2 The Dirichlet integral
#
# $\int_{-\infty}^{\infty}\frac{\sin x}{x}\,dx = \pi$. At 0 nothing is singular
# ($\sin x/x \to 1$); the difficulty is at infinity. $\int|\sin x|/|x|\,dx = \infty$ (the $k$-th
# hump has area about $2/(k\pi)$), so the integral exists only as
# $\lim_{R\to\infty}\int_{-R}^{R}$, a "principal value at infinity" (it is
# $\operatorname{Im}\,\mathrm{p.v.}\int e^{ix}/x\,dx$, and $\mathrm{p.v.}\int e^{ix}/x\,dx = i\pi$).
#
# **Truncation is slow.** Integrating by parts,
# $$\int_R^\infty\frac{\sin x}{x}\,dx = \Bigl[-\frac{\cos x}{x}\Bigr]_R^\infty \;-\;
# \int_R^\infty\frac{\cos x}{x^2}\,dx = \frac{\cos R}{R} + \frac{\sin R}{R^2} + O(R^{-3}),$$
# so $\pi - \int_{-R}^{R}\sin x/x\,dx \approx 2\cos R/R$: $2\cos(1000)/1000 \approx 1.12\cdot
# 10^{-3}$ for $R = 1000$ (exactly $1.126\cdot 10^{-3}$). The error falls only like $1/R$, with
# oscillating sign; $R = 10^6$ still leaves an error of order $10^{-6}$.
#
# **Task.** Implement `dirichlet_integral()`, returning the integral as a Python `float` with
# **absolute error at most $10^{-9}$**. Compute it (do not just return `math.pi`). Either use
# `scipy.integrate.quad(g, a, np.inf, weight="sin", wvar=1.0)`, which computes
# $\int_a^\infty g(x)\sin x\,dx$ for a slowly decaying $g$ such as $1/x$ (QUADPACK's QAWF sums
# cycle by cycle and extrapolates; it takes `epsabs`, not `epsrel`), plus the smooth part
# $\int_0^a$; or truncate at some $R$ and add the asymptotic tail above.

# %% role="function" name="dirichlet_integral"

# %% role="tests" name="dirichlet_integral"
