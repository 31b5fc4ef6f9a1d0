"""Timing and memory measurements of the NumPy LSTM against torch.nn.LSTM and Keras.

Used by ``benchmarks/run.py`` (the full tables) and by the book's appendix (a
reduced run). Every comparison runs its contenders in the same process, with
the same dtype and threads, and reports medians of repeats (the timing tools are in
``timing``; ``bench_lstm`` marks a figure that a busy machine disturbed). Nothing here is
asserted: times depend on the machine.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from ..frameworks import _imports
from ..nn import _checks, sequence
from ..nn.lstm import LSTMParams, lstm_backward, lstm_forward
from .timing import interleaved_medians, median_time, time_in_turns

__all__ = [
    "bench_efficiency",
    "bench_language_model",
    "bench_lstm",
    "bench_memory",
    "bench_training",
    "language_model_flops",
    "lstm_flops",
    "textbook_lstm",
]


def textbook_lstm(
    x: np.ndarray, params: LSTMParams, dhs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Forward and full BPTT the textbook way: ``LSTMParams.step`` and ``step_backward`` in
    ``sequence``'s loop, the code chapter 5 derives.

    The same mathematics as ``lstm_forward`` + ``lstm_backward``, without the fast
    path's rearrangements (``lstm_fast``). The appendix measures the difference.

    Returns:
        ``(dW, dU, db, dx)`` with the shapes of W, U, b and x.
    """
    _, cache = sequence.forward(params, x)
    dx, grads, _ = sequence.backward(dhs, cache)
    dW, dU, db = grads.weights()
    return dW, dU, db, dx


