"""``python -m lstm_tutorial seq2seq``: train Keras' addition example and score its held-out answers.

The data, the model and the training are the keras-io example's ("Sequence to sequence
learning for performing number addition"): distinct questions "a+b" of numbers with up to
``--digits`` digits, reversed and padded, a tenth held out; LSTM -> RepeatVector -> LSTM ->
Dense, trained with Adam on the categorical cross-entropy in batches of ``--batch-size``.
``--impl numpy`` trains this package's twin (``train.fit`` with the Adam Keras runs on the
torch backend), ``--impl keras`` the Keras model itself (``model.fit``). Then it prints the
held-out per-character and whole-answer accuracy beside the baselines, and a few answers.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from ..nn.optim import KerasTorchAdam
from ..nn.saving import save_params
from ..nn.train import fit
from ..tasks.addition import decode
from ..tasks.addition_model import (
    AdditionData,
    Scores,
    addition_model,
    keras_addition_data,
    keras_addition_model,
    score_answers,
)

DESCRIPTION = (
    "Train Keras' addition example (LSTM -> RepeatVector -> LSTM -> Dense on reversed one-hot queries) "
    "in NumPy or Keras, and print its held-out per-character and whole-answer accuracy beside the "
    "baselines and a few of its answers."
)
EXAMPLES = 5
"""Held-out questions whose answers are printed."""


def add_parser(
    sub: Any, positive_int: Callable[[str], int], seed: Callable[[str], int]
) -> argparse.ArgumentParser:
    """The ``seq2seq`` subcommand's parser, its options checked by argparse (a usage error, exit code 2)."""
    parser = sub.add_parser(
        "seq2seq", help="train Keras' addition example and score it", description=DESCRIPTION
    )
    parser.add_argument(
        "--impl", choices=["numpy", "keras"], default="numpy", help="training code (default numpy)"
    )
    parser.add_argument(
        "--epochs", type=positive_int, default=1, help="passes over the training questions (default 1)"
    )
    parser.add_argument(
        "--questions", type=positive_int, default=50_000, help="distinct questions (default 50,000)"
    )
    parser.add_argument(
        "--digits", type=positive_int, default=3, help="the most digits a number has (default 3)"
    )
    parser.add_argument("--hidden", type=positive_int, default=128, help="units of each LSTM (default 128)")
    parser.add_argument("--batch-size", type=positive_int, default=32, help="questions per step (default 32)")
    parser.add_argument(
        "--seed", type=seed, default=0, help="data, split and initialisation seed (default 0)"
    )
    parser.add_argument("--out", help="save the trained NumPy model's weights here (.npz; --impl numpy)")
    parser.set_defaults(run=run)
    return parser


def check_arguments(args: argparse.Namespace) -> str | None:
    """What argparse cannot see: a problem with the options together, as a usage message, or None."""
    if args.digits > 9:
        return f"argument --digits: must be from 1 to 9, got {args.digits}"
    limit = (10**args.digits) * (10**args.digits + 1) // 8
    if args.questions > limit:
        return (
            f"argument --questions: must be at most {limit:,} for --digits {args.digits} (a quarter of the "
            f"distinct pairs), got {args.questions:,}"
        )
    if args.questions < 10:
        return f"argument --questions: must be at least 10 (a tenth is held out), got {args.questions}"
    if args.out is not None and args.impl != "numpy":
        return "argument --out: saves the NumPy model's weights, so it needs --impl numpy"
    if args.out is not None and not args.out.endswith(".npz"):
        return f"argument --out: must end in .npz, got {args.out!r}"
    return None


def _train(args: argparse.Namespace, data: AdditionData) -> tuple[Any, Any]:
    """Train the chosen implementation; return (held-out probabilities or logits, the NumPy model or None)."""
    if args.impl == "keras":
        model = keras_addition_model(args.digits, args.hidden, args.seed)
        model.fit(
            data.x_train,
            data.y_train,
            batch_size=args.batch_size,
            epochs=args.epochs,
            validation_data=(data.x_test, data.y_test),
            verbose=2,
        )
        return model.predict(data.x_test, verbose=0), None
    model = addition_model(args.digits, args.hidden, args.seed)
    fit(
        model,
        data.x_train,
        data.y_train,
        epochs=args.epochs,
        batch_size=args.batch_size,
        optimizer=KerasTorchAdam(),
        seed=args.seed,
        verbose=2,
    )
    return model.predict(data.x_test), model


def _report(scores: Scores, data: AdditionData, guesses: list[str]) -> None:
    held, shared = len(data.test_answers), scores.shared_sums
    print(f"held-out questions: {held:,} ({shared:,} share their sum with a training one)")
    print(
        f"per-character accuracy: {scores.characters:.3f}   baseline {scores.baseline_characters:.3f}"
        " (the commonest training character at each position)"
    )
    print(
        f"whole-answer accuracy:  {scores.answers:.3f}   baseline {scores.baseline_answers:.3f}"
        " (the commonest training answer)"
    )
    for query, answer, guess in list(zip(data.test_queries, data.test_answers, guesses, strict=True))[
        :EXAMPLES
    ]:
        mark = "right" if guess == answer else "wrong"
        print(f"  {query[::-1].strip():>9} = {guess.strip():<5} ({mark}; the answer is {answer.strip()})")


def run(args: argparse.Namespace) -> int:
    """Train, score, print; save the NumPy weights with ``--out``."""
    data = keras_addition_data(args.questions, args.digits, args.seed)
    print(
        f"{len(data.train_answers):,} training and {len(data.test_answers):,} held-out questions; queries "
        f"{data.x_train.shape[1:]} one-hot, reversed; answers {data.y_train.shape[1:]}"
    )
    start = time.perf_counter()
    predicted, model = _train(args, data)
    print(f"trained {args.epochs} epoch(s) with {args.impl} in {time.perf_counter() - start:.1f} s")
    _report(score_answers(predicted, data), data, decode(predicted))
    if args.out is not None and model is not None:
        print(f"weights saved to {save_params(args.out, model)}")
    return 0
