# %% [markdown]
# # Homework 3: Softmax, cross-entropy and floating point
#
# A classifier with $k$ classes ends with $k$ real numbers, the **logits** $z \in \mathbb{R}^k$.
# The **softmax** turns them into probabilities, and the **cross-entropy** loss scores those
# probabilities against the true label: it is minus the logarithm of the probability given to
# the right class. On paper both are one line. On a computer $e^{z}$ overflows as soon as a
# logit exceeds 89 in float32, probabilities underflow to 0 and their logarithms to $-\infty$,
# and a difference of two nearly equal logarithms can lose every digit. In this notebook you
# will implement the softmax, the log-softmax, the mean cross-entropy and its gradient so that
# none of this happens, prove that the loss is positive and finite yet can be driven towards 0,
# and compute it to full relative precision where the textbook formula returns exactly 0.
#
# **Grading.**
#
# * Five functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * Plots are not graded, but you need them for the written question (3 points, graded by hand).
# * Before submitting, run *Kernel → Restart & Run All*; the notebook takes a few seconds.
#
# The next cell imports `math` and `numpy as np`, and `numpy.typing as npt` for type hints.

# %% role="imports"

# %% [markdown]
# ### Provided helpers
#
# The next cell is given to you (read it, do not change it). You may call its helpers:
#
# * `_as_float_array(z, name, ndim=None)` returns finite real logits as an array that keeps a
#   float32 or float64 dtype (anything else, lists and integers included, becomes float64), and
#   raises `ValueError` naming `name` if they are not real, have no axis (or not `ndim` axes), or
#   contain `nan` or $\pm\infty$.
# * `_check_axis(axis, z)` returns `axis` as a non-negative axis of the array `z`, or raises
#   `ValueError` naming `axis`.
# * `_as_int_array(value, name, low, high=None, shape=None)` returns integer labels as an int64
#   array (whole-number floats are accepted), or raises `ValueError` naming `name` unless they lie
#   in $[\text{low}, \text{high})$ and have the given `shape`.

# %% role="provided" names="_as_float_array _check_axis _as_int_array"

# %% [markdown]
# ## 1. The softmax
#
# $$\mathrm{softmax}(z)_j = \frac{e^{z_j}}{\sum_{i=1}^{k} e^{z_i}}, \qquad j = 1, \dots, k .$$
#
# * **A probability vector.** Every $e^{z_i}$ is positive, so every entry lies in $(0, 1)$ (for
#   $k \ge 2$) and the entries add up to 1. A larger logit gets a larger probability.
# * **Shift invariance.** For any constant $c$, multiplying the numerator and the denominator by
#   $e^{-c}$ gives
#   $$\mathrm{softmax}(z - c\mathbf{1}) = \mathrm{softmax}(z):$$
#   only the *differences* of the logits matter.
# * **No scale invariance: temperature.** $\mathrm{softmax}(z/T)$ depends on $T > 0$. As
#   $T \to \infty$ it tends to the uniform vector $(1/k, \dots, 1/k)$; as $T \to 0^+$ the ratio
#   $e^{(z_j - z_{\max})/T}$ tends to 0 for every $j$ that is not a maximizer, so it tends to
#   the one-hot vector of the largest logit (when it is unique). The softmax is a smooth
#   "soft argmax". Language models sample their next token from exactly this vector, and the
#   sampling temperature is this $T$.
# * **A smooth maximum.** $\mathrm{LSE}(z) = \log\sum_i e^{z_i}$ (log-sum-exp) satisfies
#   $\max_i z_i \le \mathrm{LSE}(z) \le \max_i z_i + \log k$: the sum contains the term
#   $e^{\max z}$, and it has $k$ terms that are each at most $e^{\max z}$. Its gradient is the
#   softmax, $\partial\,\mathrm{LSE}/\partial z_j = e^{z_j}/\sum_i e^{z_i}$.
#
# ## 2. What goes wrong in floating point
#
# The largest float32 is about $3.4\cdot 10^{38} = e^{88.72}$ and the largest float64 about
# $1.8\cdot 10^{308} = e^{709.78}$. So `np.exp` returns `inf` (with an overflow warning) once its
# argument passes 88.72 in float32 (`np.exp(np.float32(88))` is $1.65\cdot 10^{38}$,
# `np.exp(np.float32(89))` is `inf`) or 709.78 in float64. At the other end it returns exactly 0
# below about $-104$ in float32 and $-745$ in float64, just past the logarithms of the smallest
# (subnormal) positive numbers, $1.4\cdot 10^{-45}$ and $4.9\cdot 10^{-324}$. The formula above
# then fails in two ways:
#
# * one large logit: $e^{1000}/(e^{1000} + e^{0}) = \infty/\infty =$ `nan`;
# * all logits very negative: $e^{-1000}/(e^{-1000} + e^{-1000}) = 0/0 =$ `nan`, although the
#   answer is $(\frac{1}{2}, \frac{1}{2})$.
#
# Logits of size 100 or 1000 are not exotic: they appear when a network becomes confident or a
# learning rate is a little too large. In float16, whose largest number is 65504, $e^{z}$
# overflows already for $z > 11.09$.