def bench_lstm(
    shapes: list[tuple[int, int, int, int]],
    repeats: int,
    dtypes: tuple[type, ...] = (np.float32, np.float64),
    rounds: int = 5,
) -> list[dict[str, object]]:
    """Forward + full BPTT: NumPy (``lstm_forward``/``lstm_backward``) vs ``torch.nn.LSTM`` with autograd.

    The two are timed in turns (``timing.time_in_turns``), in ``rounds`` rounds of
    ``repeats / rounds`` calls each (at least 3; fewer at large shapes). For each (B, T, D, H) and dtype,
    returns the milliseconds of both (the fastest round's median call), each one's spread
    (slowest round / fastest), their ratio torch / NumPy (above 1: NumPy is faster),
    ``stable`` (both spreads within ``timing.MAX_SPREAD``), ``unstable`` (the keys of the
    figures a busy machine disturbed, for ``timing.table``'s mark) and both ``Timing``s.
    """
    repeats = _checks.positive_int("repeats", repeats)
    torch = _imports.torch("bench_lstm")
    from ..frameworks.torch import to_torch

    rows = []
    for shape in shapes:
        batch, steps, inputs, hidden = shape
        for dtype in dtypes:
            params = LSTMParams.init(inputs, hidden, seed=0, dtype=dtype)
            rng = np.random.default_rng(0)
            x: np.ndarray = rng.normal(size=(batch, steps, inputs)).astype(dtype)
            dhs: np.ndarray = rng.normal(size=(batch, steps, hidden)).astype(dtype)

            def numpy_step() -> None:
                _, cache = lstm_forward(x, params)
                lstm_backward(dhs, cache)

            module = to_torch(params)
            x_torch, dhs_torch = torch.from_numpy(x), torch.from_numpy(dhs)

            def torch_step() -> None:
                module.zero_grad(set_to_none=True)
                out, _ = module(x_torch)
                out.backward(dhs_torch)

            n = repeats if batch * steps * hidden < 100_000 else max(3, repeats // 20)
            calls = max(3, n // rounds)
            t_numpy, t_torch = time_in_turns([numpy_step, torch_step], rounds=rounds, calls=calls)
            unstable = [key for key, t in (("numpy_ms", t_numpy), ("torch_ms", t_torch)) if not t.stable]
            rows.append(
                {
                    "shape": shape,
                    "dtype": np.dtype(dtype).name,
                    "numpy_ms": 1e3 * t_numpy.seconds,
                    "torch_ms": 1e3 * t_torch.seconds,
                    "ratio": t_torch.seconds / t_numpy.seconds,
                    "numpy_spread": t_numpy.spread,
                    "torch_spread": t_torch.spread,
                    "stable": not unstable,
                    "unstable": tuple([*unstable, "ratio"] if unstable else []),
                    "numpy": t_numpy,
                    "torch": t_torch,
                }
            )
    return rows


def lstm_flops(batch: int, steps: int, inputs: int, hidden: int) -> float:
    """Matrix-product FLOPs of one forward + full BPTT (2 per multiply-add)."""
    input_proj = 2 * batch * steps * inputs * 4 * hidden  # x W, forward
    recurrent = 2 * batch * steps * hidden * 4 * hidden  # h U, forward
    # backward: dz U^T (recurrent), dU, dW, dx
    return input_proj + recurrent + recurrent + recurrent + input_proj + input_proj


def _lstm_layer_products(
    batch: int, steps: int, inputs: int, hidden: int, rng: np.random.Generator
) -> Callable[[], None]:
    """The matrix products of one LSTM layer's forward + full BPTT (``lstm_flops``), alone, on
    random float32 arrays, in the layouts the fast path (``nn.lstm_fast``) computes them in.

    The input projection, T (4H, B) slabs W^T x_t^T in one batched call; T products U^T h^T,
    (4H, H) by (H, B), forward and T products U dz^T, (H, 4H) by (4H, B), backward; then
    dW^T = dZ X and dU^T = dZ H over the T B rows, and dx = dZ^T W^T.
    """

    def rand(*shape: int) -> np.ndarray:
        return rng.normal(size=shape).astype(np.float32)

    rows = batch * steps
    W_T, x_steps = rand(4 * hidden, inputs), rand(steps, inputs, batch)
    U_T, U = rand(4 * hidden, hidden), rand(hidden, 4 * hidden)
    h_T, dz_T = rand(hidden, batch), rand(4 * hidden, batch)
    dz_flat, x_flat, h_flat = rand(4 * hidden, rows), rand(rows, inputs), rand(rows, hidden)
    W = rand(inputs, 4 * hidden)
    gates, dh = np.empty((4 * hidden, batch), np.float32), np.empty((hidden, batch), np.float32)

    def products() -> None:
        _ = np.matmul(W_T, x_steps)
        for _ in range(steps):
            np.matmul(U_T, h_T, out=gates)
        for _ in range(steps):
            np.matmul(U, dz_T, out=dh)
        _ = dz_flat @ x_flat
        _ = dz_flat @ h_flat
        _ = dz_flat.T @ W.T

    return products


def bench_efficiency(shape: tuple[int, int, int, int], repeats: int) -> dict[str, float]:
    if not isinstance(shape, tuple) or len(shape) != 4:
        raise TypeError(f"shape must be a tuple (B, T, D, H) of four integers, got {_checks.describe(shape)}")
    batch, steps, inputs, hidden = (_checks.positive_int(f"shape[{k}]", n) for k, n in enumerate(shape))
    repeats = _checks.positive_int("repeats", repeats)
    dtype = np.float32
    params = LSTMParams.init(inputs, hidden, seed=0, dtype=dtype)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, steps, inputs)).astype(dtype)
    dhs = rng.normal(size=(batch, steps, hidden)).astype(dtype)

    def lstm_step() -> None:
        _, cache = lstm_forward(x, params)
        lstm_backward(dhs, cache)

    # The same matrix products, alone: what numpy.matmul achieves on these sizes.
    matmuls_only = _lstm_layer_products(batch, steps, inputs, hidden, rng)

    flops = lstm_flops(*shape)
    t_lstm = median_time(lstm_step, repeats)
    t_matmul = median_time(matmuls_only, repeats)
    return {
        "gflops_lstm": flops / t_lstm / 1e9,
        "gflops_matmul": flops / t_matmul / 1e9,
        "share": t_matmul / t_lstm,
    }


def bench_training(epochs: int, keras_epochs: int) -> list[dict[str, object]]:
    epochs = _checks.positive_int("epochs", epochs)
    keras_epochs = _checks.positive_int("keras_epochs", keras_epochs)
    _imports.keras("bench_training")
    from ..frameworks.keras import build_sine_model
    from ..nn.regressors import LSTMRegressor
    from ..nn.train import fit
    from ..tasks.data import make_windows, sine_wave

    x, y = make_windows(sine_wave(dtype=np.float32), 10)
    model = LSTMRegressor.init(1, 4, seed=0, dtype=np.float32)
    start = time.perf_counter()
    history = fit(model, x, y, epochs=epochs, batch_size=1, seed=0, verbose=0)
    t_numpy = time.perf_counter() - start

    keras_model = build_sine_model(seed=0)
    start = time.perf_counter()
    result = keras_model.fit(x, y, epochs=keras_epochs, batch_size=1, verbose=0)
    t_keras = time.perf_counter() - start
    per_epoch_numpy, per_epoch_keras = t_numpy / epochs, t_keras / keras_epochs
    return [
        {
            "impl": "NumPy fit",
            "epochs": epochs,
            "seconds": t_numpy,
            "per_epoch": per_epoch_numpy,
            "final_loss": history.loss[-1],
        },
        {
            "impl": "Keras model.fit (torch backend)",
            "epochs": keras_epochs,
            "seconds": t_keras,
            "per_epoch": per_epoch_keras,
            "final_loss": float(result.history["loss"][-1]),
        },
    ]


