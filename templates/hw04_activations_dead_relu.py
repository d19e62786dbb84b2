# %% [markdown]
# # Homework 4: Activation functions and dead ReLUs
#
# Without a nonlinear activation between its layers a network is a product of matrices, a linear
# map. Which nonlinearity is used decides how smooth the network is, how its parameters can be
# rescaled without changing the function, and how gradients flow through it during training. In
# this notebook you will compare ReLU, leaky ReLU, sigmoid, tanh and softplus: compute softplus
# and its second derivative without overflow, prove that softplus has a Lipschitz derivative
# while ReLU does not, turn any tanh network into a sigmoid network that computes the same
# function, and study **dead ReLU units**, neurons that no data point switches on. Gradient
# descent can never bring such a unit back, while a leaky ReLU can, and a deep, narrow ReLU
# network can be dead from the very start.
#
# **Grading.**
#
# * Six functions are graded automatically: write your code where it says `# YOUR CODE HERE`
#   (and remove the `raise NotImplementedError()`). Each is followed by a test cell showing a few
#   checks; many more are hidden, so passing the visible ones is not enough for full marks.
# * Do not rename functions, change their parameters, or delete, copy or move cells.
# * Invalid arguments must raise `ValueError` with a message naming the argument.
# * Plots are not graded, but you need them for the written question (3 points, graded by hand).
# * Before submitting, run *Kernel → Restart & Run All*; the notebook takes a few seconds.
#
# The next cell imports `numpy as np`, and `numpy.typing as npt` for type hints.

# %% role="imports"

# %% [markdown]
# ### Provided helpers
#
# The next cell is given to you (read it, do not change it). You may call its helpers:
#
# * `_as_real(value, name, ndim=None, finite=True)` returns `value` as a new float64 array, or
#   raises `ValueError` naming `name` unless it is real, has `ndim` axes (when given) and, with
#   `finite=True`, contains no `nan` or $\pm\infty$.
# * `_sigmoid(z)` is the logistic function $1/(1 + e^{-z})$ of a float array, computed without
#   overflow (Section 2 explains how).
# * `_leaky_relu(z, slope)` returns the pair (activation, derivative) of the leaky ReLU with that
#   negative slope, elementwise, with the derivative at 0 equal to `slope` (Section 5).

# %% role="provided" names="_as_real _sigmoid _leaky_relu"

# %% [markdown]
# ## 1. Five activations
#
# | name | $\phi(z)$ | $\phi'(z)$ | range |
# |---|---|---|---|
# | ReLU | $\max(0, z)$ | $1$ for $z > 0$, $0$ for $z < 0$ | $[0, \infty)$ |
# | leaky ReLU | $\max(z, \alpha z)$ | $1$ for $z > 0$, $\alpha$ for $z < 0$ | $\mathbb{R}$ |
# | sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$ | $(0, 1)$ |
# | tanh | $\dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh^2 z$ | $(-1, 1)$ |
# | softplus | $\log(1 + e^{z})$ | $\sigma(z)$ | $(0, \infty)$ |
#
# ReLU and leaky ReLU (slope $0 < \alpha < 1$, often $0.01$) are piecewise linear and have no
# derivative at 0; code must pick a value there, and this course uses $\phi'(0) = 0$ for ReLU and
# $\phi'(0) = \alpha$ for leaky ReLU (the left derivative). The other three are smooth.
#
# **ReLU is idempotent: $\mathrm{ReLU}(\mathrm{ReLU}(z)) = \mathrm{ReLU}(z)$.** For every $z$,
# $u = \mathrm{ReLU}(z) \ge 0$, and ReLU is the identity on $[0, \infty)$, so
# $\mathrm{ReLU}(u) = u$. $\square$ Geometrically, ReLU applied to a vector is the closest-point
# projection onto the orthant $[0, \infty)^n$, and projecting twice is projecting once. So two
# ReLUs in a row with nothing in between add nothing: the depth of a network comes from the
# linear maps *between* the activations. No other activation in the table is idempotent: leaky
# ReLU twice is $\alpha^2 z$ for $z < 0$, and $\sigma(\sigma(0)) = \sigma(\frac{1}{2}) \ne
# \sigma(0)$.
#
# ReLU is also **positively homogeneous**, $\mathrm{ReLU}(cz) = c\,\mathrm{ReLU}(z)$ for $c \ge 0$:
# multiplying the weights and the bias into a unit by $c > 0$ and the weights out of it by $1/c$
# leaves the network's function unchanged. Section 4 uses a rescaling of the weights, with a
# shift of the biases, to trade tanh for the sigmoid.