# %%
# A demonstration, not an exercise: the textbook softmax in floating point.
def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


with np.errstate(over="ignore", invalid="ignore"):
    print("exp(88) in float32:", np.exp(np.float32(88.0)))
    print("exp(89) in float32:", np.exp(np.float32(89.0)))
    print("naive softmax([1000, 0]):     ", naive_softmax(np.array([1000.0, 0.0])))
    print("naive softmax([-1000, -1000]):", naive_softmax(np.array([-1000.0, -1000.0])))
    print("naive softmax([90, 0]) float32:", naive_softmax(np.array([90.0, 0.0], np.float32)))

# %% [markdown]
# ### The log-sum-exp trick
#
# Use shift invariance with $c = m = \max_i z_i$:
# $$\mathrm{softmax}(z)_j = \frac{e^{z_j - m}}{\sum_i e^{z_i - m}} .$$
# Mathematically nothing has changed. Numerically, everything has:
#
# * every exponent $z_i - m$ is $\le 0$, so every $e^{z_i - m}$ lies in $(0, 1]$: **no
#   overflow**;
# * the maximizer contributes $e^0 = 1$ exactly, so the denominator $S = \sum_i e^{z_i - m}$
#   lies in $[1, k]$: **no division by 0**;
# * a term that underflows to 0 has $z_i - m < -745$ (float64), so its true probability is below
#   $e^{-745}$: returning 0 for it is correct to working precision.
#
# **Task.** Implement `softmax(z, axis=-1)`: `z` is array_like with at least one axis, and the
# probabilities sum to 1 along `axis` (negative values count from the end; use
# `np.max(..., keepdims=True)` so that the shapes broadcast). Keep the dtype: float32 logits give
# float32 probabilities and float64 give float64 (lists and integers become float64; the
# helpers do all this). The result must be finite for logits up to $\pm 10^4$ in both
# precisions. Validate with `_as_float_array` and `_check_axis`.

# %% role="function" name="softmax"

# %% role="tests" name="softmax"

