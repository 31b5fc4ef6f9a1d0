"""The exercise checkers: reference solutions pass, plausible wrong answers fail with the right hint,
broken answers are reported rather than raised, and the references agree with independent code."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial import exercises as ex
from lstm_tutorial.nn.gradcheck import rel_error

REFERENCE = {exercise.function: exercise.reference for exercise in ex.EXERCISES.values()}
"""Each exercise's reference solution, by the name of the function the reader writes."""


def sig(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


def lstm_step_with(order: str, gate: Callable[[np.ndarray], np.ndarray] = sig, forget: bool = True) -> Any:
    """A reader's lstm_step that reads the blocks in ``order``."""

    def step(x, h, c, W, U, b):  # type: ignore[no-untyped-def]
        blocks = dict(zip(order, np.split(x @ W + h @ U + b, 4, axis=1), strict=True))
        i, f, g, o = gate(blocks["i"]), gate(blocks["f"]), np.tanh(blocks["g"]), gate(blocks["o"])
        c_new = (f * c if forget else c) + i * g
        return o * np.tanh(c_new), c_new

    return step


# (checker, wrong answer, fragment the hint must contain)
WRONG: list[tuple[Callable[..., ex.CheckResult], Callable[..., Any], str]] = [
    (
        ex.check_make_windows,
        lambda s, k: (np.stack([s[i : i + k] for i in range(len(s) - k)])[:, :, None], s[k:]),
        "drops the last",
    ),
    (
        ex.check_make_windows,
        lambda s, k: (np.stack([s[i : i + k] for i in range(len(s) - k - 1)]), s[k : len(s) - 1]),
        "features",
    ),
    (ex.check_rnn_step, lambda x, h, W, U, b: sig(x @ W + h @ U + b), "tanh, not the sigmoid"),
    (ex.check_rnn_step, lambda x, h, W, U, b: np.tanh(x @ W + h @ U), "bias"),
    (ex.check_persistence_forecast, lambda x: x[:, 0, 0], "LAST value"),
    (ex.check_persistence_forecast, lambda x: np.mean(x, axis=(1, 2)), "window mean"),
    (
        ex.check_recursive_forecast,
        lambda f, w, n: np.full(n, f(w.reshape(1, -1, 1))[0]),
        "feed each prediction back",
    ),
    (ex.check_recursive_forecast, "prepend", "END of the window"),
    (ex.check_hidden_grad_norms, "no_tanh_prime", "diag(1 - h_t^2)"),
    (ex.check_hidden_grad_norms, "U_not_transposed", "@ U.T"),
    (
        ex.check_clip_by_global_norm,
        lambda gs, m: [g * min(1, m / np.linalg.norm(g)) for g in gs],
        "global norm of all arrays",
    ),
    (
        ex.check_clip_by_global_norm,
        lambda gs, m: [g * m / np.sqrt(sum((a**2).sum() for a in gs)) for g in gs],
        "only scale when",
    ),
    (ex.check_sigmoid, lambda z: 1 / (1 + np.exp(-z)), "overflows"),
    (ex.check_sigmoid, lambda z: np.tanh(z), "that is tanh"),
    (ex.check_lstm_step, lstm_step_with("igfo"), "gate order"),
    (ex.check_lstm_step, lstm_step_with("ifgo", forget=False), "forget gate is missing"),
    (ex.check_lstm_step, lstm_step_with("ifgo", gate=np.tanh), "use the sigmoid, not tanh"),
    (ex.check_split_keras_lstm, "order:icfo", "forget gate is the second block"),
    (ex.check_split_keras_lstm, "order:fico", "input gate is the first block"),
    (ex.check_torch_to_keras, lambda wi, wh, bi, bh: (wi.T, wh.T, bi), "two biases"),
    (ex.check_torch_to_keras, lambda wi, wh, bi, bh: (wi, wh, bi + bh), "transposed"),
    (ex.check_gru_step, "gru:torch_order", "z, r, h"),
    (ex.check_gru_step, "gru:swapped", "h_t = u * h_(t-1)"),
    (ex.check_cell_path_gain, lambda f: f.sum(axis=1), "factors multiply"),
    (ex.check_cell_path_gain, lambda f: f[:, :-1].prod(axis=1), "all T forget gates"),
    (ex.check_lstm_step_backward, "backward:no_forget", "dc_(t-1) = dc_t * f_t"),
    (ex.check_lstm_step_backward, "backward:no_tanh_prime", "1 - tanh(c_t)^2"),
    (ex.check_lstm_bptt, "bptt:no_carry", "carry dh and dc"),
    (ex.check_lstm_bptt, "bptt:no_dc", "carry dc back as well"),
    (ex.check_adam_step, "adam:paper", "outside the bias correction"),
    (ex.check_adam_step, "adam:no_correction", "bias correction is missing"),
    (ex.check_sine_model_param_count, lambda d, h: 4 * (d * h + h * h + 2 * h) + h + 1, "ONE bias per block"),
    (ex.check_sine_model_param_count, lambda d, h: 4 * (d * h + h * h + h), "Dense(1) layer adds"),
    (ex.check_sine_model_param_count, lambda d, h: d * h + h * h + h + h + 1, "four blocks"),
    (ex.check_sine_model_predict, "readout:first", "LAST hidden state"),
    (ex.check_sine_model_predict, "readout:cell", "not the cell state"),
    (ex.check_sine_model_predict, "readout:no_dense_bias", "bias is missing"),
    (ex.check_fit_ar, "ar:no_constant", "column of ones"),
    (ex.check_fit_ar, "ar:oldest_lags", "LAST `order` values"),
    (ex.check_fit_ar, "ar:newest_first", "oldest first"),
    (ex.check_split_in_time, "split:windows_at_cut", "Cut the SERIES"),
    (ex.check_split_in_time, "split:test_from_cut", "cut - look_back"),
    (ex.check_peephole_step, "peephole:old_cell", "NEW cell state"),
    (ex.check_peephole_step, "peephole:none", "adds its peephole term"),
    (ex.check_peephole_step, "peephole:rows_f_i_o", "(i, f, o)"),
    (ex.check_cifg_step, "cifg:equal", "not i = f"),
    (ex.check_cifg_step, "cifg:plain_lstm", "that is the plain LSTM"),
    (ex.check_softmax_cross_entropy_grad, lambda z, y: _softmax(z) - _onehot(y, z), "divide by n = B * T"),
    (
        ex.check_softmax_cross_entropy_grad,
        lambda z, y: (_softmax(z) - _onehot(y, z)) / y.shape[0],
        "divide by B * T, not by B",
    ),
    (
        ex.check_softmax_cross_entropy_grad,
        lambda z, y: (_onehot(y, z) - _softmax(z)) / y.size,
        "not onehot(y) - p",
    ),
    (ex.check_softmax_cross_entropy_grad, "softmax:onehot_axis_1", "LAST axis"),
    (
        ex.check_softmax_cross_entropy_grad,
        lambda z, y: (_softmax(z, 1) - _onehot(y, z)) / y.size,
        "not over time",
    ),
    (
        ex.check_softmax_cross_entropy_grad,
        lambda z, y: (np.exp(z) / np.exp(z).sum(-1, keepdims=True) - _onehot(y, z)) / y.size,
        "subtract each row's max",
    ),
    (ex.check_best_unit, "corr:signed", "rank the units by |r|, not by r"),
    (ex.check_best_unit, "corr:unsigned", "return r with its sign"),
    (ex.check_best_unit, "corr:dot", "a dot product (a cosine)"),
    (ex.check_best_unit, "corr:grand_mean", "its OWN mean over time"),
    (ex.check_best_unit, "corr:axis1", "average over time (axis 0)"),
    (ex.check_bidirectional_lstm, "bidir:not_reversed_back", "reverse the backward layer's outputs back"),
    (ex.check_bidirectional_lstm, "bidir:forward_reversed", "only the backward direction reads"),
    (ex.check_bidirectional_lstm, "bidir:backward_first", "forward first, then backward"),
    (ex.check_bidirectional_lstm, "bidir:same_weights", "each direction has its own weights"),
    (ex.check_mlp_predict, "mlp:feature_major", "step 1's D features first"),
    (ex.check_mlp_predict, "mlp:linear_second", "both hidden layers apply tanh"),
    (ex.check_mlp_predict, "mlp:tanh_output", "output layer is linear"),
    (ex.check_mlp_predict, "mlp:column", "shape (N,)"),
    (ex.check_beam_step, "beam:this_step_only", "not by this step's alone"),
    (ex.check_beam_step, "beam:worst_first", "keep the LARGEST"),
    (ex.check_beam_step, "beam:probabilities", "not their exp"),
    (ex.check_beam_step, "beam:cut_by_b", "b = index // V"),
    (ex.check_normalised_scores, lambda lp, n, a: lp * ((5 + n) / 6) ** a, "divide the log-probability"),
    (ex.check_normalised_scores, lambda lp, n, a: lp / (5 + n) ** a, "divide by 6 inside the power"),
    (ex.check_normalised_scores, lambda lp, n, a: lp / n**a, "not |Y| ** alpha"),
    (ex.check_normalised_scores, lambda lp, n, a: lp / ((5 + n) / 6 * a), "not times alpha"),
    (ex.check_repeat_vector_grad, lambda dy: dy[:, 0].copy(), "add the gradients of all n copies"),
    (ex.check_repeat_vector_grad, lambda dy: dy.sum(axis=1) / dy.shape[1], "not averaged"),
    (
        ex.check_whole_answer_accuracy,
        lambda p, t: float(np.mean(np.argmax(p, -1) == np.argmax(t, -1))),
        "every one of its characters",
    ),
    (
        ex.check_whole_answer_accuracy,
        lambda p, t: float(np.mean([any(r) for r in np.argmax(p, -1) == np.argmax(t, -1)])),
        "all T must be",
    ),
    (ex.check_bigram_bits_per_char, "bigram:unsmoothed", "probability 0"),
    (ex.check_bigram_bits_per_char, "bigram:nats", "log base 2"),
    (ex.check_bigram_bits_per_char, "bigram:over_m", "M - 1 predictions"),
    (ex.check_sample_next, "sampler:times_t", "divide the logits by the temperature"),
    (ex.check_sample_next, "sampler:no_max", "exp(z - max(z))"),
    (ex.check_sample_next, "sampler:not_normalised", "row sum"),
    (ex.check_perplexity_from_bits, lambda bpc: np.e**bpc, "not e ** bpc"),
    (ex.check_perplexity_from_bits, lambda bpc: 2 ** (bpc * np.log(2)), "already in bits"),
    (ex.check_perplexity_from_bits, lambda bpc: 2.0**-bpc, "at least 1"),
    (ex.check_copied_share, lambda s, t, n: np.mean(windows_found(s, t, n)[::n]), "EVERY position"),
    (ex.check_copied_share, lambda s, t, n: np.mean(windows_found(s, t, n)[:-1]), "L - n + 1 windows"),
    (ex.check_copied_share, lambda s, t, n: sum(windows_found(s, t, n)) / len(s), "not by the sample's"),
    (ex.check_copied_share, lambda s, t, n: float(sum(windows_found(s, t, n))), "not their count"),
    (ex.check_input_dropout_grad, lambda d, keep, p: d * keep[:, None, :], "scaled by 1 / (1 - rate) too"),
    (ex.check_input_dropout_grad, lambda d, keep, p: d * keep[:, None, :] * (1 - p), "divide by the keep"),
    (ex.check_input_dropout_grad, lambda d, keep, p: d * keep[:, None, :] / p, "not 1 / rate"),
    (
        ex.check_input_dropout_grad,
        lambda d, keep, p: d * ~keep[:, None, :] / (1 - p),
        "where an input was KEPT",
    ),
    (ex.check_input_dropout_grad, lambda d, keep, p: d / (1 - p), "multiply by keep"),
    (ex.check_masked_cross_entropy, "masked:every_position", "leave the padded positions"),
    (ex.check_masked_cross_entropy, "masked:per_sequence", "not per sequence"),
    (ex.check_masked_cross_entropy, "masked:over_bt", "not by B * T"),
    (ex.check_masked_cross_entropy, "masked:grad_at_padding", "zero at padded positions"),
    (ex.check_decoder_inputs, lambda y: y.copy(), "shift right"),
    (ex.check_decoder_inputs, lambda y: np.hstack([y[:, 1:], 0 * y[:, :1]]), "not to the left"),
    (ex.check_decoder_inputs, lambda y: np.hstack([0 * y[:, :1], y[:, :-1]]) * (y != 0), "column 0 is START"),
    (ex.check_decoder_inputs, lambda y: np.hstack([1 + 0 * y[:, :1], y[:, :-1]]), "even right after END"),
    (ex.check_masked_lstm_step, "mstep:every_row", "does not step"),
    (ex.check_masked_lstm_step, "mstep:zeroed", "do not reset it to zero"),
    (ex.check_masked_lstm_step, "mstep:old_cell", "cell state changes too"),
    (
        ex.check_input_dropout_grad,
        lambda d, keep, p: (d * keep[:, None, :] / (1 - p)).sum(axis=1),
        "do not sum over time",
    ),
    (ex.check_attention_weights, "attention:keys_axis_1", "over the KEYS"),
    (ex.check_attention_weights, "attention:no_mask", "no weight at all"),
    (ex.check_attention_weights, "attention:zeroed_after", "BEFORE the softmax"),
    (ex.check_attention_weights, "attention:masked_zero", "not 0"),
    (ex.check_attention_weights, "attention:scaled", "1/sqrt(D)"),
    (ex.check_attention_weights, "attention:context_from_keys", "VALUES"),
]


def windows_found(sample: str, training_text: str, n: int) -> list[bool]:
    """For each window sample[i : i + n], i = 0 .. L - n, whether Python's str search finds it."""
    return [sample[i : i + n] in training_text for i in range(len(sample) - n + 1)]


def _softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _onehot(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.eye(z.shape[-1])[y]


def bigram_by_hand(train: np.ndarray, held: np.ndarray, vocab_size: int, discount: float, kind: str) -> float:
    """Held-out bits per character of an interpolated absolute-discounting bigram, with loops."""
    d = 0.0 if kind == "unsmoothed" else discount
    counts = np.zeros((vocab_size, vocab_size))
    for h, w in itertools.pairwise(train):
        counts[h, w] += 1
    unigram = np.bincount(train, minlength=vocab_size).astype(float)
    p0 = (np.maximum(unigram - d, 0) + d * np.count_nonzero(unigram) / vocab_size) / unigram.sum()
    total = 0.0
    for h, w in itertools.pairwise(held):
        row = counts[h]
        if row.sum() == 0:
            p = p0[w]
        else:
            p = (max(row[w] - d, 0) + d * np.count_nonzero(row) * p0[w]) / row.sum()
        total -= np.log(p) if kind == "nats" else np.log2(p)
    return total / (len(held) if kind == "over_m" else len(held) - 1)


def sampler_by_hand(kind: str) -> Callable[..., Any]:
    def sample_next(logits, temperature, u):  # type: ignore[no-untyped-def]
        z = logits * temperature if kind == "times_t" else logits / temperature
        weights = np.exp(z) if kind == "no_max" else np.exp(z - z.max(axis=1, keepdims=True))
        p = weights if kind == "not_normalised" else weights / weights.sum(axis=1, keepdims=True)
        ids = np.array(
            [np.searchsorted(np.cumsum(row), ub, side="right") for row, ub in zip(p, u, strict=True)]
        )
        return p, np.minimum(ids, p.shape[1] - 1)

    return sample_next


def _named_wrong(name: str) -> Callable[..., Any]:
    """Wrong answers that take more than a lambda."""
    if name == "prepend":

        def forecast(f, w, n):  # type: ignore[no-untyped-def]
            w, out = w.copy(), []
            for _ in range(n):
                out.append(f(w.reshape(1, -1, 1))[0])
                w = np.concatenate([[out[-1]], w[:-1]])
            return np.array(out)

        return forecast
    if name in ("no_tanh_prime", "U_not_transposed"):

        def norms(x, W, U, b):  # type: ignore[no-untyped-def]
            h, hs = np.zeros((x.shape[0], U.shape[0])), []
            for t in range(x.shape[1]):
                h = np.tanh(x[:, t] @ W + h @ U + b)
                hs.append(h)
            g, out = np.ones_like(h), []
            for t in reversed(range(x.shape[1])):
                out.append(np.linalg.norm(g))
                g = g @ U.T if name == "no_tanh_prime" else (g * (1 - hs[t] ** 2)) @ U
            return np.array(out[::-1])

        return norms
    if name.startswith("order:"):
        names = name.split(":")[1]
        return lambda k, r, b: {
            n: (np.split(k, 4, 1)[j], np.split(r, 4, 1)[j], np.split(b, 4)[j]) for j, n in enumerate(names)
        }
    if name.startswith("gru:"):
        kind = name.split(":")[1]

        def gru(x, h, kernel, recurrent, bias):  # type: ignore[no-untyped-def]
            xs = np.split(x @ kernel + bias[0], 3, axis=1)
            hs = np.split(h @ recurrent + bias[1], 3, axis=1)
            if kind == "torch_order":
                (x_r, x_u, x_n), (h_r, h_u, h_n) = xs, hs
            else:
                (x_u, x_r, x_n), (h_u, h_r, h_n) = xs, hs
            u, r = sig(x_u + h_u), sig(x_r + h_r)
            cand = np.tanh(x_n + r * h_n)
            return (1 - u) * h + u * cand if kind == "swapped" else u * h + (1 - u) * cand

        return gru
    if name.startswith("backward:"):
        kind = name.split(":")[1]

        def backward(dh, dc, x, h, c, W, U, b):  # type: ignore[no-untyped-def]
            zi, zf, zg, zo = np.split(x @ W + h @ U + b, 4, axis=1)
            i, f, g, o = sig(zi), sig(zf), np.tanh(zg), sig(zo)
            tc = np.tanh(f * c + i * g)
            d = dc + dh * o * (1 if kind == "no_tanh_prime" else 1 - tc**2)
            dz = np.hstack(
                [d * g * i * (1 - i), d * c * f * (1 - f), d * i * (1 - g**2), dh * tc * o * (1 - o)]
            )
            return dz @ W.T, dz @ U.T, d if kind == "no_forget" else d * f, x.T @ dz, h.T @ dz, dz.sum(0)

        return backward
    if name.startswith("bptt:"):
        kind = name.split(":")[1]

        def bptt(dhs, x, W, U, b):  # type: ignore[no-untyped-def]
            step = REFERENCE["lstm_step"]
            back = REFERENCE["lstm_step_backward"]
            hs, cs = [np.zeros(dhs[:, 0].shape)], [np.zeros(dhs[:, 0].shape)]
            for t in range(x.shape[1]):
                h, c = step(x[:, t], hs[-1], cs[-1], W, U, b)
                hs.append(h)
                cs.append(c)
            dx, dW, dU, db = np.zeros_like(x), np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
            dh_next = np.zeros(dhs[:, 0].shape)
            for t in reversed(range(x.shape[1])):
                dh = dhs[:, t] if kind == "no_carry" else dhs[:, t] + dh_next  # no_dc: dh carried, dc not
                dx[:, t], dh_next, _, gW, gU, gb = back(dh, np.zeros_like(dh), x[:, t], hs[t], cs[t], W, U, b)
                dW, dU, db = dW + gW, dU + gU, db + gb
            return dx, dW, dU, db

        return bptt
    if name.startswith("adam:"):
        kind = name.split(":")[1]

        def adam(w, g, m, v, t, lr=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):  # type: ignore[no-untyped-def]
            m = beta_1 * m + (1 - beta_1) * g
            v = beta_2 * v + (1 - beta_2) * g * g
            if kind == "paper":
                return w - lr * (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon), m, v
            return w - lr * m / (np.sqrt(v) + epsilon), m, v

        return adam
    if name.startswith("readout:"):
        kind = name.split(":")[1]

        def predict(x, W, U, b, V, a):  # type: ignore[no-untyped-def]
            H = U.shape[0]
            h, c, hs = np.zeros((len(x), H)), np.zeros((len(x), H)), []
            for t in range(x.shape[1]):
                zi, zf, zg, zo = np.split(x[:, t] @ W + h @ U + b, 4, axis=1)
                c = sig(zf) * c + sig(zi) * np.tanh(zg)
                h = sig(zo) * np.tanh(c)
                hs.append(h)
            read = {"first": hs[0], "cell": c, "no_dense_bias": h}[kind]
            return (read @ V)[:, 0] + (0 if kind == "no_dense_bias" else a[0])

        return predict
    if name.startswith("ar:"):
        kind = name.split(":")[1]

        def fit_ar(x, y, p):  # type: ignore[no-untyped-def]
            lags = x[:, :p, 0] if kind == "oldest_lags" else x[:, x.shape[1] - p :, 0]
            if kind == "no_constant":
                return np.linalg.solve(lags.T @ lags, lags.T @ y), 0.0
            design = np.column_stack([lags, np.ones(len(y))])
            w = np.linalg.solve(design.T @ design, design.T @ y)  # the normal equations
            return (w[p - 1 :: -1] if kind == "newest_first" else w[:p]), w[p]

        return fit_ar
    if name.startswith("split:"):
        kind = name.split(":")[1]

        def split(series, k, cut):  # type: ignore[no-untyped-def]
            starts = np.arange(len(series) - k)
            x = np.array([series[i : i + k] for i in starts])[..., None]
            y = series[starts + k]
            if kind == "windows_at_cut":  # split the list of windows, not the series
                return x[:cut], y[:cut], x[cut:], y[cut:]
            train = starts + k < cut
            test = starts >= cut  # test windows only from samples after the cut
            return x[train], y[train], x[test], y[test]

        return split
    if name.startswith("peephole:"):
        kind = name.split(":")[1]

        def peephole(x, h, c, W, U, b, P):  # type: ignore[no-untyped-def]
            zi, zf, zg, zo = np.split(x @ W + h @ U + b, 4, axis=1)
            p_i, p_f, p_o = (P[1], P[0], P[2]) if kind == "rows_f_i_o" else (P[0], P[1], P[2])
            if kind == "none":
                p_i = p_f = p_o = 0 * P[0]
            c_new = sig(zf + p_f * c) * c + sig(zi + p_i * c) * np.tanh(zg)
            o = sig(zo + p_o * (c if kind == "old_cell" else c_new))
            return o * np.tanh(c_new), c_new

        return peephole
    if name.startswith("bigram:"):
        kind = name.split(":")[1]
        return lambda train, held, v, d: bigram_by_hand(train, held, v, d, kind)
    if name.startswith("sampler:"):
        return sampler_by_hand(name.split(":")[1])
    if name.startswith("cifg:"):
        kind = name.split(":")[1]

        def cifg(x, h, c, W, U, b):  # type: ignore[no-untyped-def]
            zi, zf, zg, zo = np.split(x @ W + h @ U + b, 4, axis=1)
            f = sig(zf)
            i = f if kind == "equal" else sig(zi)
            c_new = f * c + i * np.tanh(zg)
            return sig(zo) * np.tanh(c_new), c_new

        return cifg
    if name == "softmax:onehot_axis_1":

        def along_time(z, y):  # type: ignore[no-untyped-def]
            onehot = np.zeros_like(z)
            np.put_along_axis(onehot, y[..., None], 1.0, axis=1)
            return (_softmax(z) - onehot) / y.size

        return along_time
    if name.startswith("corr:"):
        kind = name.split(":")[1]

        def best(a, y):  # type: ignore[no-untyped-def]
            y = y.astype(float)
            if kind in ("signed", "unsigned", "grand_mean", "axis1"):
                y = y - y.mean()
                a = a - {"grand_mean": a.mean(), "axis1": a.mean(axis=1, keepdims=True)}.get(
                    kind, a.mean(axis=0)
                )
            norm = np.sqrt((a * a).sum(axis=0)) * np.sqrt(y @ y)
            r = np.where(norm > 1e-12, (y @ a) / np.where(norm > 1e-12, norm, 1.0), 0.0)
            unit = int(np.argmax(r if kind == "signed" else np.abs(r)))
            return unit, (abs(r[unit]) if kind == "unsigned" else r[unit])

        return best
    if name.startswith("mlp:"):
        kind = name.split(":")[1]

        def mlp(x, W1, b1, W2, b2, W3, b3):  # type: ignore[no-untyped-def]
            flat = (x.transpose(0, 2, 1) if kind == "feature_major" else x).reshape(len(x), -1)
            h1 = np.tanh(flat @ W1 + b1)
            h2 = h1 @ W2 + b2 if kind == "linear_second" else np.tanh(h1 @ W2 + b2)
            y = h2 @ W3 + b3
            return y if kind == "column" else np.tanh(y[:, 0]) if kind == "tanh_output" else y[:, 0]

        return mlp
    if name.startswith("masked:"):
        kind = name.split(":")[1]

        def masked(logits, y):  # type: ignore[no-untyped-def]
            p = _softmax(logits)
            nll = -np.log(np.take_along_axis(p, y[..., None], axis=-1)[..., 0])
            real = y != 0
            if kind == "every_position":
                return nll.mean(), (p - _onehot(y, logits)) / y.size
            if kind == "per_sequence":  # each row's mean, then the mean of the rows
                counts = np.maximum(real.sum(axis=1, keepdims=True), 1)
                loss = ((nll * real).sum(axis=1) / counts[:, 0]).mean()
                return loss, (p - _onehot(y, logits)) * (real / counts / len(y))[..., None]
            n = y.size if kind == "over_bt" else real.sum()
            grad = (p - _onehot(y, logits)) / n
            return (nll * real).sum() / n, grad if kind == "grad_at_padding" else grad * real[..., None]

        return masked
    if name.startswith("mstep:"):
        kind = name.split(":")[1]

        def masked_step(x, h, c, mask, W, U, b):  # type: ignore[no-untyped-def]
            h_new, c_new = lstm_step_with("ifgo")(x, h, c, W, U, b)
            if kind == "every_row":
                return h_new, c_new
            real = mask[:, None]
            if kind == "zeroed":
                return np.where(real, h_new, 0.0), np.where(real, c_new, 0.0)
            return np.where(real, h_new, h), c  # old_cell

        return masked_step
    if name.startswith("beam:"):
        kind = name.split(":")[1]

        def beam_step(log_probs, beam, width):  # type: ignore[no-untyped-def]
            # every extension listed with loops, then sorted by hand
            B, V = log_probs.shape
            rank = (
                (lambda b, v: log_probs[b, v])
                if kind == "this_step_only"
                else (lambda b, v: beam[b] + log_probs[b, v])
            )
            pairs = sorted(
                ((b, v) for b in range(B) for v in range(V)),
                key=lambda bv: rank(*bv),
                reverse=kind != "worst_first",
            )[:width]
            totals = np.array([beam[b] + log_probs[b, v] for b, v in pairs])
            flat = np.array([b * V + v for b, v in pairs])
            if kind == "cut_by_b":
                return flat // B, flat % B, totals
            rows, ids = np.array([b for b, _ in pairs]), np.array([v for _, v in pairs])
            return rows, ids, (np.exp(totals) if kind == "probabilities" else totals)

        return beam_step
    if name.startswith("attention:"):
        kind = name.split(":")[1]

        def attention(q, k, v, mask):  # type: ignore[no-untyped-def]
            scores = q @ k.transpose(0, 2, 1)
            if kind == "scaled":
                scores = scores / np.sqrt(q.shape[-1])
            if kind == "masked_zero":
                scores = scores * mask[:, None, :]
            elif kind not in ("no_mask", "zeroed_after"):
                scores = np.where(mask[:, None, :], scores, -1e9)
            weights = _softmax(scores, axis=1 if kind == "keys_axis_1" else -1)
            if kind == "zeroed_after":
                weights = weights * mask[:, None, :]
            return weights, weights @ (k if kind == "context_from_keys" else v)

        return attention
    if name.startswith("bidir:"):
        kind = name.split(":")[1]

        def run(x, W, U, b):  # type: ignore[no-untyped-def]
            # the LSTM from its equations, over time: (B, T, D) -> (B, T, H)
            h = c = np.zeros((x.shape[0], U.shape[0]))
            hs = []
            for t in range(x.shape[1]):
                zi, zf, zg, zo = np.split(x[:, t] @ W + h @ U + b, 4, axis=1)
                c = sig(zf) * c + sig(zi) * np.tanh(zg)
                h = sig(zo) * np.tanh(c)
                hs.append(h)
            return np.stack(hs, axis=1)

        def bidirectional(x, Wf, Uf, bf, Wb, Ub, bb):  # type: ignore[no-untyped-def]
            if kind == "same_weights":
                Wb, Ub, bb = Wf, Uf, bf
            forward = (
                run(x[:, ::-1], Wf, Uf, bf)[:, ::-1] if kind == "forward_reversed" else run(x, Wf, Uf, bf)
            )
            backward = run(x[:, ::-1], Wb, Ub, bb)
            if kind != "not_reversed_back":
                backward = backward[:, ::-1]
            halves = [backward, forward] if kind == "backward_first" else [forward, backward]
            return np.concatenate(halves, axis=-1)

        return bidirectional
    raise KeyError(name)


def test_the_registry_names_every_checker_once() -> None:
    exercises = list(ex.EXERCISES.values())
    assert len(exercises) == 38 and len({e.check for e in exercises}) == 38
    assert sorted(e.check.__name__ for e in exercises) == sorted(
        n for n in ex.__all__ if n.startswith("check_")
    )
    for exercise_id, exercise in ex.EXERCISES.items():
        assert exercise.id == exercise_id and exercise_id.startswith(f"ch{exercise.chapter[:2]}-")
        assert exercise.reference.__module__ == exercise.check.__module__  # the chapter's module
        with pytest.raises(AttributeError):
            exercise.title = "changed"  # type: ignore[misc]  # records are frozen


@pytest.mark.parametrize("exercise", list(ex.EXERCISES), ids=str)
def test_reference_solution_passes(exercise: str, capsys: pytest.CaptureFixture[str]) -> None:
    entry = ex.EXERCISES[exercise]
    result = entry.check(entry.reference)
    assert result.passed and result.status == "pass" and result.cases_run >= 2
    assert result.raise_if_failed() is result
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "passed" in out  # exactly one verdict line


@pytest.mark.parametrize(("check", "wrong", "hint"), WRONG, ids=lambda v: getattr(v, "__name__", str(v))[:30])
def test_wrong_answers_fail_with_the_right_hint(check: Any, wrong: Any, hint: str, capsys: Any) -> None:
    function = _named_wrong(wrong) if isinstance(wrong, str) else wrong
    result = check(function)
    assert not result.passed
    assert result.status in ("fail", "wrong_shape", "error")
    assert hint in result.hint, (result.message, result.hint)
    with pytest.raises(AssertionError):
        result.raise_if_failed()
    assert "Hint:" in capsys.readouterr().out


def test_every_checker_is_tested_with_two_wrong_answers() -> None:
    counts: dict[str, int] = {}
    for check, _, _ in WRONG:
        counts[check.__name__] = counts.get(check.__name__, 0) + 1
    for exercise in ex.EXERCISES.values():
        assert counts.get(exercise.check.__name__, 0) >= 2, exercise.check.__name__


@pytest.mark.parametrize("exercise", list(ex.EXERCISES), ids=str)
def test_broken_answers_are_reported_not_raised(exercise: str, capsys: Any) -> None:
    check = ex.EXERCISES[exercise].check

    def stub(*args: Any) -> Any:
        raise NotImplementedError

    def crashes(*args: Any) -> Any:
        raise KeyError("oops")

    def wrong_shape(*args: Any) -> Any:
        return np.zeros((7, 3, 2))

    assert check(stub).status == "not_implemented"
    assert "not implemented yet" in capsys.readouterr().out
    crashed = check(crashes)
    assert crashed.status == "error" and "KeyError" in crashed.message
    assert check(wrong_shape).status == "wrong_shape"
    assert check("not a function").status == "error"  # type: ignore[arg-type]


# The references themselves, against independent implementations.
# The references themselves, against independent implementations. Each reference is the package's own
# function, so agreeing with the package would prove nothing: the witnesses are torch (its modules and
# autograd), Keras, and loops written here from the equations.


def _t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, dtype=np.float64))