# %% [markdown]
# ## 2. Softplus, computed safely
#
# Softplus is a smooth ReLU: $\log(1 + e^{z}) \ge \max(0, z)$, the gap is largest at $z = 0$,
# where it is $\log 2$, and it decays like $e^{-|z|}$ on both sides. Its narrower versions
# $\frac{1}{\beta}\log(1 + e^{\beta z})$ tend to ReLU as $\beta \to \infty$ (Homework 1). The
# textbook formula has two problems in float64:
#
# * **overflow** for $z > 709.78$: `np.log(1 + np.exp(710.0))` is `inf` (true value: 710);
# * **lost digits** for very negative $z$: `np.log(1 + np.exp(-40.0))` rounds $1 + e^{-40}$ to 1
#   and returns 0, while the true value is $e^{-40} \approx 4.2\cdot 10^{-18}$.
#
# Factor out the larger of $1$ and $e^{z}$:
# $$\log(1 + e^{z}) = \max(z, 0) + \log\bigl(1 + e^{-|z|}\bigr).$$
# Now the exponential is of $-|z| \le 0$ and lies in $(0, 1]$, and `np.log1p` (Homework 3)
# evaluates $\log(1 + u)$ to full relative precision even when $u$ is tiny.
#
# **Task.** Implement `softplus(z)`: `z` is array_like and real (`ValueError` naming `z`
# otherwise); return a float64 array of the shape of `z`, accurate to full relative precision
# for $|z|$ up to $10^4$ and beyond.

# %% role="function" name="softplus"

# %% role="tests" name="softplus"

# %% [markdown]
# ## 3. Smoothness: softplus' is Lipschitz, ReLU' is not even continuous
#
# **The derivatives of softplus.** By the chain rule,
# $$\frac{d}{dz}\log(1 + e^{z}) = \frac{e^{z}}{1 + e^{z}} = \frac{1}{1 + e^{-z}} = \sigma(z),
# \qquad
# \sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\bigl(1 - \sigma(z)\bigr),$$
# the last step because $1 - \sigma(z) = e^{-z}/(1 + e^{-z})$.
#
# **Claim: $\sigma$ is Lipschitz with constant $\frac{1}{4}$, and no smaller constant works.**
# With $s = \sigma(z) \in (0, 1)$, $s(1 - s) = \frac{1}{4} - (s - \frac{1}{2})^2 \le \frac{1}{4}$,
# with equality only at $s = \frac{1}{2}$, i.e. $z = 0$. By the mean value theorem, for all
# $a, b$ there is a $\xi$ between them with
# $$|\sigma(a) - \sigma(b)| = \sigma'(\xi)\,|a - b| \le \tfrac{1}{4}\,|a - b| .$$
# And $(\sigma(h) - \sigma(0))/h \to \sigma'(0) = \frac{1}{4}$ as $h \to 0$, so any smaller
# constant fails near 0. $\square$ In optimization language, softplus is **$\frac{1}{4}$-smooth**
# (its gradient is Lipschitz), the assumption under which gradient descent with a step below
# $2/L$ provably decreases a loss.
#
# **ReLU' has no Lipschitz constant.** $\mathrm{ReLU}'(h) - \mathrm{ReLU}'(-h) = 1$ for every
# $h > 0$, while the points are only $2h$ apart, so the ratio $1/(2h)$ is unbounded; ReLU' is not
# even continuous at 0. (ReLU itself is Lipschitz with constant 1; it is its *derivative* that
# jumps. In the language of Homework 1, $\mathrm{ReLU}'' = \delta$, while softplus$''$ is the
# bump $\sigma(1 - \sigma)$ of height $\frac{1}{4}$ and area 1.)
#
# **Computing $\sigma(1 - \sigma)$.** The literal product fails at both ends: for $z = 40$,
# $\sigma(z)$ rounds to 1 and the product is 0 instead of $4.2\cdot 10^{-18}$, and for
# $z = -1000$, $e^{-z}$ overflows (with a warning). The function is even
# ($\sigma(-z) = 1 - \sigma(z)$), and
# $$\sigma(z)\,\bigl(1 - \sigma(z)\bigr) = \frac{e^{-|z|}}{\bigl(1 + e^{-|z|}\bigr)^2}$$
# has neither problem.
#
# **Task.** Implement `softplus_second_derivative(z)` $= \sigma(z)(1 - \sigma(z))$, a float64
# array of the shape of `z` (`ValueError` naming `z` if it is not real), accurate for large $|z|$.