# %% [markdown]
# ## 3. The log-softmax
#
# Losses and likelihoods need $\log\mathrm{softmax}(z)_j$, not the probability itself. With
# $m = \max_i z_i$,
# $$\log\mathrm{softmax}(z)_j = z_j - \mathrm{LSE}(z) = (z_j - m) - \log\sum_i e^{z_i - m} .$$
# As in Section 2 the sum lies in $[1, k]$, so its logarithm lies in $[0, \log k]$: the result is
# finite and accurate, even for classes whose probability is far too small to be represented.
#
# **Why `np.log(softmax(z))` is wrong.** Even with a perfectly stable softmax, a probability
# below $e^{-745}$ (float64) or $e^{-104}$ (float32) is stored as 0, and its logarithm is
# $-\infty$. So `np.log(softmax([1000.0, 0.0]))` gives $(0, -\infty)$ instead of $(0, -1000)$,
# and in float32 already `[0, -200]` fails. The information was not lost by the logarithm: it
# was lost when $e^{-1000}$ was rounded to 0, one step earlier. A loss built on it becomes `inf`
# for one confidently wrong example, and the whole batch's mean with it. Computing in log space
# from the start keeps $-1000$ as the number $-1000$.

# %%
# A demonstration, not an exercise: the logarithm of a (stable) softmax in float32.
logits32 = np.array([0.0, -200.0], dtype=np.float32)
shifted = np.exp(logits32 - logits32.max())
with np.errstate(divide="ignore"):
    print("log(softmax([0, -200])) in float32:", np.log(shifted / shifted.sum()))

# %% [markdown]
# **Task.** Implement `log_softmax(z, axis=-1)` with the same conventions as `softmax` (axis,
# dtype, validation), by the formula above.

# %% role="function" name="log_softmax"

# %% role="tests" name="log_softmax"

# %% [markdown]
# ### Plot (a): where the naive formulas break
#
# Take the logits $s\,(1, 0, -1)$ for $s$ in `np.geomspace(1, 1e4, 400)`, in float32 and in
# float64. Left: the largest probability (entry 0) computed by `naive_softmax` and by your
# `softmax`, with vertical lines at $s = 88.72$ and $s = 709.78$, where $e^s$ overflows. Right:
# minus the log of the smallest probability (entry 2, about $2s$), computed as
# `-np.log(softmax(...))` and as `-log_softmax(...)`, on log-log axes. Matplotlib leaves out
# `nan` and `inf`, so a curve that stops has broken; draw the naive values as sparse markers, or
# they hide under the stable curves. Silence the warnings of the naive formulas
# with `np.errstate(over="ignore", invalid="ignore", divide="ignore")`.

# %%
import matplotlib.pyplot as plt

# %% role="solution"
s_values = np.geomspace(1.0, 1e4, 400)
direction = np.array([1.0, 0.0, -1.0])
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for dtype, color, marker in ((np.float32, "tab:blue", "o"), (np.float64, "tab:orange", "x")):
    name = np.dtype(dtype).name
    batch = (s_values[:, None] * direction).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive_top = np.array([naive_softmax(row)[0] for row in batch])
        log_of_softmax = -np.log(softmax(batch)[:, 2])
    marks = {"color": color, "linestyle": "none", "marker": marker, "markevery": 12}
    ax1.semilogx(s_values, naive_top, **marks, label=f"naive, {name}")
    ax1.semilogx(s_values, softmax(batch)[:, 0], color=color, label=f"stable, {name}")
    ax2.loglog(s_values, log_of_softmax, **marks, label=f"-log(softmax), {name}")
    ax2.loglog(s_values, -log_softmax(batch)[:, 2], color=color, label=f"-log_softmax, {name}")
for limit, name in ((88.72, "float32"), (709.78, "float64")):
    ax1.axvline(limit, color="gray", linestyle=":")
    ax1.text(limit * 1.1, 0.8, f"$e^s$ overflows\nin {name}", fontsize=8)