def bench_memory(lengths: list[int], truncate: int) -> list[dict[str, object]]:
    truncate = _checks.positive_int("truncate", truncate)
    if not isinstance(lengths, list) or not lengths:
        raise TypeError(f"lengths must be a non-empty list of integers >= 1, got {_checks.describe(lengths)}")
    lengths = [_checks.positive_int(f"lengths[{k}]", steps) for k, steps in enumerate(lengths)]
    from ..nn import lstm

    params = lstm.LSTMParams.init(32, 128, seed=0, dtype=np.float32)
    rows: list[dict[str, object]] = []
    for steps in lengths:
        rng = np.random.default_rng(0)
        x = rng.normal(size=(16, steps, 32)).astype(np.float32)
        dhs = rng.normal(size=(16, steps, 128)).astype(np.float32)

        def full() -> None:
            _, cache = lstm.lstm_forward(x, params)
            lstm.lstm_backward(dhs, cache)

        rows.append(
            {
                "steps": steps,
                "full": _peak_bytes(full) / 2**20,
                "truncated": _peak_bytes(lambda: sequence.tbptt_grads(params, x, dhs, truncate)) / 2**20,
            }
        )
    return rows


def _peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def language_model_flops(batch: int, steps: int, vocab: int, embed: int, hidden: int, layers: int) -> float:
    """Matrix-product FLOPs of one training step of ``language.char_model`` (2 per multiply-add).

    Each LSTM layer's forward + full BPTT (``lstm_flops``) and the Dense head's forward
    (h V), input gradient (dy V^T) and kernel gradient (h^T dy). The embedding's lookup
    and its backward are not products of the model (the backward's one-hot product is
    an implementation choice) and are not counted.
    """
    widths = [embed] + [hidden] * (layers - 1)
    recurrent = sum(lstm_flops(batch, steps, width, hidden) for width in widths)
    return recurrent + 3 * 2 * batch * steps * hidden * vocab