def _torch_cell(kind: Any, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> Any:
    """A torch cell or layer with Keras' weights: transposed matrices, all of b in bias_ih."""
    module = kind(W.shape[0], U.shape[0], dtype=torch.float64)
    suffix = "_l0" if kind in (torch.nn.LSTM, torch.nn.RNN) else ""
    with torch.no_grad():
        getattr(module, f"weight_ih{suffix}").copy_(_t(W.T))
        getattr(module, f"weight_hh{suffix}").copy_(_t(U.T))
        getattr(module, f"bias_ih{suffix}").copy_(_t(b))
        getattr(module, f"bias_hh{suffix}").zero_()
    return module


def test_window_and_rnn_references_match_the_classic_loop_and_torch() -> None:
    series = np.sin(np.arange(50) / 4.0)
    x, y = REFERENCE["make_windows"](series, 7)
    rows = range(len(series) - 7 - 1)  # the classic loop
    np.testing.assert_array_equal(x, np.array([series[i : i + 7] for i in rows])[:, :, None])
    np.testing.assert_array_equal(y, np.array([series[i + 7] for i in rows]))

    rng = np.random.default_rng(0)
    W, U, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 3)), rng.normal(size=3)
    x_t, h = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    expected = _torch_cell(torch.nn.RNNCell, W, U, b)(_t(x_t), _t(h)).detach().numpy()
    assert rel_error(REFERENCE["rnn_step"](x_t, h, W, U, b), expected) <= 1e-14

    # dL/dh_t for L = sum(h_T) by torch's autograd through the steps, one norm over (B, H) per step.
    x = rng.normal(size=(2, 6, 2))
    cell, state, states = (
        _torch_cell(torch.nn.RNNCell, W, U * 0.5, b),
        torch.zeros(2, 3, dtype=torch.float64),
        [],
    )
    for t in range(6):
        state = cell(_t(x[:, t]), state)
        state.retain_grad()
        states.append(state)
    states[-1].sum().backward()
    norms = np.array([float(s.grad.norm()) for s in states])  # type: ignore[union-attr]
    assert rel_error(REFERENCE["hidden_grad_norms"](x, W, U * 0.5, b), norms) <= 1e-12