ax1.set_xlabel("scale $s$")
ax1.set_ylabel("largest probability")
ax1.set_title(r"Largest entry of softmax$(s\,(1, 0, -1))$")
ax1.legend(loc="lower right")
ax2.set_xlabel("scale $s$")
ax2.set_ylabel("$-\\log$ of the smallest probability")
ax2.set_title("Log of a tiny probability")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 4. The cross-entropy loss
#
# A batch of $B$ examples has logits $Z \in \mathbb{R}^{B \times k}$ (row $z_i$) and labels
# $y_i \in \{0, \dots, k-1\}$. The model gives the right class of example $i$ the probability
# $\mathrm{softmax}(z_i)_{y_i}$, and the **cross-entropy loss** is the mean negative
# log-likelihood
# $$\mathcal{L}(Z, y) = \frac{1}{B}\sum_{i=1}^{B}\ell(z_i, y_i), \qquad
# \ell(z, y) = -\log\mathrm{softmax}(z)_y = \mathrm{LSE}(z) - z_y .$$
# Minimizing it is maximum likelihood for the model "label $\sim$ Categorical(softmax(logits))",
# and it is the cross-entropy $-\sum_j q_j\log p_j$ between the one-hot distribution $q = e_y$ and
# the prediction $p$. A uniform guess ($z = 0$) costs $\log k$ per example.
#
# **Claim: $0 < \ell(z, y) < \infty$ for all finite logits and $k \ge 2$.** Write
# $p_y = e^{z_y}/\sum_j e^{z_j}$. Every term of the sum is positive, so $p_y > 0$; and the sum
# contains $e^{z_y}$ and at least one more positive term, so $p_y < 1$. Since $-\log$ maps
# $(0, 1)$ onto $(0, \infty)$, $0 < -\log p_y < \infty$. $\square$
#
# The bounds on LSE from Section 1 sharpen this to
# $\max_j z_j - z_y \le \ell(z, y) \le \max_j z_j - z_y + \log k$: the loss is about the amount
# by which the right logit trails the largest one, and for a correct prediction it is at most
# $\log k$. Two consequences:
#
# * **The infimum 0 is never attained.** No finite logits give loss 0, so on data that can be
#   classified perfectly, minimizing the cross-entropy pushes the logits (and the weights) to
#   infinity; Section 6 makes this precise.
# * **Floating point can return both forbidden values.** `-np.log(softmax(z)[y])` is `inf` when
#   the probability underflows (Section 3), and a probability that rounds to 1 gives exactly 0.
#   The first is avoided by computing $\ell = \mathrm{LSE}(z) - z_y$ with `log_softmax`; the
#   second is the subject of Section 6.
#
# **Task.** Implement `cross_entropy(logits, y)`: `logits` of shape $(B, k)$, $B, k \ge 1$ (else
# `ValueError` naming `logits`), `y` of shape $(B,)$ with integer labels in $[0, k)$ (else
# `ValueError` naming `y`). Return the mean over the batch as a Python `float`, computed with your
# `log_softmax` (pick entry $(i, y_i)$ with `array[np.arange(B), y]`). It must stay finite for
# logits of size $10^4$.

# %% role="function" name="cross_entropy"

# %% role="tests" name="cross_entropy"

# %% [markdown]
# ## 5. The gradient: softmax minus one-hot
#
# Differentiate $\ell(z, y) = \log\sum_i e^{z_i} - z_y$ with respect to $z_j$:
# $$\frac{\partial\ell}{\partial z_j} = \frac{e^{z_j}}{\sum_i e^{z_i}} - [j = y]
# = \mathrm{softmax}(z)_j - [j = y], \qquad\text{i.e.}\qquad
# \nabla_z\,\ell = \mathrm{softmax}(z) - e_y .$$
# Row $i$ of the logits enters only the $i$-th term of the mean, so
# $$\nabla_Z\,\mathcal{L} = \frac{1}{B}\bigl(\mathrm{softmax}(Z) - \mathrm{onehot}(y)\bigr),$$
# the softmax taken row by row. Worth noticing:
#
# * the wrong classes get positive entries $p_j$ (gradient descent lowers their logits), the
#   right class the negative entry $p_y - 1$ (its logit is raised);
# * every row sums to 0, the gradient form of shift invariance: moving all logits of a row
#   together does not change the loss;
# * the gradient is bounded (each row has length at most $\sqrt{2}$ before the $1/B$), and it is
#   computed from a stable softmax, so no logarithm or exponential of a large number appears;
# * **saturation** (plot (b) below): for a confident correct prediction the gradient tends to 0,
#   for a confident wrong one it tends to $e_{\text{argmax}} - e_y$, which does not vanish.
#   Compare a sigmoid output trained with squared error, whose gradient carries the factor
#   $\sigma' \approx 0$ and vanishes in *both* cases: confidently wrong predictions learn slowly.
#   The logarithm in the cross-entropy cancels the exponential in the softmax.
#
# **Task.** Implement `cross_entropy_grad(logits, y)`, the gradient of `cross_entropy` with
# respect to `logits`: an array of shape $(B, k)$, same validation as `cross_entropy`. Do not
# forget the $1/B$ of the mean.