# %% role="function" name="softplus_second_derivative"

# %% role="tests" name="softplus_second_derivative"

# %% [markdown]
# ### Plot (a): the activations and their derivatives
#
# On $[-4, 4]$ (`np.linspace(-4, 4, 801)`), plot the five activations (left; leaky ReLU with
# $\alpha = 0.1$) and their derivatives (right), using your `softplus` and
# `softplus_second_derivative` where they apply. Look at the jumps of the ReLU derivatives, the
# height $\frac{1}{4}$ of $\sigma'$ against 1 for $\tanh'$, and at how ReLU and softplus meet for
# large $|z|$.

# %%
import matplotlib.pyplot as plt

# %% role="solution"
zs = np.linspace(-4.0, 4.0, 801)
alpha = 0.1
sigmoid = 1.0 / (1.0 + np.exp(-zs))
leaky = (np.where(zs > 0, zs, alpha * zs), np.where(zs > 0, 1.0, alpha))
activations = {
    "ReLU": (np.maximum(zs, 0.0), (zs > 0).astype(float)),
    rf"leaky ReLU, $\alpha = {alpha}$": leaky,
    "sigmoid": (sigmoid, softplus_second_derivative(zs)),
    "tanh": (np.tanh(zs), 1.0 - np.tanh(zs) ** 2),
    "softplus": (softplus(zs), sigmoid),
}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for label, (values, derivative) in activations.items():
    ax1.plot(zs, values, label=label)
    ax2.plot(zs, derivative, label=label)
ax1.set_ylim(-1.5, 4.0)
ax1.set_title("Activations")
ax2.axhline(0.25, color="gray", linestyle=":", linewidth=1)
ax2.set_title("Derivatives (dotted: 1/4)")
for ax in (ax1, ax2):
    ax.axhline(0.0, color="gray", linewidth=0.5)
    ax.set_xlabel("$z$")
    ax.legend()
fig.tight_layout()
plt.show()


# %% [markdown]
# ## 4. Tanh and sigmoid are the same activation, rescaled
#
# Multiply the numerator and the denominator of $\tanh z$ by $e^{-z}$:
# $$\tanh z = \frac{1 - e^{-2z}}{1 + e^{-2z}} = \frac{2}{1 + e^{-2z}} - \frac{1 + e^{-2z}}{1 +
# e^{-2z}} = 2\,\sigma(2z) - 1 .$$
# So tanh is the sigmoid squeezed horizontally by 2, stretched vertically by 2 and moved down by
# 1 (from $(0, 1)$ to $(-1, 1)$); conversely $\sigma(u) = \frac{1}{2}(1 + \tanh\frac{u}{2})$.
#
# **Task.** Implement `tanh_from_sigmoid(z)` $= 2\sigma(2z) - 1$ with a sigmoid that does not
# overflow, a float64 array of the shape of `z` (`ValueError` naming `z` if it is not real). A
# safe sigmoid of $u$ is $1/(1 + e^{-u})$ for $u \ge 0$ and $e^{u}/(1 + e^{u})$ for $u < 0$; as
# `np.where` evaluates both branches everywhere, write both with $e^{-|u|}$, as `_sigmoid` does.
# It agrees with `np.tanh` to about $10^{-16}$ *absolute* error; near $z = 0$ the subtraction of
# 1 costs relative accuracy (about 7 digits are left at $z = 10^{-10}$), which is why libraries
# compute tanh differently.

# %% role="function" name="tanh_from_sigmoid"

# %% role="tests" name="tanh_from_sigmoid"