def _char_batches(vocab: int, batch: int, steps: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` batches of random ids, (count, B, T) inputs and targets (the speed does not
    depend on the text)."""
    rng = np.random.default_rng(0)
    ids = rng.integers(0, vocab, size=(count, batch, steps + 1))
    return ids[..., :-1], ids[..., 1:]


def bench_language_model(
    layer_counts: list[int],
    repeats: int,
    batch: int = 32,
    steps: int = 64,
    vocab: int = 97,
    embed: int = 32,
    hidden: int = 128,
) -> list[dict[str, object]]:
    """One training step of the character language model, three ways, in characters per second.

    The model is ``language.char_model(vocab, embed, hidden, layers)`` (float32,
    stateful), trained by truncated BPTT on (B, T) batches with Adam (learning rate
    0.01) and gradients clipped to global norm 5, the chapters' configuration. One
    step is forward + BPTT + the update:

    - NumPy: ``train.fit`` on one batch (its checks and casts included);
    - Keras (torch backend): the same model moved over by ``frameworks.keras.to_keras`` (not
      stateful: each batch starts from zeros), Adam
      with ``global_clipnorm=5``, ``model.train_on_batch``;
    - torch: ``nn.Embedding`` + ``nn.LSTM(num_layers=layers)`` + ``nn.Linear``,
      ``torch.optim.Adam``, ``clip_grad_norm_``, the state carried detached.

    For each layer count, returns the median step time and characters per second
    (B T / time) of each, the ratios torch / NumPy and Keras / NumPy of the times
    (above 1: NumPy is faster), and the NumPy step's GFLOP/s (``language_model_flops``)
    with its share of ``numpy.matmul``'s on the same products, run alone. The four are
    timed in turns, one call of each per round, so a passing load falls on all alike.
    """
    repeats = _checks.positive_int("repeats", repeats)
    if not isinstance(layer_counts, list) or not layer_counts:
        raise TypeError(
            f"layer_counts must be a non-empty list of integers >= 1, got {_checks.describe(layer_counts)}"
        )
    layer_counts = [_checks.positive_int(f"layer_counts[{k}]", n) for k, n in enumerate(layer_counts)]
    torch = _imports.torch("bench_language_model")
    keras = _imports.keras("bench_language_model")
    from ..frameworks.keras import to_keras
    from ..nn.optim import Adam
    from ..nn.train import fit
    from ..tasks.language import char_model

    count = repeats + 2  # a batch per call: warm-up and timed calls each read the next one
    inputs, targets = _char_batches(vocab, batch, steps, count)
    rows: list[dict[str, object]] = []
    for layers in layer_counts:
        model = char_model(vocab, embed, hidden, layers=layers, seed=0)
        # Keras' best case: its non-stateful layers (a stateful torch-backend LSTM needs
        # use_cudnn=False, about twice as slow); the same weights, each batch from zeros.
        keras_model = to_keras(char_model(vocab, embed, hidden, layers=layers, seed=0, stateful=False))
        keras_model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.01, global_clipnorm=5.0),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        optimizer = Adam(learning_rate=0.01)
        position = {"numpy": 0, "keras": 0, "torch": 0}

        def numpy_step() -> None:
            k = position["numpy"] % count
            position["numpy"] += 1
            fit(
                model,
                inputs[k],
                targets[k],
                batch_size=batch,
                shuffle=False,
                optimizer=optimizer,
                verbose=0,
                clip_norm=5.0,
            )

        def keras_step() -> None:
            k = position["keras"] % count
            position["keras"] += 1
            keras_model.train_on_batch(inputs[k], targets[k])

        torch_step = _torch_language_step(torch, inputs, targets, vocab, embed, hidden, layers)
        matmuls = _language_matmuls(batch, steps, vocab, embed, hidden, layers)
        times = interleaved_medians([numpy_step, keras_step, torch_step, matmuls], repeats)
        t_numpy, t_keras, t_torch, t_matmul = times
        flops = language_model_flops(batch, steps, vocab, embed, hidden, layers)
        chars = batch * steps
        rows.append(
            {
                "layers": layers,
                "numpy_ms": 1e3 * t_numpy,
                "keras_ms": 1e3 * t_keras,
                "torch_ms": 1e3 * t_torch,
                "numpy_cps": chars / t_numpy,
                "keras_cps": chars / t_keras,
                "torch_cps": chars / t_torch,
                "keras_ratio": t_keras / t_numpy,
                "torch_ratio": t_torch / t_numpy,
                "gflops": flops / t_numpy / 1e9,
                "gflops_matmul": flops / t_matmul / 1e9,
                "share": t_matmul / t_numpy,
            }
        )
    return rows


def _torch_language_step(
    torch: Any, inputs: np.ndarray, targets: np.ndarray, vocab: int, embed: int, hidden: int, layers: int
) -> Callable[[], None]:
    """One training step of the torch twin of ``char_model`` on the next batch, per call."""
    torch.manual_seed(0)
    nn = torch.nn
    embedding = nn.Embedding(vocab, embed)
    lstm = nn.LSTM(embed, hidden, num_layers=layers, batch_first=True)
    head = nn.Linear(hidden, vocab)
    parameters = [*embedding.parameters(), *lstm.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=0.01, eps=1e-7)
    x_all, y_all = torch.from_numpy(inputs), torch.from_numpy(targets)
    state: dict[str, Any] = {"k": 0, "hc": None}

    def step() -> None:
        k = state["k"] % len(x_all)
        state["k"] += 1
        optimizer.zero_grad(set_to_none=True)
        out, (h, c) = lstm(embedding(x_all[k]), state["hc"])
        state["hc"] = (h.detach(), c.detach())
        logits = head(out)
        loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), y_all[k].reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(parameters, 5.0)
        optimizer.step()

    return step


def _language_matmuls(
    batch: int, steps: int, vocab: int, embed: int, hidden: int, layers: int
) -> Callable[[], None]:
    """The matrix products of one ``char_model`` training step, alone, on random float32 arrays."""
    rng = np.random.default_rng(0)

    def rand(*shape: int) -> np.ndarray:
        return rng.normal(size=shape).astype(np.float32)

    rows = batch * steps
    widths = [embed] + [hidden] * (layers - 1)
    per_layer = [_lstm_layer_products(batch, steps, width, hidden, rng) for width in widths]
    V, dy, h_flat = rand(hidden, vocab), rand(rows, vocab), rand(rows, hidden)

    def matmuls() -> None:
        for products in per_layer:
            products()
        _ = h_flat @ V
        _ = dy @ V.T
        _ = h_flat.T @ dy

    return matmuls