# %% role="function" name="cross_entropy_grad"

# %% role="tests" name="cross_entropy_grad"

# %% [markdown]
# A gradient formula should always be checked against finite differences. The next cell
# compares yours with central differences $(\mathcal{L}(Z + hE) - \mathcal{L}(Z - hE))/(2h)$,
# one entry at a time; the difference should be around $10^{-10}$.

# %%
rng = np.random.default_rng(0)
logits_check = rng.normal(size=(3, 4))
labels_check = np.array([0, 3, 1])
h = 1e-6
numeric_grad = np.zeros_like(logits_check)
for index in np.ndindex(logits_check.shape):
    step = np.zeros_like(logits_check)
    step[index] = h
    numeric_grad[index] = (
        cross_entropy(logits_check + step, labels_check)
        - cross_entropy(logits_check - step, labels_check)
    ) / (2 * h)
analytic_grad = cross_entropy_grad(logits_check, labels_check)
print("largest difference:", np.max(np.abs(analytic_grad - numeric_grad)))

# %% [markdown]
# ### Plot (b): temperature and saturation
#
# Take the logits $z = (2, 1, -1)$ and the scales $t$ in `np.geomspace(0.01, 100, 200)` (a scale
# $t$ is a temperature $T = 1/t$). Left: the three entries of $\mathrm{softmax}(t z)$ against
# $t$ (log axis). Right: the length of the gradient of the loss with respect to the logits,
# $\|\mathrm{softmax}(tz) - e_y\|$ (`cross_entropy_grad` of the single row $tz$, $B = 1$), when
# the label is the largest logit ($y = 0$) and when it is the smallest ($y = 2$). For small $t$
# every class gets about $1/3$; for large $t$ the softmax **saturates** to a one-hot vector.
# Then a correct prediction gets almost no gradient, while a confidently wrong one keeps a
# gradient of length close to $\sqrt{2}$: the loss keeps pushing it.

# %% role="solution"
z_fixed = np.array([2.0, 1.0, -1.0])
scales = np.geomspace(0.01, 100.0, 200)
probabilities = np.array([softmax(t * z_fixed) for t in scales])
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for j in range(3):
    ax1.semilogx(scales, probabilities[:, j], label=f"class {j}, logit {z_fixed[j]:g}")
ax1.axhline(1.0 / 3.0, color="gray", linestyle=":", label="1/3")
ax1.set_xlabel("scale $t$ (temperature $1/t$)")
ax1.set_ylabel(r"$\mathrm{softmax}(t z)_j$")
ax1.set_title("Softmax of scaled logits")
ax1.legend()
for label, name in ((0, "right: y = 0 (largest logit)"), (2, "wrong: y = 2 (smallest logit)")):
    lengths = [
        np.linalg.norm(cross_entropy_grad((t * z_fixed)[None, :], np.array([label])))
        for t in scales
    ]
    ax2.semilogx(scales, lengths, label=name)