def test_lstm_references_match_torch_and_its_autograd() -> None:
    rng = np.random.default_rng(2)
    W, U, b = rng.normal(size=(2, 12)), rng.normal(scale=0.7, size=(3, 12)), rng.normal(size=12)
    x_t, h, c = rng.normal(size=(4, 2)), rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    cell = _torch_cell(torch.nn.LSTMCell, W, U, b)
    inputs = [_t(a).requires_grad_() for a in (x_t, h, c)]
    h_t, c_t = cell(inputs[0], (inputs[1], inputs[2]))
    for ours, theirs in zip(REFERENCE["lstm_step"](x_t, h, c, W, U, b), (h_t, c_t), strict=True):
        assert rel_error(ours, theirs.detach().numpy()) <= 1e-14

    dh, dc = rng.normal(size=(2, 4, 3))
    ((_t(dh) * h_t).sum() + (_t(dc) * c_t).sum()).backward()
    expected = [a.grad.numpy() for a in inputs]  # type: ignore[union-attr]
    expected += [cell.weight_ih.grad.numpy().T, cell.weight_hh.grad.numpy().T, cell.bias_ih.grad.numpy()]
    for ours, theirs in zip(
        REFERENCE["lstm_step_backward"](dh, dc, x_t, h, c, W, U, b), expected, strict=True
    ):
        assert rel_error(ours, theirs) <= 1e-12

    x, dhs = rng.normal(size=(3, 5, 2)), rng.normal(size=(3, 5, 3))
    layer = _torch_cell(torch.nn.LSTM, W, U, b)
    layer.batch_first = True
    x_torch = _t(x).requires_grad_()
    (layer(x_torch)[0] * _t(dhs)).sum().backward()
    expected = [x_torch.grad.numpy(), layer.weight_ih_l0.grad.numpy().T]  # type: ignore[union-attr]
    expected += [layer.weight_hh_l0.grad.numpy().T, layer.bias_ih_l0.grad.numpy()]
    for ours, theirs in zip(REFERENCE["lstm_bptt"](dhs, x, W, U, b), expected, strict=True):
        assert rel_error(ours, theirs) <= 1e-12