# %% [markdown]
# ### 4.1 A tanh network is a sigmoid network
#
# Take an MLP with weights $W_1, \dots, W_L$ ($W_l$ of shape $(n_l, n_{l-1})$), biases
# $b_1, \dots, b_L$, tanh on the hidden layers and a linear output:
# $$a_0 = x, \qquad a_l = \tanh(W_l a_{l-1} + b_l)\ \ (1 \le l \le L - 1), \qquad
# f(x) = W_L a_{L-1} + b_L .$$
# We look for a sigmoid network $s_0 = x$, $s_l = \sigma(W_l' s_{l-1} + b_l')$,
# $f(x) = W_L' s_{L-1} + b_L'$, whose hidden values are related by $a_l = 2 s_l - 1$, i.e.
# $s_l = \sigma(2u_l)$ where $u_l = W_l a_{l-1} + b_l$ is the tanh network's pre-activation. So
# the sigmoid network's pre-activations must be exactly $2u_l$.
#
# * **First layer** (its input $x$ is shared): $2u_1 = 2W_1 x + 2b_1$, so $W_1' = 2W_1$,
#   $b_1' = 2b_1$.
# * **A later layer** receives $a_{l-1} = 2s_{l-1} - 1$ (with $\mathbf{1}$ the all-ones vector):
#   $$u_l = W_l(2s_{l-1} - \mathbf{1}) + b_l = 2W_l\,s_{l-1} + (b_l - W_l\mathbf{1}),$$
#   where $W_l\mathbf{1}$ is the vector of row sums of $W_l$. A hidden layer needs $2u_l$:
#   $W_l' = 4W_l$, $b_l' = 2(b_l - W_l\mathbf{1})$ for $2 \le l \le L - 1$.
# * **The output layer** is linear and needs $u_L$ itself: $W_L' = 2W_L$,
#   $b_L' = b_L - W_L\mathbf{1}$.
#
# By induction on $l$ both networks compute the same $f$, exactly. With $L = 1$ there is no
# hidden layer and nothing changes. The converse map exists too
# ($\sigma(u) = \frac{1}{2}(1 + \tanh\frac{u}{2})$), so tanh networks and sigmoid networks of the
# same architecture represent **exactly the same functions**. They still *train* differently:
# gradient descent is not invariant under this reparametrization (the map multiplies some weights
# by 4 and shifts biases by row sums, and $\tanh'(0) = 1$ while $\sigma'(0) = \frac{1}{4}$), and
# tanh's outputs are centred at 0 while the sigmoid's are centred at $\frac{1}{2}$.
#
# **Task.** Implement `tanh_to_sigmoid_mlp(weights, biases)`: `weights` and `biases` are
# non-empty lists (or tuples) of the same length, of matrices and vectors whose shapes chain
# (`weights[l]` has `weights[l - 1].shape[0]` columns, `biases[l]` has `weights[l].shape[0]`
# entries); otherwise `ValueError` naming `weights` or `biases`. Return `(weights2, biases2)`,
# two lists of new float64 arrays of the same shapes, without modifying the inputs.

# %% role="function" name="tanh_to_sigmoid_mlp"

# %% role="tests" name="tanh_to_sigmoid_mlp"

# %% [markdown]
# The next cell evaluates a random tanh network with three hidden layers and the sigmoid network
# your function returns, at 100 random inputs; the difference should be around $10^{-15}$.

# %%
def mlp_apply(weights, biases, x, activation):
    """The MLP with `activation` on the hidden layers and a linear output, at the rows of x."""
    a = x.T
    for W, b in zip(weights[:-1], biases[:-1], strict=True):
        a = activation(W @ a + b[:, None])
    return (weights[-1] @ a + biases[-1][:, None]).T


rng = np.random.default_rng(0)
sizes = [3, 8, 8, 5, 2]
tanh_weights = [rng.normal(size=(sizes[k + 1], sizes[k])) for k in range(len(sizes) - 1)]
tanh_biases = [rng.normal(size=m) for m in sizes[1:]]
x_check = rng.normal(size=(100, sizes[0]))
sigmoid_weights, sigmoid_biases = tanh_to_sigmoid_mlp(tanh_weights, tanh_biases)
tanh_output = mlp_apply(tanh_weights, tanh_biases, x_check, np.tanh)
sigmoid_output = mlp_apply(
    sigmoid_weights, sigmoid_biases, x_check, lambda u: 1.0 / (1.0 + np.exp(-u))
)
print("largest difference:", np.max(np.abs(tanh_output - sigmoid_output)))