ax2.axhline(np.sqrt(2.0), color="gray", linestyle=":", label=r"$\sqrt{2}$")
ax2.set_xlabel("scale $t$")
ax2.set_ylabel(r"$\|\mathrm{softmax}(tz) - e_y\|$")
ax2.set_title("Length of the cross-entropy gradient")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 6. Driving the loss to zero
#
# Take the one-hot logits scaled by $\lambda$: $z = \lambda e_y$, that is $\lambda$ for the right
# class and 0 for the $k - 1$ others. Then
# $$\mathrm{softmax}(\lambda e_y)_y = \frac{e^{\lambda}}{e^{\lambda} + k - 1}, \qquad
# \ell(\lambda e_y, y) = \log\bigl(e^{\lambda} + k - 1\bigr) - \lambda
# = \log\bigl(1 + (k-1)\,e^{-\lambda}\bigr).$$
#
# * At $\lambda = 0$ the loss is $\log k$, the uniform guess.
# * As $\lambda \to \infty$, $u = (k-1)e^{-\lambda} \to 0$, so $\ell \to \log 1 = 0$; since
#   $\log(1 + u) \approx u$, the loss decays exponentially, $\ell \approx (k-1)e^{-\lambda}$,
#   and never reaches 0 (Section 4).
# * As $\lambda \to -\infty$, $\ell \approx -\lambda + \log(k-1)$ grows linearly: a confidently
#   wrong logit costs about its size.
#
# So the loss can be made as small as we like, but only by letting the logits grow without
# bound. This is what happens when a network is trained long enough on separable data: the
# logits, and the norm of the weights, keep growing. (For linear models gradient descent then
# converges in *direction* to the maximum-margin classifier; Soudry et al., 2018.)
#
# ### Catastrophic cancellation
#
# The formula $\log((k-1) + e^{\lambda}) - \lambda$ subtracts two numbers of size about
# $\lambda$, each of which carries a rounding error of about $\lambda\,\epsilon_{\text{mach}}$
# ($\epsilon_{\text{mach}} = 2^{-52} \approx 2.2\cdot 10^{-16}$). Their difference,
# $\approx (k-1)e^{-\lambda}$, is tiny, so its *relative* error can reach
# $\lambda\,\epsilon_{\text{mach}}\,e^{\lambda}/(k-1)$; it is $10^{-7}$ at $\lambda = 20$, 25% at
# $\lambda = 35$ (for $k = 10$), and from $\lambda \approx 36$ on the two numbers are equal in
# floating point and the result is **exactly 0**, a value the loss can never take. At
# $\lambda = 710$, $e^{\lambda}$ overflows and the result is `inf`. The subtraction itself is
# exact; it only *reveals* the rounding errors made before it, by removing the leading digits
# that agreed. This is **catastrophic cancellation**.
#
# **The cure is algebra before arithmetic.** The equivalent form $\log(1 + u)$ with
# $u = (k-1)e^{-\lambda}$ computes $u$ to full relative precision (one exponential, one
# product), but `np.log(1 + u)` still rounds $1 + u$ first: digits of $u$ below
# $\epsilon_{\text{mach}}$ are lost, and for $u < 1.1\cdot 10^{-16}$ ($\lambda \gtrsim 39$) the
# sum is exactly 1 and its log is 0. The function `np.log1p(u)` $= \log(1 + u)$ is evaluated
# without forming $1 + u$ (for tiny $u$ it is essentially $u - u^2/2$), so
# $\operatorname{log1p}\bigl((k-1)e^{-\lambda}\bigr)$ is accurate to the last digit:
# $1.735874863167526\cdot 10^{-21}$ for $k = 10$, $\lambda = 50$, and $8.87\cdot 10^{-304}$ at
# $\lambda = 700$. For $\lambda < 0$, $u$ is large and the same formula is still fine, until
# $e^{-\lambda}$ overflows near $\lambda = -709$; there
# $\ell = -\lambda + \log(k-1) + \operatorname{log1p}\bigl(e^{\lambda}/(k-1)\bigr)$, a sum of
# positive terms, has no cancellation at all.
#
# **And the stable `log_softmax`?** It computes $-\ell = (z_y - m) - \log S$ with
# $S = 1 + (k-1)e^{-\lambda}$ rounded, which is the $\log(1 + u)$ route: `cross_entropy` of
# the logits `[[50.0, 0.0]]` with label 0 is exactly 0.0. Its *absolute* error stays below
# $10^{-16}$, so this is harmless for training: a loss of $10^{-21}$ or of 0 gives the same
# update. Relative precision matters when the small number itself is wanted: a log-likelihood of
# a rare event, a ratio of two small losses, or a loss on a logarithmic axis as in plot (c).
#
# **Task.** Implement `scaled_onehot_ce(lam, y, k)` $= \ell(\lambda e_y, y)$ as a Python
# `float` with **relative error at most $10^{-10}$** for $\lambda \in [-50, 700]$. `lam` must be a
# finite real scalar, `k` an integer $\ge 2$ and `y` an integer in $[0, k)$ (else `ValueError`
# naming the argument). By symmetry the value does not depend on `y`, but `y` must still be
# valid.