def test_weight_layout_references_match_slicing_and_torch() -> None:
    rng = np.random.default_rng(6)
    D, H = 2, 3
    kernel, recurrent, bias = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    split = REFERENCE["split_keras_lstm"](kernel, recurrent, bias)
    assert list(split) == ["i", "f", "c", "o"]
    for k, name in enumerate("ifco"):
        block = slice(k * H, (k + 1) * H)
        for ours, theirs in zip(
            split[name], (kernel[:, block], recurrent[:, block], bias[block]), strict=True
        ):
            np.testing.assert_array_equal(ours, theirs)

    # Keras' weights from torch's must compute torch's outputs, in an LSTM step written here.
    module = torch.nn.LSTM(D, H, dtype=torch.float64)
    sd = {k: v.detach().numpy() for k, v in module.state_dict().items()}
    converted = REFERENCE["torch_to_keras"](
        sd["weight_ih_l0"], sd["weight_hh_l0"], sd["bias_ih_l0"], sd["bias_hh_l0"]
    )
    x, h0, c0 = rng.normal(size=(4, 1, D)), rng.normal(size=(1, 4, H)), rng.normal(size=(1, 4, H))
    _, (h_torch, c_torch) = module(_t(x).transpose(0, 1), (_t(h0), _t(c0)))
    h, c = lstm_step_with("ifgo")(x[:, 0], h0[0], c0[0], *converted)
    assert rel_error(h, h_torch[0].detach().numpy()) <= 1e-12
    assert rel_error(c, c_torch[0].detach().numpy()) <= 1e-12


