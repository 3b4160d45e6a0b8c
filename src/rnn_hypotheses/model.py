"""The CTRNN in TensorFlow: Euler steps with noise inside the nonlinearity,
and an Adam update of W_rec that keeps its diagonal at zero.

The time loop is unrolled inside one ``tf.function``: for trials of ~100 steps
that graph runs several times faster on a CPU than ``tf.scan`` or an
XLA-compiled loop (see benchmarks/train_throughput.py).
"""

from __future__ import annotations

import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from .network import Network  # noqa: E402

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


class CTRNN(tf.Module):
    """Forward pass and training step of one network.

    Only ``W_rec`` is a trainable variable; W_in, W_out and b are constants,
    so they cannot change.

    Parameters
    ----------
    network : Network
        Initial parameters (W_rec is copied into a variable).
    learning_rate : float
        Adam step size.
    """

    def __init__(self, network: Network, learning_rate: float = 1e-3,
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7):
        super().__init__()
        f32 = tf.float32
        self.alpha = float(network.alpha)
        self.noise_scale = float(network.noise_scale)
        self.W_in = tf.constant(network.W_in, f32)
        self.W_out = tf.constant(network.W_out, f32)
        self.b = tf.constant(network.b, f32)
        self.mask = tf.constant(network.mask, f32)
        self.W_rec = tf.Variable(network.W_rec.astype(np.float32), name="W_rec")
        # Adam written out (Kingma & Ba 2015, with TensorFlow's default epsilon) so its
        # state is three plain arrays that a checkpoint stores and restores bit for bit.
        self.lr, self.beta1, self.beta2, self.epsilon = learning_rate, beta1, beta2, epsilon
        self.adam_m = tf.Variable(tf.zeros_like(self.W_rec), name="adam_m")
        self.adam_v = tf.Variable(tf.zeros_like(self.W_rec), name="adam_v")
        self.adam_t = tf.Variable(0.0, name="adam_t")

    def _run(self, inputs: tf.Tensor, noise: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        n_steps = inputs.shape[0]
        drive = tf.einsum("tbi,ni->tbn", inputs, self.W_in) + self.b + self.noise_scale * noise
        r = tf.zeros_like(drive[0])
        rates, pre = [], []
        for t in range(n_steps):
            m = tf.matmul(r, self.W_rec, transpose_b=True) + drive[t]
            r = (1.0 - self.alpha) * r + self.alpha * tf.nn.relu(m)
            rates.append(r)
            pre.append(m)
        return tf.stack(rates), tf.stack(pre)

    @tf.function
    def run(self, inputs: tf.Tensor, noise: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Simulate from r = 0.

        Parameters
        ----------
        inputs : Tensor, shape (time, trial, n_inputs)
        noise : Tensor, shape (time, trial, N)
            Standard normal draws xi_t; scaled by sqrt(2 sigma^2 / a) here.

        Returns
        -------
        r, m : Tensors, shape (time, trial, N)
            Rates after each step and the pre-activations that produced them.
        """
        return self._run(inputs, noise)

    def _loss(self, inputs, noise, targets, loss_mask):
        r, _ = self._run(inputs, noise)
        z = tf.einsum("tbn,on->tbo", r, self.W_out)
        weights = tf.broadcast_to(loss_mask, tf.shape(z))
        return tf.reduce_sum(weights * tf.square(z - targets)) / tf.reduce_sum(weights)

    @tf.function
    def loss(self, inputs, noise, targets, loss_mask) -> tf.Tensor:
        """Mean squared output error over the unmasked time steps."""
        return self._loss(inputs, noise, targets, loss_mask)

    @tf.function
    def train_step(self, inputs, noise, targets, loss_mask) -> tf.Tensor:
        """One Adam step on W_rec; returns the loss before the step."""
        with tf.GradientTape() as tape:
            loss = self._loss(inputs, noise, targets, loss_mask)
        grad = tape.gradient(loss, self.W_rec) * self.mask
        self.adam_t.assign_add(1.0)
        self.adam_m.assign(self.beta1 * self.adam_m + (1.0 - self.beta1) * grad)
        self.adam_v.assign(self.beta2 * self.adam_v + (1.0 - self.beta2) * tf.square(grad))
        step_size = self.lr * tf.sqrt(1.0 - self.beta2**self.adam_t) / (
            1.0 - self.beta1**self.adam_t)
        update = step_size * self.adam_m / (tf.sqrt(self.adam_v) + self.epsilon)
        # Multiplying by the mask (exact 0 or 1) keeps the diagonal exactly zero.
        self.W_rec.assign((self.W_rec - update) * self.mask)
        return loss

    def state(self) -> dict[str, np.ndarray]:
        """Trainable state as NumPy arrays, for checkpoints."""
        return {"W_rec": self.W_rec.numpy(), "adam_m": self.adam_m.numpy(),
                "adam_v": self.adam_v.numpy(), "adam_t": np.float32(self.adam_t.numpy())}

    def restore(self, state: dict[str, np.ndarray]) -> None:
        """Inverse of :meth:`state`."""
        self.W_rec.assign(state["W_rec"])
        self.adam_m.assign(state["adam_m"])
        self.adam_v.assign(state["adam_v"])
        self.adam_t.assign(float(state["adam_t"]))