# %% role="function" name="scaled_onehot_ce"

# %% role="tests" name="scaled_onehot_ce"

# %% [markdown]
# ### Plot (c): three formulas for one small number
#
# For $k = 10$ and $\lambda$ in `np.linspace(0, 60, 601)`, plot on a logarithmic $y$ axis:
# `scaled_onehot_ce(lam, 0, 10)`, the textbook $\log((k-1) + e^{\lambda}) - \lambda$, and
# `np.log(1 + (k - 1) * np.exp(-lam))` (left); and the relative errors of the last two against
# `scaled_onehot_ce`, with the guide line $\epsilon_{\text{mach}}\,e^{\lambda}/(k-1)$ (right).
# A value of exactly 0 has no place on a log axis: Matplotlib draws the curve plunging off the
# bottom of the plot. Relative errors of exactly 0 or exactly 1 are clipped to the axis limits.

# %% role="solution"
k_classes = 10
lams = np.linspace(0.0, 60.0, 601)
exact = np.array([scaled_onehot_ce(lam, 0, k_classes) for lam in lams])
textbook = np.log((k_classes - 1) + np.exp(lams)) - lams
without_log1p = np.log(1.0 + (k_classes - 1) * np.exp(-lams))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.semilogy(lams, exact, linewidth=3, label="log1p((k-1) exp(-lam))")
ax1.semilogy(lams, textbook, "--", label="log((k-1) + exp(lam)) - lam")
ax1.semilogy(lams, without_log1p, ":", label="log(1 + (k-1) exp(-lam))")
ax1.set_xlabel(r"$\lambda$")
ax1.set_ylabel(r"$\ell_{CE}(\lambda e_y, y)$, $k = 10$")
ax1.set_title("The loss along the one-hot direction")
ax1.legend()
for values, style, name in ((textbook, "--", "textbook"), (without_log1p, ":", "log(1 + u)")):
    relative = np.abs(values - exact) / exact
    ax2.semilogy(lams, np.clip(relative, 1e-17, 1.0), style, label=name)
eps_mach = np.finfo(np.float64).eps
guide = eps_mach * np.exp(lams) / (k_classes - 1)
ax2.semilogy(lams, guide, "k", linewidth=0.8, label=r"$\epsilon_{mach}\,e^{\lambda}/(k-1)$")
ax2.set_ylim(1e-17, 2.0)
ax2.set_xlabel(r"$\lambda$")
ax2.set_ylabel("relative error")
ax2.set_title("Relative error of the cancelling formulas")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Written question (3 points)
#
# Using plots (a) and (c), explain **why the naive formulas fail and what the stable ones do
# differently**:
#
# 1. why `exp(z) / exp(z).sum()` returns `nan` for large logits (at which scale, in float32 and in
#    float64) and for very negative ones, and why subtracting the maximum changes nothing
#    mathematically but everything numerically;
# 2. why `log(softmax(z))` returns $-\infty$ where `log_softmax` returns the right finite
#    number;
# 3. why $\log((k-1) + e^{\lambda}) - \lambda$ is exactly 0 for $\lambda \gtrsim 36$ ($k = 10$)
#    although the loss is positive, why $\log(1 + u)$ is only a little better, and what `log1p`
#    does differently.
#
# Which of these failures would spoil training, and which matter only when the small number
# itself is wanted?