# %% [markdown]
# ## 5. Dead ReLU units
#
# Take a two-layer network with $H$ hidden units on inputs $x \in \mathbb{R}^d$,
# $$f(x) = v \cdot \phi(Wx + b) + c = \sum_{h=1}^{H} v_h\,\phi(w_h \cdot x + b_h) + c,$$
# with $W$ of shape $(H, d)$ (rows $w_h$), $b, v \in \mathbb{R}^H$, $c \in \mathbb{R}$, and $\phi$
# the leaky ReLU with slope $\alpha \ge 0$ ($\alpha = 0$: ReLU). It is trained on data
# $(x_i, y_i)_{i=1}^N$ by full-batch gradient descent on
# $$\mathcal{L} = \frac{1}{2N}\sum_{i=1}^{N}\bigl(f(x_i) - y_i\bigr)^2 .$$
# Write $z_{ih} = w_h \cdot x_i + b_h$ for the pre-activations and $r_i = f(x_i) - y_i$ for the
# residuals. The chain rule gives
# $$\frac{\partial\mathcal{L}}{\partial c} = \frac{1}{N}\sum_i r_i, \qquad
# \frac{\partial\mathcal{L}}{\partial v_h} = \frac{1}{N}\sum_i r_i\,\phi(z_{ih}), \qquad
# \frac{\partial\mathcal{L}}{\partial b_h} = \frac{v_h}{N}\sum_i r_i\,\phi'(z_{ih}), \qquad
# \frac{\partial\mathcal{L}}{\partial w_h} = \frac{v_h}{N}\sum_i r_i\,\phi'(z_{ih})\,x_i .$$
#
# **Definition.** Unit $h$ is **dead** on the data if $z_{ih} \le 0$ for every $i$: no data point
# switches it on.
#
# **Claim: under ReLU, a dead unit stays dead forever, with its $w_h$, $b_h$ and $v_h$ frozen.**
# If unit $h$ is dead, then $\phi(z_{ih}) = 0$ and $\phi'(z_{ih}) = 0$ for all $i$ (the
# convention $\phi'(0) = 0$ covers $z_{ih} = 0$), so all three sums above vanish: the gradients
# with respect to $w_h$, $b_h$ and $v_h$ are **exactly** 0, whatever the residuals, and one step
# leaves them unchanged. The data do not change either, so the $z_{ih}$ are the same after the
# step and the unit is still dead. By induction on the number of steps it is dead, with the same
# parameters, forever. $\square$ The other units, and $c$, keep training; a dead unit contributes
# nothing to $f$, as if it had been deleted. So under ReLU the fraction of dead units can only
# grow during training, and it does grow when a large step pushes some unit's hyperplane
# $w_h \cdot x + b_h = 0$ past all the data.
#
# **A leaky unit can revive.** With $\alpha > 0$, a unit with all $z_{ih} \le 0$ computes the
# linear function $\alpha(w_h \cdot x + b_h)$ on the data and has $\phi'(z_{ih}) = \alpha$, so
# $$\frac{\partial\mathcal{L}}{\partial b_h} = \frac{\alpha\,v_h}{N}\sum_i r_i, \qquad
# \frac{\partial\mathcal{L}}{\partial w_h} = \frac{\alpha\,v_h}{N}\sum_i r_i\,x_i, \qquad
# \frac{\partial\mathcal{L}}{\partial v_h} = \frac{\alpha}{N}\sum_i r_i\,z_{ih},$$
# which are nonzero in general and proportional to $\alpha$. The unit keeps moving, and if the
# steps raise $\max_i z_{ih}$ above 0 it is switched on again. This is not guaranteed: the
# direction of the steps depends on the sign of $v_h$ and on the residuals, and a step can just as
# well push the unit further down.
#
# **Fine print.** The argument uses that the unit's inputs are the fixed data. A unit in a deeper
# layer that is dead on the data can revive when the earlier layers change its inputs. "Dead on
# the training data" does not mean dead everywhere: a new input may switch the unit on.
# Stochastic gradient descent changes nothing: a unit dead on all data is dead on every
# minibatch.
#
# **Task.** Implement `dead_relu_units(W, b, X)`: a boolean array of shape $(H,)$, `True` where
# unit $h$ has $w_h \cdot x + b_h \le 0$ for every row $x$ of `X` (shape $(N, d)$). `W` must have
# shape $(H, d)$ and `b` shape $(H,)$; `ValueError` naming the argument if a shape does not
# match or an entry is not finite. Compute all pre-activations at once, `X @ W.T + b`.