def test_sigmoid_clip_and_adam_references_match_torch_and_keras() -> None:
    from lstm_tutorial.frameworks.keras import keras

    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(REFERENCE["sigmoid"](z), torch.sigmoid(_t(z)).numpy(), rtol=0, atol=1e-15)

    rng = np.random.default_rng(0)
    grads_list = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads_list]
    for tensor, grad in zip(tensors, grads_list, strict=True):
        tensor.grad = _t(grad)
    torch.nn.utils.clip_grad_norm_(tensors, 0.5)
    for a, tensor in zip(REFERENCE["clip_by_global_norm"](grads_list, 0.5), tensors, strict=True):
        np.testing.assert_allclose(a, tensor.grad.numpy(), rtol=1e-5)  # type: ignore[union-attr]

    # Keras 3's own Adam on a float64 variable. Its learning rate lives in a float32 variable, so the
    # test uses one that float32 holds exactly, 2**-10.
    w, g = rng.normal(size=5), rng.normal(size=5)
    variable = keras.Variable(w.copy(), dtype="float64")
    optimizer = keras.optimizers.Adam(learning_rate=2**-10)
    ours, m, v = w.copy(), np.zeros(5), np.zeros(5)
    for t in (1, 2, 3):
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g * t, dtype="float64"), variable)])
        ours, m, v = REFERENCE["adam_step"](ours, g * t, m, v, t, lr=2**-10)
    assert rel_error(ours, keras.ops.convert_to_numpy(variable)) <= 1e-12
    assert rel_error(ours, w) > 1e-4  # the weights moved: the test can fail