# %% [markdown] role="written" grade_id="stability_explained" points=3
# **Overflow and the max shift.** `np.exp` overflows to `inf` above $88.72$ in float32 and
# $709.78$ in float64. In plot (a) the naive largest probability is correct up to $s \approx 89$
# (float32) and $s \approx 710$ (float64) and then becomes $\infty/\infty =$ `nan`. Very negative
# logits fail the other way: every $e^{z_i}$ underflows to 0 and the result is $0/0 =$ `nan`.
# The stable softmax multiplies numerator and denominator by $e^{-m}$, $m = \max_i z_i$; the
# factor cancels, so the value is the same. But now every exponent is $\le 0$ (no overflow), the
# largest term is exactly 1, so the denominator is in $[1, k]$ (no $0/0$), and the only terms
# that underflow are probabilities below $e^{-745}$, for which 0 is the correct rounded value.
# The stable curves in plot (a) are right up to $s = 10^4$ in both precisions.
#
# **The logarithm of an underflowed probability.** The smallest probability in plot (a) is about
# $e^{-2s}$. It underflows to 0 once $2s > 104$ (float32) or $2s > 745$ (float64), and
# `-log(softmax)` becomes $\infty$ there; before that, it is accurate. The logarithm is not to
# blame: the information was destroyed when $e^{-2s}$ was rounded to 0. `log_softmax` never
# forms the probability. It computes $(z_j - m) - \log S$ with $S \in [1, k]$: a difference of
# moderate numbers, so $-\log p \approx 2s$ stays exact up to $s = 10^4$.
#
# **Cancellation.** $\log((k-1) + e^{\lambda})$ and $\lambda$ agree in their leading digits, and
# each carries a rounding error of up to about $\lambda\,\epsilon_{\text{mach}}$. Their
# difference, about $(k-1)e^{-\lambda}$, therefore has a relative error that grows like
# $e^{\lambda}$: about $\epsilon_{\text{mach}}\,e^{\lambda}/(k-1)$ up to a factor between 1
# and $\lambda$, as the guide line in plot (c) shows. Once the true value is
# below half a unit in the last place of $\lambda$ (at $\lambda \approx 36$ for $k = 10$), the two
# numbers are equal in floating point and the difference is exactly 0. Rewriting the formula as
# $\log(1 + u)$ with $u = (k-1)e^{-\lambda}$ removes the subtraction of two large numbers, but
# $1 + u$ is still rounded: the relative error is still about $\epsilon_{\text{mach}}/u$, and
# $1 + u = 1$ exactly once $u < 1.1\cdot 10^{-16}$ ($\lambda \approx 39$). `log1p(u)` computes
# $\log(1 + u)$ from $u$ itself, never forming $1 + u$, so it keeps $u$'s full relative precision.
# In plot (c) it decreases along a straight line, like $9e^{-\lambda}$, to $10^{-22}$ and beyond.
#
# **What matters for training.** The `nan` and `inf` of the first two failures spoil training:
# one bad example makes the loss and every gradient `nan`, and the weights with them. The
# cancellation of the third has absolute error about $10^{-16}$. A loss of $10^{-21}$ and a loss
# of 0 give the same update, and the gradient $\mathrm{softmax} - e_y$ is computed stably anyway.
# It matters only when the tiny number itself is the result: log-probabilities of rare events,
# ratios of small losses, or plots on a logarithmic scale.