# %% role="function" name="dead_relu_units"

# %% role="tests" name="dead_relu_units"

# %% [markdown]
# **Task.** Implement `gd_two_layer(X, y, W, b, v, c, lr, steps, negative_slope=0.0)`: `steps`
# steps of full-batch gradient descent on $\mathcal{L}$ above, with learning rate `lr` and
# $\alpha$ = `negative_slope` ($\phi'(z) = 1$ for $z > 0$ and $\alpha$ for $z \le 0$, so
# $\phi'(0) = \alpha$). Each step computes all four gradients at the current parameters, then
# updates all of them: $\theta \leftarrow \theta - \mathrm{lr}\cdot\nabla_\theta\mathcal{L}$.
# Return the dict `{"W": ..., "b": ..., "v": ..., "c": ...}` (float64 arrays of the input shapes,
# and `c` a Python `float`), without modifying the inputs. Validation: `X` of shape $(N, d)$ with
# $N \ge 1$, `y` of shape $(N,)$, `W`, `b`, `v` of shapes $(H, d)$, $(H,)$, $(H,)$, all finite;
# `c` a finite number; `lr` $> 0$; `steps` an integer $\ge 0$; `negative_slope` $\ge 0$
# (`ValueError` naming the argument). Vectorize over data and units: with $Z$ = `X @ W.T + b` of
# shape $(N, H)$, the gradients are a few matrix products (no loop over $i$ or $h$), and 1000
# steps take a fraction of a second.

# %% role="function" name="gd_two_layer"

# %% role="tests" name="gd_two_layer"

# %% [markdown]
# ### Plot (b): dead units during training
#
# Draw $N = 200$ points $x_i \sim \mathcal{N}(0, I_2)$ with targets
# $y_i = \sin(2x_{i1}) + x_{i2}^2$, and a network with $H = 50$ units: $W$ and $v$ with standard
# normal entries, $c = 0$, and biases drawn from $\mathcal{N}(-3, 1)$, which leaves about half the
# units dead at the start. Train it with `lr = 0.05` for 20 chunks of 25 steps, once with ReLU and
# once with leaky ReLU of slope $0.3$, starting both from the same parameters; after each chunk
# record the fraction of dead units (`dead_relu_units`) and, for each unit dead at the start,
# $\max_i z_{ih}$ (the unit is dead while this is $\le 0$). Left: the two fractions against the
# number of steps. Middle and right: the curves $\max_i z_{ih}$ under ReLU and under leaky ReLU.
# (The slope is large to make the effect visible in 500 steps: the gradient that can revive a unit
# is proportional to $\alpha$, so with the common $\alpha = 0.01$ it is 30 times weaker.)

# %% role="solution"
rng = np.random.default_rng(1)
n_points, dim, width = 200, 2, 50
X_train = rng.normal(size=(n_points, dim))
y_train = np.sin(2.0 * X_train[:, 0]) + X_train[:, 1] ** 2
W_start = rng.normal(size=(width, dim))
b_start = rng.normal(-3.0, 1.0, size=width)
v_start = rng.normal(size=width)
chunks, chunk_steps, lr = 20, 25, 0.05
dead_at_start = dead_relu_units(W_start, b_start, X_train)
steps_done = chunk_steps * np.arange(chunks + 1)

fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for slope, color, ax in ((0.0, "tab:blue", axes[1]), (0.3, "tab:orange", axes[2])):
    params = {"W": W_start, "b": b_start, "v": v_start, "c": 0.0}
    fractions = [dead_at_start.mean()]
    best = [np.max(X_train @ W_start.T + b_start, axis=0)[dead_at_start]]
    for _ in range(chunks):
        W, b, v, c = params["W"], params["b"], params["v"], params["c"]
        params = gd_two_layer(X_train, y_train, W, b, v, c, lr, chunk_steps, negative_slope=slope)
        fractions.append(dead_relu_units(params["W"], params["b"], X_train).mean())
        best.append(np.max(X_train @ params["W"].T + params["b"], axis=0)[dead_at_start])
    name = "ReLU" if slope == 0.0 else f"leaky ReLU, slope {slope}"
    hidden = X_train @ params["W"].T + params["b"]
    hidden = np.where(hidden > 0, hidden, slope * hidden)
    loss = np.mean((hidden @ params["v"] + params["c"] - y_train) ** 2) / 2
    print(f"{name}: dead {fractions[0]:.2f} -> {fractions[-1]:.2f}, final loss {loss:.4f}")
    axes[0].plot(steps_done, fractions, "o-", color=color, label=name)
    ax.plot(steps_done, np.array(best), color=color, linewidth=0.8)
    ax.axhline(0.0, color="black", linewidth=1)
    ax.set_title(f"{name}: units dead at the start")
    ax.set_xlabel("gradient steps")
    ax.set_ylabel(r"$\max_i\ (w_h \cdot x_i + b_h)$")
axes[0].set_ylim(0.0, 1.0)
axes[0].set_xlabel("gradient steps")
axes[0].set_ylabel("fraction of dead units")
axes[0].set_title("Dead units during training")
axes[0].legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 6. Dead at birth: deep, narrow ReLU networks
#
# Take a ReLU network with $L$ hidden layers of width $n$, **zero biases**, and weights drawn
# independently from a **symmetric continuous** distribution (Gaussian, say). Call it *alive* at
# an input $x \ne 0$ if its last hidden layer is not the zero vector there; otherwise the network
# is constant (its output is its output bias) near $x$, and no gradient reaches any hidden weight.
#
# **Claim: $P(\text{alive at } x) = (1 - 2^{-n})^L$.** Let $a_{l-1} \ne 0$ be the input of layer
# $l$. Its units compute $\mathrm{ReLU}(w \cdot a_{l-1})$ with independent rows $w$; each
# $w \cdot a_{l-1}$ has a symmetric continuous distribution, so it is positive with probability
# exactly $\frac{1}{2}$ (it is 0 with probability 0). The $n$ units are independent, so all are
# off with probability $2^{-n}$, and $a_l \ne 0$ with probability $1 - 2^{-n}$, whatever
# $a_{l-1} \ne 0$ was. If some layer is all zero, every later layer is zero too (zero biases).
# Multiplying the conditional probabilities of the $L$ layers gives $(1 - 2^{-n})^L$. $\square$
#
# For fixed width the probability tends to 0 as the depth grows: $(3/4)^{10} \approx 0.056$
# for $n = 2$, $L = 10$. For $n = 10$ and $L = 100$ it is still $0.907$, and trouble needs a depth
# comparable to $2^n$, so wide networks are safe; deep and narrow ones can be dead at
# initialization, and then gradient descent cannot revive them (Lu, Shin, Su and Karniadakis,
# 2019, *Dying ReLU and initialization*). Nonzero biases, or weight distributions that are not
# symmetric, change the count.
#
# ### Plot (c): the probability of being alive
#
# Plot $(1 - 2^{-n})^L$ against $L = 1, \dots, 60$ for $n = 1, 2, 3, 4, 6, 10$. Check it by
# simulation for $n = 2$ and $n = 4$: draw 4000 networks at once (Gaussian weights, a Gaussian
# input of dimension $n$), push the input through the layers, and record after each layer the
# fraction of networks whose hidden vector is not all zero.

# %% role="solution"
depths = np.arange(1, 61)
trials = 4000
rng = np.random.default_rng(2)
fig, ax = plt.subplots(figsize=(9, 4.5))
for n in (1, 2, 3, 4, 6, 10):
    ax.plot(depths, (1.0 - 2.0**-n) ** depths, label=f"$n = {n}$")
for n, marker in ((2, "o"), (4, "s")):
    hidden = rng.normal(size=(trials, n))
    alive = []
    for _ in depths:
        weights = rng.normal(size=(trials, n, n))
        hidden = np.maximum(np.einsum("tij,tj->ti", weights, hidden), 0.0)
        alive.append(np.mean(np.any(hidden > 0, axis=1)))
    simulated = np.array(alive)[::3]
    label = f"simulation, $n = {n}$"
    ax.plot(depths[::3], simulated, marker, color="black", fillstyle="none", label=label)
