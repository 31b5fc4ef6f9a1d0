"""``python -m lstm_tutorial text``: train the character language model, or sample from it.

Training reads the chapters' corpus (``text.load_stdlib_corpus``) and trains
chapter 10's model by chapter 10's recipe (``recipe.DEFAULT``: one LSTM layer of
256 units with dropout, truncated BPTT on 32 streams of 64 characters, Adam on a
cosine-decayed learning rate, gradients clipped to norm 5); ``--steps``,
``--hidden`` and ``--layers`` change the recipe. Then it prints the held-out bits
per character beside those of Kneser-Ney n-gram models of rising order, up to
where one more order stops helping (``ngram.sweep_orders``), all fitted on the
same training text and scored on the same held-out text, and saves the weights
(``saving.save_params``) with the vocabulary beside them (``<out>.vocab.json``:
the characters, which ``--sample`` needs to read a prime and write text).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path
from typing import NoReturn

import numpy as np

from ..frameworks import _imports
from ..nn.model import Sequential
from ..nn.saving import load_params, save_params
from ..tasks.data import MAX_VALUES
from ..tasks.language import heldout_bits_per_char
from ..tasks.language_training import train_char_model
from ..tasks.ngram import sweep_orders
from ..tasks.recipe import DEFAULT, LanguageRecipe
from ..tasks.sampling import sample
from ..tasks.text import Vocabulary, load_stdlib_corpus, stream_batches

DESCRIPTION = (
    "Train chapter 10's character language model (Embedding 32, Dropout, LSTM 256, Dropout, Dense) on "
    "Python's standard library and print its held-out bits per character beside Kneser-Ney n-grams' up to "
    "the order where more stops helping; or, with --sample --weights PATH, print text from saved weights."
)
BATCH_SIZE, SEQ_LEN = DEFAULT.batch_size, DEFAULT.seq_len


def vocabulary_path(weights: str | Path) -> Path:
    """Where the vocabulary of the weights file ``weights`` is kept: ``<stem>.vocab.json`` beside it."""
    path = Path(weights)
    return path.with_name(path.stem + ".vocab.json")


# The options of each mode, with their defaults (main leaves them None when not given).
TRAINING_OPTIONS = {
    "steps": DEFAULT.steps,
    "layers": DEFAULT.layers,
    "hidden": DEFAULT.hidden,
    "train_chars": 1_000_000,
    "heldout_chars": 100_000,
    "impl": "numpy",
    "eval_every": None,  # only at the end
    "out": "char_model.npz",
}
SAMPLING_OPTIONS = {"weights": None, "temperature": 1.0, "prime": "def ", "length": 300}


def _flag(option: str) -> str:
    return "--" + option.replace("_", "-")


def check_arguments(args: argparse.Namespace) -> str | None:
    """The usage error of a bad combination of options, or None; then the options of the
    mode that were not given get their defaults.

    Everything that can be known before the work starts is checked here: an option the
    mode would ignore (``--temperature`` without ``--sample``, ``--steps`` with it,
    ``--eval-every`` with ``--impl keras``), the weights to sample from, and the folder
    the trained weights will be saved in (which must exist: a training run must not end in
    an error because of a typo in ``--out``).
    """
    unused, why = (
        (TRAINING_OPTIONS, "sets up training, not used with --sample")
        if args.sample
        else (SAMPLING_OPTIONS, "used only with --sample (training would ignore it)")
    )
    given = [option for option in unused if getattr(args, option) is not None]
    if given:
        return f"argument {_flag(given[0])}: {why}"
    if args.impl == "keras" and args.eval_every is not None:
        return (
            "argument --eval-every: not used with --impl keras (it measures held-out text once, at the end)"
        )
    for option, default in (SAMPLING_OPTIONS if args.sample else TRAINING_OPTIONS).items():
        if getattr(args, option) is None:
            setattr(args, option, default)
    return _check_sampling(args) if args.sample else _check_out(args.out)


def _check_sampling(args: argparse.Namespace) -> str | None:
    if args.weights is None:
        return "--sample needs --weights PATH (a file saved by a training run)"
    weights = Path(args.weights)
    if weights.is_dir():
        return f"argument --weights: {args.weights!r} is a folder, not a weights file"
    if not weights.is_file():
        return f"argument --weights: no such file: {args.weights!r}"
    if not vocabulary_path(weights).is_file():
        return f"argument --weights: the vocabulary {str(vocabulary_path(weights))!r} is missing beside it"
    if not args.prime:
        return "argument --prime: must hold at least one character"
    if args.length > MAX_VALUES:
        return f"argument --length: must be at most {MAX_VALUES:,} characters, got {args.length:,}"
    return None


def _check_out(out: str) -> str | None:
    """Whether the weights and their vocabulary can be written where ``--out`` says."""
    path = Path(out)
    if not path.name:
        return f"argument --out: must name a file, got {out!r}"
    folder = path.parent
    if not folder.is_dir():
        return f"argument --out: the folder {str(folder)!r} does not exist; create it first"
    if not os.access(folder, os.W_OK):
        return f"argument --out: the folder {str(folder)!r} is not writable"
    weights = path if path.suffix.lower() == ".npz" else path.with_name(path.name + ".npz")  # as save_params
    for target in (weights, vocabulary_path(weights)):
        if target.is_dir():
            return f"argument --out: {str(target)!r} is a folder; the weights and their vocabulary are files"
    return None


def run(args: argparse.Namespace) -> int:
    """Run ``text``: sample if ``--sample``, else train. ``_fail(args, message)`` is the
    subcommand's ``ArgumentParser.error``: a usage error, exit status 2."""
    return _sample(args) if args.sample else _train(args)