def test_gru_reference_matches_keras() -> None:
    from lstm_tutorial.frameworks.keras import keras

    rng = np.random.default_rng(3)
    layer = keras.layers.GRU(4, return_sequences=True)  # reset_after=True is Keras' default
    layer.build((None, 3, 2))
    kernel, recurrent, bias = (
        rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in layer.get_weights()
    )
    layer.set_weights([kernel, recurrent, bias])
    x = rng.normal(size=(5, 3, 2)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(layer(x))
    h = np.zeros((5, 4))
    for t in range(3):
        h = REFERENCE["gru_step"](
            x[:, t].astype(np.float64),
            h,
            kernel.astype(np.float64),
            recurrent.astype(np.float64),
            bias.astype(np.float64),
        )
        assert np.abs(h - expected[:, t]).max() <= 1e-5


def test_persistence_and_recursive_references_on_hand_checked_cases() -> None:
    np.testing.assert_array_equal(
        REFERENCE["persistence_forecast"](np.arange(6.0).reshape(2, 3, 1)), [2.0, 5.0]
    )
    # An AR(2) model is exact on a sine: sin(t + d) = 2 cos(d) sin(t) - sin(t - d).
    d = 0.25
    weights = np.array([-1.0, 2 * np.cos(d)])
    forecast = REFERENCE["recursive_forecast"](lambda w: w[:, :, 0] @ weights, np.sin(np.array([0.0, d])), 30)
    np.testing.assert_allclose(forecast, np.sin(d * np.arange(2, 32)), atol=1e-12)
    np.testing.assert_allclose(REFERENCE["cell_path_gain"](np.full((1, 3, 2), 0.5)), np.full((1, 2), 0.125))


def test_sine_model_references_match_keras() -> None:
    """The parameter count is Keras' count_params; the forward pass is Keras' predict on the same weights."""
    from lstm_tutorial.frameworks.keras import build_sine_model

    for inputs, hidden, steps in [(1, 4, 10), (3, 7, 5), (2, 1, 3)]:
        model = build_sine_model(units=hidden, look_back=steps, features=inputs, seed=inputs)
        assert REFERENCE["sine_model_param_count"](inputs, hidden) == model.count_params()

        rng = np.random.default_rng(hidden)
        weights = [rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in model.get_weights()]
        model.set_weights(weights)
        x = rng.normal(size=(6, steps, inputs)).astype(np.float32)
        expected = model.predict(x, verbose=0)[:, 0]
        ours = REFERENCE["sine_model_predict"](x.astype(np.float64), *(w.astype(np.float64) for w in weights))
        assert ours.shape == (6,)
        assert np.abs(ours - expected).max() <= 1e-5
        assert np.abs(expected).max() > 0.05  # not a trivially small output


def test_autoregression_reference_is_least_squares_and_exact_on_a_sine() -> None:
    """fit_ar: the residual is orthogonal to every column of the design matrix (what least squares
    means), the normal equations agree, and on a clean sine AR(2) is the addition theorem."""
    from lstm_tutorial.tasks.data import make_windows, sine_wave

    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(50, 6, 1)), rng.normal(size=50)
    coef, intercept = REFERENCE["fit_ar"](x, y, 3)
    design = np.column_stack([x[:, 3:, 0], np.ones(50)])
    residual = design @ np.append(coef, intercept) - y
    assert np.abs(design.T @ residual).max() <= 1e-10 * np.abs(design.T @ y).max()
    normal = np.linalg.solve(design.T @ design, design.T @ y)  # the normal equations, solved directly
    np.testing.assert_allclose(coef, normal[:3], rtol=1e-10)
    assert abs(intercept - normal[3]) <= 1e-12

    x, y = make_windows(sine_wave(200, period=50), look_back=10)
    coef, intercept = REFERENCE["fit_ar"](x, y, 2)
    np.testing.assert_allclose(coef, [-1.0, 2 * np.cos(2 * np.pi / 50)], atol=1e-9)
    assert abs(intercept) <= 1e-9


def test_split_reference_keeps_every_window_and_leaks_nothing() -> None:
    stamps = np.arange(100.0)  # the value at time t is t
    x_train, y_train, x_test, y_test = REFERENCE["split_in_time"](stamps, 10, 67)
    assert max(x_train.max(), y_train.max()) == 66  # training sees nothing from the cut on
    np.testing.assert_array_equal(y_train, np.arange(10.0, 67.0))  # every earlier window, none dropped
    np.testing.assert_array_equal(y_test, np.arange(67.0, 100.0))  # every later sample is a test target
    for x, y in ((x_train, y_train), (x_test, y_test)):  # each window: the 10 samples before its target
        np.testing.assert_array_equal(x[:, :, 0], y[:, None] + np.arange(-10.0, 0.0))


def peephole_by_hand(x, h, c, W, U, b, P):  # type: ignore[no-untyped-def]
    """Gers, Schraudolph & Schmidhuber (2002): i and f look at c_(t-1), o at c_t."""
    zi, zf, zg, zo = np.split(x @ W + h @ U + b, 4, axis=1)
    c_new = sig(zf + P[1] * c) * c + sig(zi + P[0] * c) * np.tanh(zg)
    return sig(zo + P[2] * c_new) * np.tanh(c_new), c_new