ax.set_xlabel("depth $L$ (hidden layers)")
ax.set_ylabel("P(alive at an input)")
ax.set_title(r"$(1 - 2^{-n})^L$ for ReLU nets with zero biases")
ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Written question (3 points)
#
# Using plot (b), explain **why a dead ReLU unit stays dead under gradient descent, and how a
# leaky one can revive**. Write the gradients of $\mathcal{L}$ with respect to $w_h$, $b_h$ and
# $v_h$ for a unit with $w_h \cdot x_i + b_h \le 0$ at every data point, for $\alpha = 0$ and for
# $\alpha > 0$; explain why "dead once" means "dead forever" for ReLU (and why the ReLU curve in
# the left panel can only go up); say what decides whether a leaky unit revives, and why this is
# not guaranteed. Does the argument apply to a dead unit in the *second* hidden layer of a deeper
# network?

# %% [markdown] role="written" grade_id="dead_units_explained" points=3
# **The gradients.** With $z_{ih} = w_h \cdot x_i + b_h$ and residuals $r_i = f(x_i) - y_i$,
# $\partial\mathcal{L}/\partial w_h = \frac{v_h}{N}\sum_i r_i\,\phi'(z_{ih})\,x_i$,
# $\partial\mathcal{L}/\partial b_h = \frac{v_h}{N}\sum_i r_i\,\phi'(z_{ih})$ and
# $\partial\mathcal{L}/\partial v_h = \frac{1}{N}\sum_i r_i\,\phi(z_{ih})$. If every
# $z_{ih} \le 0$:
#
# * ReLU ($\alpha = 0$): $\phi(z_{ih}) = 0$ and $\phi'(z_{ih}) = 0$ for every $i$ (with
#   $\phi'(0) = 0$), so all three gradients are exactly 0, whatever $v_h$ and the residuals are.
# * Leaky ($\alpha > 0$): $\phi(z_{ih}) = \alpha z_{ih}$ and $\phi'(z_{ih}) = \alpha$, so the
#   gradients are $\frac{\alpha v_h}{N}\sum_i r_i x_i$, $\frac{\alpha v_h}{N}\sum_i r_i$ and
#   $\frac{\alpha}{N}\sum_i r_i z_{ih}$: generally nonzero, proportional to $\alpha$.
#
# **Dead forever.** Under ReLU a step leaves $w_h$, $b_h$ and $v_h$ unchanged. The inputs $x_i$
# are fixed data, so the pre-activations $z_{ih}$ after the step are the same numbers, all still
# $\le 0$: the unit is dead again, and by induction at every later step. Other units can die (a
# step can push a unit's hyperplane past all data points), but none can come back, so the dead
# fraction is non-decreasing. In plot (b) the ReLU fraction starts near one half and only rises,
# and the middle panel shows the units dead at the start as exactly flat lines below 0: their
# parameters never change.
#
# **Revival.** A dead leaky unit is a linear function $\alpha(w_h \cdot x + b_h)$ on the data and
# still receives a gradient. The bias moves by $-\mathrm{lr}\,\frac{\alpha v_h}{N}\sum_i r_i$ per
# step. If the network predicts too low on average ($\sum_i r_i < 0$) and $v_h > 0$, the bias rises.
# The weights follow the correlation $-v_h\sum_i r_i x_i$ of the residuals with the inputs. When
# these steps lift $\max_i z_{ih}$ above 0, the unit is alive again. In the right panel many
# curves move and several cross 0, so the leaky fraction falls below its start. It is not
# guaranteed: the direction depends on the sign of $v_h$ and on the residuals, which change as
# the rest of the network fits the data. Some units sink further, some revive and die again, and
# once the residuals are small the push is small too. The push is proportional to $\alpha$, so
# with $\alpha = 0.01$ revival is much slower.
#
# **Deeper networks.** The argument needs the unit's inputs to stay fixed. For a unit in the
# second hidden layer the inputs are the first layer's outputs, which keep changing while the
# first layer trains. The unit's own gradients are zero while it is dead, but its pre-activations
# can still become positive at some data point, so it can revive. "Dead forever" is exact only
# for the first hidden layer, whose inputs are the data.