def _fail(args: argparse.Namespace, message: str) -> NoReturn:
    """A usage error (``args.error`` prints the usage and exits with status 2)."""
    args.error(message)
    raise SystemExit(2)  # not reached: ArgumentParser.error exits


def _sample(args: argparse.Namespace) -> int:
    try:
        model = load_params(args.weights)
        chars = json.loads(vocabulary_path(args.weights).read_text(encoding="utf-8"))["chars"]
        vocab = Vocabulary(chars)
    except (ValueError, KeyError, TypeError, OSError) as error:
        _fail(args, f"argument --weights: {error}")
    if not isinstance(model, Sequential) or model.layers[-1].output_size != vocab.size:
        _fail(
            args, f"argument --weights: {args.weights!r} does not hold a character model of {vocab.size} ids"
        )
    unknown = sorted(set(args.prime) - set(vocab.chars))
    if unknown:
        _fail(args, f"argument --prime: characters not in the model's vocabulary: {''.join(unknown)!r}")
    ids = sample(model, vocab.encode(args.prime), args.length, args.temperature, seed=args.seed)
    print(args.prime + vocab.decode(ids))
    return 0


def _train(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        corpus = load_stdlib_corpus(args.train_chars, args.heldout_chars)
    except ValueError as error:
        _fail(args, f"argument --train-chars: {error}")
    vocab = Vocabulary.from_text(corpus.train)
    train_ids, heldout_ids = vocab.encode(corpus.train), vocab.encode(corpus.heldout)
    for name, ids in (("train", train_ids), ("heldout", heldout_ids)):
        if ids.size < BATCH_SIZE * SEQ_LEN + 1:
            _fail(
                args,
                f"argument --{name}-chars: the {name} text has {ids.size:,} characters, fewer than one "
                f"batch needs ({BATCH_SIZE} x {SEQ_LEN} + 1 = {BATCH_SIZE * SEQ_LEN + 1:,})",
            )
    print(corpus.summary())
    recipe = dataclasses.replace(
        DEFAULT, steps=args.steps, hidden=args.hidden, layers=args.layers, seed=args.seed
    )
    model = recipe.model(vocab.size)
    print(
        f"vocabulary: {vocab.size} ids; model: {' -> '.join(type(layer).__name__ for layer in model.layers)} "
        f"(E {recipe.embed}, H {recipe.hidden} x {recipe.layers}, dropout {recipe.dropout:g}), "
        f"{model.count_params():,} weights; {recipe.steps} steps of {BATCH_SIZE} x {SEQ_LEN} characters "
        f"({recipe.characters / 1e6:.1f} M), Adam with a cosine decay from {recipe.learning_rate:g} after "
        f"{recipe.warmup_steps} warm-up steps, clip {recipe.clip_norm:g}; implementation: {args.impl}",
        flush=True,
    )
    trained = time.perf_counter()
    if args.impl == "numpy":
        curve = train_char_model(
            model,
            train_ids,
            recipe.steps,
            heldout_ids,
            BATCH_SIZE,
            SEQ_LEN,
            recipe.optimizer(),
            recipe.clip_norm,
            eval_every=args.eval_every,
            verbose=1,
        )
        train_seconds = float(curve.seconds[-1])
        lstm_bpc = float(curve.heldout_bpc[-1])
    else:
        _train_keras(model, train_ids, recipe)
        train_seconds = time.perf_counter() - trained
        lstm_bpc = heldout_bits_per_char(model, heldout_ids, BATCH_SIZE, SEQ_LEN)
    print("\nfitting Kneser-Ney n-grams of rising order, until one more stops helping ...", flush=True)
    ngram_bpc = sweep_orders(train_ids, vocab.size, heldout_ids)
    best = min(ngram_bpc, key=ngram_bpc.__getitem__)
    print("\nheld-out bits per character (lower is better):\n")
    print("| model | bits per character | LSTM - model |\n|---|---|---|")
    print(f"| LSTM ({args.impl}, {recipe.steps} steps) | {lstm_bpc:.3f} | |")
    for order, bpc in ngram_bpc.items():
        mark = " (best)" if order == best else ""
        context = f"{order} character{'' if order == 1 else 's'} of context"
        print(f"| Kneser-Ney, {context}{mark} | {bpc:.3f} | {lstm_bpc - bpc:+.3f} |")
    verdict = "below" if lstm_bpc < ngram_bpc[best] else "above"
    print(
        f"\nthe LSTM's {lstm_bpc:.3f} bpc is {abs(lstm_bpc - ngram_bpc[best]):.3f} {verdict} the best "
        f"n-gram's ({ngram_bpc[best]:.3f}, {best} characters of context)"
    )
    saved = save_params(args.out, model)
    vocabulary_path(saved).write_text(json.dumps({"chars": vocab.chars}), encoding="utf-8")
    print(f"weights saved to {saved} (vocabulary: {vocabulary_path(saved)})")
    print(f"wall time: {time.perf_counter() - start:.1f} s ({train_seconds:.1f} s training)")
    return 0


def _train_keras(model: Sequential, train_ids: np.ndarray, recipe: LanguageRecipe) -> None:
    """Train ``model``'s Keras twin (``to_keras``: stateful layers, the same weights) with Keras' fit,
    then copy its weights back.

    The batches and their order are ``train_char_model``'s: pass after pass over the
    streams, each pass from zero states.
    """
    keras = _imports.keras("lstm-tutorial text --impl keras")
    from ..frameworks.keras import to_keras

    keras.utils.set_random_seed(recipe.seed)
    twin = to_keras(model, batch_size=BATCH_SIZE)
    schedule = keras.optimizers.schedules.CosineDecay(**recipe.schedule().get_config())
    twin.compile(
        optimizer=keras.optimizers.Adam(learning_rate=schedule, global_clipnorm=recipe.clip_norm),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    inputs, targets = stream_batches(train_ids, BATCH_SIZE, SEQ_LEN)
    done, steps = 0, recipe.steps
    while done < steps:
        count = min(steps - done, inputs.shape[0])
        for layer in twin.layers:
            if getattr(layer, "stateful", False):
                layer.reset_state()
        twin.fit(
            inputs[:count].reshape(-1, SEQ_LEN),
            targets[:count].reshape(-1, SEQ_LEN),
            batch_size=BATCH_SIZE,
            epochs=1,
            shuffle=False,
            verbose=1,
        )
        done += count
    model.set_weights([np.asarray(w, dtype=model.dtype) for w in twin.get_weights()])