def test_peephole_and_cifg_references_match_the_equations_and_torch() -> None:
    """peephole_step is the peephole equations written here; with P = 0 it is torch.nn.LSTM.
    cifg_step is torch.nn.LSTM whose input-gate weights are minus its forget-gate weights,
    since sigmoid(-z) = 1 - sigmoid(z)."""
    rng = np.random.default_rng(5)
    B, D, H = 3, 2, 4
    W, U, b = (
        rng.normal(scale=0.7, size=(D, 4 * H)),
        rng.normal(scale=0.7, size=(H, 4 * H)),
        rng.normal(size=4 * H),
    )
    x, h0, c0 = rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(scale=1.5, size=(B, H))

    def torch_step(W: np.ndarray, U: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h, c = _torch_cell(torch.nn.LSTMCell, W, U, b)(_t(x), (_t(h0), _t(c0)))
        return h.detach().numpy(), c.detach().numpy()

    peep = rng.normal(size=(3, H))
    ours = REFERENCE["peephole_step"](x, h0, c0, W, U, b, peep)
    for a, expected in zip(ours, peephole_by_hand(x, h0, c0, W, U, b, peep), strict=True):
        assert rel_error(a, expected) <= 1e-14
    ours = REFERENCE["peephole_step"](x, h0, c0, W, U, b, np.zeros((3, H)))
    for a, expected in zip(ours, torch_step(W, U, b), strict=True):
        assert rel_error(a, expected) <= 1e-12

    h, c = REFERENCE["cifg_step"](x, h0, c0, W, U, b)
    mirrored = [m.copy() for m in (W, U, b)]
    for array in (mirrored[0], mirrored[1], mirrored[2][None]):
        array[..., :H] = -array[..., H : 2 * H]  # input-gate block = minus forget-gate block
    for ours, theirs in zip((h, c), torch_step(*mirrored), strict=True):
        assert rel_error(ours, theirs) <= 1e-12
    assert rel_error(c, torch_step(W, U, b)[1]) > 1e-3  # the plain LSTM differs: the test can fail


def test_softmax_cross_entropy_grad_reference_matches_torch_autograd() -> None:
    """(p - onehot(y)) / (B T) is the gradient torch's cross_entropy (mean) gives its logits."""
    rng = np.random.default_rng(7)
    for batch, steps, vocab in [(1, 1, 2), (3, 4, 7), (2, 6, 11)]:
        logits = rng.normal(scale=3.0, size=(batch, steps, vocab))
        y = rng.integers(0, vocab, size=(batch, steps))
        z = _t(logits).requires_grad_(True)
        torch.nn.functional.cross_entropy(z.reshape(-1, vocab), torch.from_numpy(y).reshape(-1)).backward()
        ours = REFERENCE["softmax_cross_entropy_grad"](logits, y)
        assert ours.shape == (batch, steps, vocab)
        assert rel_error(ours, z.grad.numpy()) <= 1e-12
        assert np.abs(ours.sum(axis=-1)).max() <= 1e-15  # each step's gradient sums to zero
    large = 800.0 + rng.normal(size=(2, 3, 5))  # exp(800) overflows; the reference does not
    assert np.isfinite(REFERENCE["softmax_cross_entropy_grad"](large, np.zeros((2, 3), dtype=np.int64))).all()


def test_best_unit_reference_matches_corrcoef_and_names_a_nan_answer(capsys: Any) -> None:
    # np.corrcoef per unit, the constant units left out by hand: the witness for probe.best_unit
    rng = np.random.default_rng(5)
    for n, h in [(50, 4), (300, 9)]:
        labels = rng.integers(0, 3, size=n)
        a = rng.normal(size=(n, h)) + np.outer(labels, rng.normal(size=h))
        a[:, 2] = -1.5  # constant
        rs = [np.corrcoef(a[:, j], labels)[0, 1] if j != 2 else 0.0 for j in range(h)]
        unit = int(np.argmax(np.abs(rs)))
        got_unit, got_r = REFERENCE["best_unit"](a, labels)
        assert got_unit == unit and abs(got_r - rs[unit]) < 1e-12

    def naive(a, y):  # type: ignore[no-untyped-def]
        r = _r(a, y)
        unit = np.argmax(np.abs(r))  # NaN wins argmax; and a NumPy integer, which is fine
        return unit, r[unit]

    result = ex.check_best_unit(naive)
    assert result.status == "error" and "a unit that never changes" in result.message
    capsys.readouterr()

    def careful(a, y):  # type: ignore[no-untyped-def]
        r = np.nan_to_num(_r(a, y))  # a constant unit: r = 0
        unit = np.argmax(np.abs(r))
        return unit, r[unit]

    assert ex.check_best_unit(careful).passed  # np.intp units are accepted


def _r(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.array([np.corrcoef(a[:, j], y)[0, 1] for j in range(a.shape[1])])


def test_input_dropout_grad_reference_matches_torch_autograd() -> None:
    """The gradient of x through x * keep / (1 - p), the mask broadcast over time, by torch autograd."""
    rng = np.random.default_rng(5)
    for batch, steps, features, rate in [(3, 5, 4, 0.25), (1, 7, 2, 0.5), (2, 1, 3, 0.9)]:
        keep = rng.random((batch, features)) >= rate
        d_dropped = rng.normal(size=(batch, steps, features))
        x = torch.tensor(rng.normal(size=(batch, steps, features)), requires_grad=True)
        dropped = x * torch.from_numpy(keep[:, None, :]).double() / (1 - rate)
        (dropped * torch.from_numpy(d_dropped)).sum().backward()
        ours = REFERENCE["input_dropout_grad"](d_dropped, keep, rate)
        assert rel_error(ours, x.grad.numpy()) <= 1e-15


def test_bidirectional_reference_matches_torch_bidirectional_lstm() -> None:
    """bidirectional_lstm is torch.nn.LSTM(bidirectional=True): forward weights in the _l0 names,
    backward ones in the _l0_reverse names, output (B, T, 2H) forward half first."""
    rng = np.random.default_rng(13)
    B, T, D, H = 2, 6, 3, 4
    x = rng.normal(size=(B, T, D))
    weights = [rng.normal(scale=0.6, size=shape) for shape in [(D, 4 * H), (H, 4 * H), (4 * H,)] * 2]
    module = torch.nn.LSTM(D, H, batch_first=True, bidirectional=True, dtype=torch.float64)
    with torch.no_grad():
        for suffix, (W, U, b) in (("", weights[:3]), ("_reverse", weights[3:])):
            getattr(module, f"weight_ih_l0{suffix}").copy_(_t(W.T))
            getattr(module, f"weight_hh_l0{suffix}").copy_(_t(U.T))
            getattr(module, f"bias_ih_l0{suffix}").copy_(_t(b))
            getattr(module, f"bias_hh_l0{suffix}").zero_()
    expected = module(_t(x))[0].detach().numpy()
    ours = REFERENCE["bidirectional_lstm"](x, *weights)
    assert ours.shape == (B, T, 2 * H)
    assert rel_error(ours, expected) <= 1e-12
    assert rel_error(ours[..., H:], expected[..., H:][:, ::-1]) > 1e-3  # the order matters: it can fail


def test_mlp_reference_matches_torch_layers() -> None:
    rng = np.random.default_rng(13)
    n, steps, features, h1, h2 = 4, 5, 2, 3, 6
    x = rng.normal(size=(n, steps, features))
    W1, b1, W2, b2, W3, b3 = (
        rng.normal(size=shape) for shape in [(10, h1), (h1,), (h1, h2), (h2,), (h2, 1), (1,)]
    )
    module = torch.nn.Sequential(
        torch.nn.Flatten(),  # torch flattens (T, D) step by step, as the exercise asks
        torch.nn.Linear(10, h1, dtype=torch.float64),
        torch.nn.Tanh(),
        torch.nn.Linear(h1, h2, dtype=torch.float64),
        torch.nn.Tanh(),
        torch.nn.Linear(h2, 1, dtype=torch.float64),
    )
    with torch.no_grad():
        for linear, (W, b) in zip(module[1::2], [(W1, b1), (W2, b2), (W3, b3)], strict=True):
            linear.weight.copy_(_t(W.T))
            linear.bias.copy_(_t(b))
    expected = module(_t(x)).detach().numpy()[:, 0]
    np.testing.assert_allclose(REFERENCE["mlp_predict"](x, W1, b1, W2, b2, W3, b3), expected, rtol=1e-12)


def test_bigram_sampler_and_perplexity_references_match_loops_and_torch() -> None:
    """bigram_bits_per_char is the interpolated bigram counted with loops here; sample_next's
    probabilities are torch.softmax of logits / T and its ids the first index whose cumulative
    probability exceeds u; perplexity_from_bits is 2 ** bpc."""
    r = np.random.default_rng(7)
    train, held = r.integers(0, 5, size=300), r.integers(0, 6, size=50)  # id 5 unseen in training
    for d in (0.2, 0.9):
        expected = bigram_by_hand(train, held, 6, d, "right")
        assert abs(REFERENCE["bigram_bits_per_char"](train, held, 6, d) - expected) <= 1e-12 * expected
    assert REFERENCE["bigram_bits_per_char"](train, held, 6, 0.0) == np.inf  # unseen pairs: p = 0
    logits, u = 3 * r.normal(size=(20, 9)), r.random(20)
    p, ids = REFERENCE["sample_next"](logits, 0.6, u)
    assert rel_error(p, torch.softmax(_t(logits / 0.6), dim=1).numpy()) <= 1e-14
    _hand_p, hand_ids = sampler_by_hand("right")(logits, 0.6, u)
    assert np.array_equal(ids, hand_ids) and len(set(ids.tolist())) > 2
    draws = REFERENCE["sample_next"](np.log(np.array([[0.1, 0.6, 0.3]] * 20000)), 1.0, r.random(20000))[1]
    assert np.abs(np.bincount(draws, minlength=3) / 20000 - [0.1, 0.6, 0.3]).max() < 0.015  # ~4 sigma
    assert REFERENCE["perplexity_from_bits"](3.0) == 8.0 and REFERENCE["perplexity_from_bits"](0.5) == 2**0.5


def test_the_novelty_reference_matches_pythons_substring_search() -> None:
    training_text = "def f(x):\n    return x + 1\n\ndef g(y):\n    return f(y) * 2\n"
    for sample, n in [("    return f(x) + 1", 5), ("def h(z):\n    return z", 3), (training_text, 12)]:
        expected = float(np.mean(windows_found(sample, training_text, n)))
        assert REFERENCE["copied_share"](sample, training_text, n) == pytest.approx(expected, abs=1e-15)
    assert REFERENCE["copied_share"]("zzzzzz", training_text, 2) == 0.0


def test_masked_cross_entropy_reference_matches_torch_ignore_index_and_autograd() -> None:
    """The masked loss is torch's cross_entropy with ignore_index=0 (its mean runs over the targets
    that are not ignored, all rows together), and its gradient is torch's autograd of that."""
    rng = np.random.default_rng(15)
    for batch, steps, vocab in [(3, 5, 6), (4, 7, 9), (1, 2, 5)]:
        logits = rng.normal(scale=2.0, size=(batch, steps, vocab))
        lengths = rng.integers(1, steps + 1, size=batch)
        y = rng.integers(3, vocab, size=(batch, steps))
        y[np.arange(steps)[None, :] >= lengths[:, None]] = 0  # padding after each answer
        z = _t(logits).requires_grad_(True)
        expected = torch.nn.functional.cross_entropy(
            z.reshape(-1, vocab), torch.from_numpy(y).reshape(-1), ignore_index=0
        )
        expected.backward()
        loss, d_logits = REFERENCE["masked_cross_entropy"](logits, y)
        assert abs(loss - expected.item()) <= 1e-12 * expected.item()
        assert rel_error(d_logits, z.grad.numpy()) <= 1e-12
        assert np.all(d_logits[y == 0] == 0)
        if (y == 0).any():  # with padding counted the loss would differ: the test can fail
            every = torch.nn.functional.cross_entropy(z.reshape(-1, vocab), torch.from_numpy(y).reshape(-1))
            assert abs(loss - every.item()) > 1e-3


def test_decoder_inputs_reference_matches_a_loop() -> None:
    """START, then each row's previous target character; PAD wherever the target is PAD."""
    rng = np.random.default_rng(16)
    target = rng.integers(3, 13, size=(6, 5))
    for row, length in enumerate([5, 1, 3, 4, 2, 5]):
        target[row, length - 1] = 2  # END
        target[row, length:] = 0
    expected = np.zeros_like(target)
    for row in range(6):
        previous = 1  # START
        for t in range(5):
            if target[row, t] != 0:
                expected[row, t] = previous
            previous = target[row, t]
    np.testing.assert_array_equal(REFERENCE["decoder_inputs"](target), expected)


def test_masked_lstm_step_reference_matches_keras_masking() -> None:
    """Keras' LSTM given a mask (here one real step, then one masked step) keeps a masked row's state:
    the masked step of the reference leaves (h, c) as the real step left them, and that step is
    torch's LSTMCell."""
    from lstm_tutorial.frameworks.keras import keras

    rng = np.random.default_rng(17)
    B, D, H = 4, 3, 2
    W, U, b = (
        rng.normal(scale=0.7, size=(D, 4 * H)),
        rng.normal(scale=0.7, size=(H, 4 * H)),
        rng.normal(size=4 * H),
    )
    x, h0, c0 = rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
    mask = np.array([True, False, True, False])
    h1, c1 = REFERENCE["masked_lstm_step"](x, h0, c0, mask, W, U, b)
    h_torch, c_torch = _torch_cell(torch.nn.LSTMCell, W, U, b)(_t(x), (_t(h0), _t(c0)))
    np.testing.assert_allclose(h1[mask], h_torch.detach().numpy()[mask], rtol=1e-12)
    np.testing.assert_allclose(c1[mask], c_torch.detach().numpy()[mask], rtol=1e-12)
    np.testing.assert_array_equal(h1[~mask], h0[~mask])
    np.testing.assert_array_equal(c1[~mask], c0[~mask])

    layer = keras.layers.LSTM(H, return_state=True)
    layer.build((None, 2, D))
    layer.set_weights([w.astype(np.float32) for w in (W, U, b)])
    steps = np.stack([x, rng.normal(size=(B, D))], axis=1).astype(np.float32)
    keras_mask = np.stack([mask, np.zeros(B, dtype=bool)], axis=1)  # step 2 masked for every row
    _, h_keras, c_keras = layer(
        steps, mask=keras_mask, initial_state=[h0.astype(np.float32), c0.astype(np.float32)]
    )
    np.testing.assert_allclose(h1, keras.ops.convert_to_numpy(h_keras), atol=1e-5)
    np.testing.assert_allclose(c1, keras.ops.convert_to_numpy(c_keras), atol=1e-5)


def test_beam_references_match_torch_topk_and_wu_et_al() -> None:
    r = np.random.default_rng(16)
    log_probs = torch.log_softmax(torch.from_numpy(r.normal(size=(4, 7))), dim=1)
    beam = torch.from_numpy(-r.exponential(size=4))
    values, flat = torch.topk((beam[:, None] + log_probs).reshape(-1), k=5)
    rows, ids, totals = REFERENCE["beam_step"](log_probs.numpy(), beam.numpy(), 5)
    assert rows.tolist() == (flat // 7).tolist() and ids.tolist() == (flat % 7).tolist()
    np.testing.assert_allclose(totals, values.numpy(), rtol=1e-15)
    # Wu et al. (2016), eq. 14: lp(Y) = (5 + |Y|)^alpha / (5 + 1)^alpha
    scores = REFERENCE["normalised_scores"](np.array([-2.0, -3.5]), np.array([1, 7]), 0.6)
    np.testing.assert_allclose(scores, [-2.0, -3.5 * 6**0.6 / 12**0.6], rtol=1e-14)


def test_attention_reference_matches_torch_scaled_dot_product_attention() -> None:
    """attention_weights is torch's scaled_dot_product_attention with scale 1 and a boolean mask
    (True: attend), and its weights torch.softmax of the scores with masked keys at -inf."""
    rng = np.random.default_rng(17)
    B, T, S, D, Dv = 3, 4, 6, 5, 2
    q, k, v = rng.normal(size=(B, T, D)), rng.normal(size=(B, S, D)), rng.normal(size=(B, S, Dv))
    mask = np.arange(S)[None, :] < np.array([6, 4, 1])[:, None]
    weights, context = REFERENCE["attention_weights"](q, k, v, mask)
    expected = torch.nn.functional.scaled_dot_product_attention(
        _t(q), _t(k), _t(v), attn_mask=torch.from_numpy(mask)[:, None, :], scale=1.0
    )
    scores = (_t(q) @ _t(k).transpose(1, 2)).masked_fill(~torch.from_numpy(mask)[:, None, :], -torch.inf)
    assert rel_error(context, expected.numpy()) <= 1e-12
    assert rel_error(weights, torch.softmax(scores, dim=-1).numpy()) <= 1e-12
    assert np.all(weights[2, :, 1:] == 0) and np.allclose(weights[2, :, 0], 1)  # one real key: all on it


def test_repeat_vector_grad_reference_matches_torch_autograd() -> None:
    dy = np.random.default_rng(0).normal(size=(3, 5, 4))
    x = torch.zeros((3, 4), dtype=torch.float64, requires_grad=True)
    (x.unsqueeze(1).repeat(1, 5, 1) * torch.from_numpy(dy)).sum().backward()
    np.testing.assert_allclose(REFERENCE["repeat_vector_grad"](dy), x.grad.numpy(), rtol=1e-12)


def test_whole_answer_reference_matches_the_decoded_answers() -> None:
    from lstm_tutorial.tasks.addition import decode, one_hot, whole_answer_accuracy

    answers = ["596 ", "15  ", "1998", "7   "]
    targets = one_hot(answers, 4, np.float64)
    guesses = one_hot(["596 ", "16  ", "1998", "1   "], 4, np.float64) + 0.01
    assert (
        REFERENCE["whole_answer_accuracy"](guesses, targets)
        == whole_answer_accuracy(decode(guesses), answers)
        == 0.5
    )
