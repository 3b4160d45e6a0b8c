"""The CTRNN in TensorFlow: Euler steps with noise inside the nonlinearity,
and an Adam update of W_rec that keeps its diagonal at zero.

One model holds an ensemble of K networks of the same size, stacked along a
leading axis and simulated in one graph by batched matrix products; a single
network is an ensemble of one. Each network's slice of every product, its loss
and its Adam update are computed exactly as they would be alone (the batched
kernels work slice by slice, and no graph rewrite reorders a sum), so on a CPU a
network's weights do not depend on which networks share its ensemble
(tests/test_training.py checks this bit for bit).

The time loop is unrolled inside one ``tf.function``: for trials of ~100 steps
that graph runs several times faster on a CPU than ``tf.scan`` or an
XLA-compiled loop (see benchmarks/train_throughput.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from .network import Network  # noqa: E402

# Two of Grappler's graph rewrites depend on what it knows of the shapes, which is more
# for an ensemble of one than for a larger one: the arithmetic optimizer reorders chains of
# additions (into AddN), and constant folding precomputes parts of the graph in another
# order. Without them each network's sums run in the order written, whatever the ensemble,
# so a network's weights are bitwise the same alone or in any ensemble; the step is no
# slower (benchmarks/train_throughput.py).
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False,
                                              "constant_folding": False})

_threads_set: int | None = None


def configure_threads(threads: int) -> None:
    """Make TensorFlow use exactly ``threads`` threads for its kernels.

    Must run before the first TensorFlow operation of the process; a second
    call with the same value is a no-op, with another value an error.
    """
    global _threads_set
    if _threads_set == threads:
        return
    if _threads_set is not None:
        raise RuntimeError(f"TensorFlow already uses {_threads_set} threads")
    tf.config.threading.set_intra_op_parallelism_threads(int(threads))
    # One scheduling thread: the graph is a chain, there is nothing to overlap.
    tf.config.threading.set_inter_op_parallelism_threads(1)
    _threads_set = threads


def enable_determinism() -> None:
    """Bitwise reproducible kernels (same config and seed, same weights)."""
    tf.config.experimental.enable_op_determinism()


def _rows(x: tf.Tensor) -> tf.Tensor:
    """(K, ...) -> (K, everything else)."""
    return tf.reshape(x, [tf.shape(x)[0], -1])


def _stacked(networks: Sequence[Network], field: str) -> np.ndarray:
    return np.stack([getattr(net, field) for net in networks]).astype(np.float32)


class CTRNN(tf.Module):
    """Forward pass and training step of an ensemble of networks.

    Only ``W_rec`` is trained; W_in, W_out and b cannot change. Every array
    carries the ensemble axis first: ``W_rec`` is (K, N, N), inputs are
    (time, K, trial, n_inputs). The ensemble may shrink (:meth:`keep`) when
    some of its networks are done; the graph is traced again at most once, for
    any ensemble size.

    Parameters
    ----------
    networks : Network or sequence of Network
        Initial parameters, all with the same N, number of inputs, time
        constant and noise (W_rec is copied into a variable).
    learning_rate : float
        Adam step size.
    l1 : float
        Weight of an L1 penalty on W_rec's off-diagonal entries: each network minimises
        its loss + ``l1`` x mean |W_rec[i, j]| over i != j (0: no penalty).
    """

    def __init__(self, networks: Network | Sequence[Network], learning_rate: float = 1e-3,
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7,
                 l1: float = 0.0):
        super().__init__()
        networks = [networks] if isinstance(networks, Network) else list(networks)
        first = networks[0]
        for net in networks[1:]:
            same = (net.W_rec.shape, net.W_in.shape, net.W_out.shape, net.alpha,
                    net.noise_scale) == (first.W_rec.shape, first.W_in.shape,
                                         first.W_out.shape, first.alpha, first.noise_scale)
            if not same:
                raise ValueError("an ensemble's networks must share their sizes, dt, tau "
                                 f"and sigma; seed {net.meta.get('seed')} differs from seed "
                                 f"{first.meta.get('seed')}")
        self.alpha = float(first.alpha)
        self.noise_scale = float(first.noise_scale)

        def variable(value: np.ndarray, name: str, trainable: bool = False) -> tf.Variable:
            # shape None along the ensemble axis: keep() shrinks it in place
            return tf.Variable(value, name=name, trainable=trainable,
                               shape=tf.TensorShape([None, *value.shape[1:]]))

        self.W_in = variable(_stacked(networks, "W_in"), "W_in")
        self.W_out = variable(_stacked(networks, "W_out"), "W_out")
        self.b = variable(_stacked(networks, "b"), "b")
        self.mask = variable(_stacked(networks, "mask"), "mask")
        self.W_rec = variable(_stacked(networks, "W_rec"), "W_rec", trainable=True)
        # Adam written out (Kingma & Ba 2015, with TensorFlow's default epsilon) so its
        # state is plain arrays that a checkpoint stores and restores bit for bit.
        self.lr, self.beta1, self.beta2, self.epsilon = learning_rate, beta1, beta2, epsilon
        if l1 < 0:
            raise ValueError(f"l1 must be >= 0, got {l1}")
        n_units = first.W_rec.shape[0]
        # d/dW of l1 * mean |W| over the N (N - 1) off-diagonal entries
        self.l1_gradient = float(l1) / (n_units * (n_units - 1))
        zeros = np.zeros_like(self.W_rec.numpy())
        self.adam_m = variable(zeros, "adam_m")
        self.adam_v = variable(zeros, "adam_v")
        # One step count for the ensemble (its networks step together). A scalar also keeps
        # Adam's bias correction K-independent: Eigen computes pow() of a vector in packets
        # of eight by an approximation whose last bit differs from its scalar path.
        self.adam_t = tf.Variable(0.0, name="adam_t", trainable=False)

    def _run(self, inputs: tf.Tensor, noise: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        n_steps = inputs.shape[0]
        drive = (tf.einsum("tkbi,kni->tkbn", inputs, self.W_in) + self.b[:, None, :]
                 + self.noise_scale * noise)
        r = tf.zeros_like(drive[0])
        rates, pre = [], []
        for t in range(n_steps):
            m = tf.matmul(r, self.W_rec, transpose_b=True) + drive[t]
            r = (1.0 - self.alpha) * r + self.alpha * tf.nn.relu(m)
            rates.append(r)
            pre.append(m)
        return tf.stack(rates), tf.stack(pre)

    @tf.function(reduce_retracing=True)
    def run(self, inputs: tf.Tensor, noise: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Simulate from r = 0.

        Parameters
        ----------
        inputs : Tensor, shape (time, K, trial, n_inputs)
        noise : Tensor, shape (time, K, trial, N)
            Standard normal draws xi_t; scaled by sqrt(2 sigma^2 / a) here.

        Returns
        -------
        r, m : Tensors, shape (time, K, trial, N)
            Rates after each step and the pre-activations that produced them.
        """
        return self._run(inputs, noise)

    def _losses(self, inputs, noise, targets, loss_mask):
        r, _ = self._run(inputs, noise)
        z = tf.einsum("tkbn,kon->tkbo", r, self.W_out)
        weights = tf.broadcast_to(loss_mask, tf.shape(z))
        # one network's terms contiguous, so its sum runs as it would alone
        per_network = tf.transpose(weights * tf.square(z - targets), [1, 0, 2, 3])
        weight_sums = tf.transpose(weights, [1, 0, 2, 3])
        return (tf.reduce_sum(_rows(per_network), axis=1)
                / tf.reduce_sum(_rows(weight_sums), axis=1))

    @tf.function(reduce_retracing=True)
    def loss(self, inputs, noise, targets, loss_mask) -> tf.Tensor:
        """Each network's mean squared output error over its unmasked time steps.

        Arguments are (time, K, trial, ...) like :meth:`run`'s; targets and
        loss_mask end in the output axis. Returns shape (K,).
        """
        return self._losses(inputs, noise, targets, loss_mask)

    @tf.function(reduce_retracing=True)
    def train_step(self, inputs, noise, targets, loss_mask) -> tf.Tensor:
        """One Adam step on every W_rec; returns each network's loss before the step,
        shape (K,)."""
        with tf.GradientTape() as tape:
            losses = self._losses(inputs, noise, targets, loss_mask)
            # networks share no weights: the sum's gradient is each network's own
            total = tf.reduce_sum(losses)
        grad = tape.gradient(total, self.W_rec)
        if self.l1_gradient:
            # the penalty's gradient added elementwise, so a network's step stays its own
            # in any ensemble; without a penalty the graph is the one it always was
            grad = grad + self.l1_gradient * tf.sign(self.W_rec)
        grad = grad * self.mask
        self.adam_t.assign_add(1.0)
        self.adam_m.assign(self.beta1 * self.adam_m + (1.0 - self.beta1) * grad)
        self.adam_v.assign(self.beta2 * self.adam_v + (1.0 - self.beta2) * tf.square(grad))
        step_size = self.lr * tf.sqrt(1.0 - self.beta2**self.adam_t) / (
            1.0 - self.beta1**self.adam_t)
        update = step_size * self.adam_m / (tf.sqrt(self.adam_v) + self.epsilon)
        # Multiplying by the mask (exact 0 or 1) keeps the diagonal exactly zero.
        self.W_rec.assign((self.W_rec - update) * self.mask)
        return losses

    def keep(self, members: Sequence[int]) -> None:
        """Shrink the ensemble to the networks at positions ``members`` (in that order)."""
        members = np.asarray(members, np.int32)
        for var in (self.W_in, self.W_out, self.b, self.mask, self.W_rec, self.adam_m,
                    self.adam_v):
            var.assign(tf.gather(var, members))

    def state(self, member: int) -> dict[str, np.ndarray]:
        """One network's trainable state as NumPy arrays, for checkpoints."""
        return {"W_rec": self.W_rec[member].numpy(), "adam_m": self.adam_m[member].numpy(),
                "adam_v": self.adam_v[member].numpy(),
                "adam_t": np.float32(self.adam_t.numpy())}

    def restore(self, states: Sequence[dict[str, np.ndarray]]) -> None:
        """Inverse of :meth:`state`, for every network of the ensemble in order; all at
        the same Adam step."""
        steps = {float(s["adam_t"]) for s in states}
        if len(steps) > 1:
            raise ValueError(f"an ensemble's networks restore from one Adam step, not from "
                             f"{sorted(steps)}")
        self.W_rec.assign(np.stack([s["W_rec"] for s in states]))
        self.adam_m.assign(np.stack([s["adam_m"] for s in states]))
        self.adam_v.assign(np.stack([s["adam_v"] for s in states]))
        self.adam_t.assign(steps.pop())
