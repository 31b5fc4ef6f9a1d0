"""Command line: ``python -m lstm_tutorial sine ...``, ``agree``, ``text ...`` and ``seq2seq ...``.

sine   train the classic sine model (NumPy or Keras), print the final loss,
       the predicted next value beside the true one, and the wall time
agree  print the largest differences between NumPy, Keras and PyTorch
       for random weights, forward and gradients
text   train the character language model on Python's standard library (NumPy
       or Keras), print its held-out bits per character beside the Kneser-Ney
       n-grams', save the weights; ``text --sample`` prints text from saved weights
seq2seq  train Keras' addition example (NumPy or Keras), print its held-out
       per-character and whole-answer accuracy beside the baselines
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence

import numpy as np

from ..frameworks import _imports
from ..tasks.data import make_windows, sine_wave
from . import seq2seq_command, text_command

__all__ = ["main"]

SERIES_LENGTH = 1000  # samples of the classic sine wave
MAX_SEED = 2**32 - 1  # the largest seed NumPy's legacy np.random.seed, which Keras calls, takes


def _positive_int(text: str) -> int:
    """argparse type: an integer >= 1 (a bad value becomes a usage error, exit status 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {value}")
    return value


def _seed(text: str) -> int:
    """argparse type: a seed, an integer in [0, 2**32 - 1]."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, {MAX_SEED}], got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, {MAX_SEED}], got {value}")
    return value


def _positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def _sine(args: argparse.Namespace) -> int:
    dtype = np.dtype(args.dtype)
    series = sine_wave(SERIES_LENGTH, 50, dtype=dtype)
    x, y = make_windows(series, args.look_back)
    last_window = series[-args.look_back :].reshape(1, args.look_back, 1)
    true_next = float(np.sin(2 * np.pi * 1000 / 50))
    print(f"{len(y)} windows of shape {x.shape[1:]}; implementation: {args.impl}, dtype {dtype}")
    start = time.perf_counter()
    if args.impl == "numpy":
        from ..nn.regressors import LSTMRegressor
        from ..nn.train import fit

        model = LSTMRegressor.init(1, args.units, seed=args.seed, dtype=dtype)
        history = fit(model, x, y, epochs=args.epochs, batch_size=args.batch_size, seed=args.seed, verbose=2)
        final_loss = history.loss[-1]
        predicted = float(model.predict(last_window)[0])
    else:
        _imports.keras("lstm-tutorial sine --impl keras")
        from ..frameworks.keras import backend, build_sine_model

        if dtype != np.float32:
            print("note: Keras trains in float32; --dtype applies to the data only")
        print(f"Keras backend: {backend()}")
        keras_model = build_sine_model(args.units, args.look_back, seed=args.seed)
        result = keras_model.fit(x, y, epochs=args.epochs, batch_size=args.batch_size, verbose=2)
        final_loss = float(result.history["loss"][-1])
        predicted = float(keras_model.predict(last_window, verbose=0)[0, 0])
    seconds = time.perf_counter() - start
    print(f"final training loss (MSE): {final_loss:.4e}")
    print(f"predicted next value: {predicted:+.6f}   true next value sin(2*pi*1000/50): {true_next:+.6f}")
    print(f"wall time: {seconds:.1f} s for {args.epochs} epochs at batch size {args.batch_size}")
    return 0


def _agree(args: argparse.Namespace) -> int:
    _imports.keras("lstm-tutorial agree")
    from ..frameworks.agree import agreement_rows, format_rows

    rows = agreement_rows(seed=args.seed)
    print(format_rows(rows))
    print("\nTolerances of the test suite: Keras forward <= 1e-5, torch forward <= 1e-12, gradients <= 1e-9.")
    ok = all(
        r.keras_forward_f32 <= 1e-5 and r.torch_forward_f64 <= 1e-12 and r.torch_grads_f64 <= 1e-9
        for r in rows
    )
    print("all within tolerance" if ok else "SOME DIFFERENCES EXCEED THE TOLERANCES")
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m lstm_tutorial`` and the ``lstm-tutorial`` script."""
    parser = argparse.ArgumentParser(prog="lstm-tutorial", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sine = sub.add_parser("sine", help="train the classic sine model and predict the next value")
    sine.add_argument("--impl", choices=["numpy", "keras"], default="numpy")
    sine.add_argument("--epochs", type=_positive_int, default=100)
    sine.add_argument("--batch-size", type=_positive_int, default=1)
    sine.add_argument("--units", type=_positive_int, default=4)
    sine.add_argument("--look-back", type=_positive_int, default=10)
    sine.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    sine.add_argument("--seed", type=_seed, default=0)
    sine.set_defaults(run=_sine)
    agree = sub.add_parser("agree", help="largest differences between NumPy, Keras and PyTorch")
    agree.add_argument("--seed", type=_seed, default=0)
    agree.set_defaults(run=_agree)
    text = sub.add_parser(
        "text",
        help="train the character language model on Python's standard library, or sample from it",
        description=text_command.DESCRIPTION,
    )
    # The options of one mode default to None here, so that check_arguments can tell those
    # given from those left out: an option the mode would ignore is refused, not dropped.
    training, sampling = text_command.TRAINING_OPTIONS, text_command.SAMPLING_OPTIONS
    text.add_argument(
        "--steps",
        type=_positive_int,
        help=f"training steps of 32 x 64 characters (default {training['steps']})",
    )
    text.add_argument(
        "--layers", type=_positive_int, help=f"stacked LSTM layers (default {training['layers']})"
    )
    text.add_argument(
        "--hidden", type=_positive_int, help=f"units per LSTM layer (default {training['hidden']})"
    )
    text.add_argument("--seed", type=_seed, default=0, help="initialisation (and sampling) seed (default 0)")
    text.add_argument(
        "--train-chars", type=_positive_int, help=f"training text size (default {training['train_chars']:,})"
    )
    text.add_argument(
        "--heldout-chars",
        type=_positive_int,
        help=f"held-out text size (default {training['heldout_chars']:,})",
    )
    text.add_argument(
        "--impl", choices=["numpy", "keras"], help=f"training code (default {training['impl']})"
    )
    text.add_argument(
        "--eval-every",
        type=_positive_int,
        help="steps between held-out evaluations (numpy; default: at the end)",
    )
    text.add_argument(
        "--out", help=f"where to save the weights, in an existing folder (default {training['out']})"
    )
    text.add_argument("--sample", action="store_true", help="print text from --weights instead of training")
    text.add_argument("--weights", help="weights saved by a training run (with --sample)")
    text.add_argument(
        "--temperature",
        type=_positive_float,
        help=f"sampling temperature (default {sampling['temperature']})",
    )
    text.add_argument("--prime", help=f"the text to start from (default {sampling['prime']!r})")
    text.add_argument(
        "--length", type=_positive_int, help=f"characters to print (default {sampling['length']})"
    )
    text.set_defaults(run=text_command.run, error=text.error)
    seq2seq = seq2seq_command.add_parser(sub, _positive_int, _seed)
    args = parser.parse_args(argv)
    if args.command == "seq2seq":
        problem = seq2seq_command.check_arguments(args)
        if problem:
            seq2seq.error(problem)
    if args.command == "text":
        problem = text_command.check_arguments(args)
        if problem:
            text.error(problem)
    # The classic windows (one dropped at the end) need look_back <= SERIES_LENGTH - 2.
    if args.command == "sine" and args.look_back > SERIES_LENGTH - 2:
        sine.error(
            f"argument --look-back: must be at most {SERIES_LENGTH - 2} for the {SERIES_LENGTH}-sample "
            f"sine wave (it must leave at least one window), got {args.look_back}"
        )
    try:
        result: int = args.run(args)
    except ImportError as error:  # the bare install: say how to get Keras and PyTorch, no traceback
        if _imports.INSTALL_HINT not in str(error):
            raise
        parser.exit(2, f"lstm-tutorial: {error}\n")
    return result
