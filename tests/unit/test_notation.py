"""One notation across the book's sources: the chapters (``book/*.md``, prose and code cells)
and the package's prose (``lstm_tutorial/**/*.py``: docstrings, messages and comments, read
with ``tokenize``, so that code is not mistaken for prose).

The book's notation (issue 26):

- LSTM: the four blocks of ``W``, ``U`` and ``b`` are i, f, g, o (input gate, forget gate,
  candidate g, output gate). Keras calls the third block c, so "i, f, c, o" is written only
  next to the word Keras ("g (Keras' c)", "Keras' order i, f, c, o").
- GRU: update gate u, reset gate r, candidate n; z is the pre-activation everywhere. So the
  update gate is not called z (no "update gate z", no "$z_t$ ... update", no z in the GRU's
  update formula), a block list names z only as Keras (z, r, h) or PyTorch (r, z, n) do and
  next to that library's name, and the candidate is never h-tilde.

Each rule is one parametrized case that reports every offending line as ``file:line``; each is
shown to catch a planted bad form and to pass the form the book uses.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEAR = 60  # "next to" a word: within this many characters before or after the match


@dataclass(frozen=True)
class Rule:
    name: str
    instead: str  # what the book writes
    pattern: re.Pattern[str]
    unless_near: re.Pattern[str] | None = None  # allowed where this occurs within NEAR characters

    def offsets(self, text: str) -> Iterator[int]:
        """Where in ``text`` the rule is broken."""
        for match in self.pattern.finditer(text):
            if self.unless_near is not None:
                window = text[max(0, match.start() - NEAR) : match.end() + NEAR]
                if self.unless_near.search(window):
                    continue
            yield match.start()


def _letters(*names: str) -> str:
    """A list of one-letter names: ``i, f, c, o``, ``i/f/c/o``, ``"i"``, ``"f"``, ``$i, f, c$ and $o$``."""
    quote = r"[`'\"$]*"
    between = quote + r"\s*(?:,\s*and\b|,|/|\band\b)\s*" + quote
    return r"(?<![\w\\])" + between.join(names) + r"(?!\w)"


Z = r"(?<![\w\\])z(?:_t|_\{t\})?(?![A-Za-z])"  # z, z_t, z_{t} (and not z_i: that is a block of z)
TIMES = r"\s*(?:\*|\\odot|⊙)\s*"
KERAS = re.compile(r"\bKeras\b")
TORCH = re.compile(r"\b(?:PyTorch|torch|nn\.GRU)\b")

RULES = [
    Rule(
        "lstm-blocks-i-f-g-o",
        "i, f, g, o; 'i, f, c, o' only next to the word Keras",
        re.compile(_letters("i", "f", "c", "o")),
        unless_near=KERAS,
    ),
    Rule(
        "gru-update-gate-u",
        "update gate u (u_t); z is the pre-activation",
        re.compile(
            "|".join(
                [
                    # update gate z, update gate ``z``, update gate $z_t$
                    r"update[- ]gate\W{0,6}z(?![A-Za-z])",
                    # z, the update gate; $z_t$ is the GRU's update gate
                    Z + r"\W{0,6}(?:is\s+|=\s*)?(?:the\s+|an?\s+)?(?:GRU's\s+)?update[- ]gate",
                    r"\$z(?:_t|_\{t\})?\$[^.\n]{0,80}?\bupdate",  # $z_t$ ... update
                    r"\(\s*1\s*-\s*" + Z + r"\s*\)" + TIMES,  # (1 - z) * n
                    Z + TIMES + r"h(?:_|\b)",  # z * h_{t-1}
                ]
            ),
            re.IGNORECASE,
        ),
    ),
    Rule(
        "gru-blocks-u-r-n",
        "u, r, n (Keras: z, r, h; PyTorch: r, z, n)",
        re.compile(_letters("z", "r", "n")),
    ),
    Rule(
        "gru-blocks-z-r-h-only-as-keras",
        "u, r, n; 'z, r, h' only next to the word Keras",
        re.compile(_letters("z", "r", "h")),
        unless_near=KERAS,
    ),
    Rule(
        "gru-blocks-r-z-n-only-as-pytorch",
        "u, r, n; 'r, z, n' only next to the word PyTorch (or torch)",
        re.compile(_letters("r", "z", "n")),
        unless_near=TORCH,
    ),
    Rule(
        "gru-candidate-n",
        "the GRU's candidate is n (n_t), never h-tilde",
        re.compile(r"\\(?:wide)?tilde\s*\{?\s*h(?![A-Za-z])|\bh[-_ ]?tilde\b|h\u0303", re.IGNORECASE),
    ),
]


def prose_of_python(source: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of every string literal and comment of a Python source."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT) or token.type == getattr(
            tokenize, "FSTRING_MIDDLE", -1
        ):
            yield token.start[0], token.string


def prose_of(path: Path) -> Iterator[tuple[int, str]]:
    """(first line, text) of the parts of a source the rules read: all of a chapter, the prose of a module."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        yield from prose_of_python(source)
    else:
        yield 1, source


def offending_lines(rule: Rule, path: Path, shown_as: str) -> list[str]:
    """``file:line: text`` for every place of ``path`` that breaks ``rule``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[int, str] = {}
    for first, text in prose_of(path):
        for offset in rule.offsets(text):
            number = first + text.count("\n", 0, offset)
            found.setdefault(number, f"{shown_as}:{number}: {lines[number - 1].strip()[:110]}")
    return [found[number] for number in sorted(found)]


SOURCES = sorted((ROOT / "book").glob("*.md")) + sorted((ROOT / "lstm_tutorial").rglob("*.py"))


def test_the_sources_are_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in SOURCES}
    assert {"book/03_lstm_gates.md", "book/09_variants.md", "lstm_tutorial/nn/gru.py"} <= names


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_the_sources_follow_the_notation(rule: Rule) -> None:
    offences = [
        line for path in SOURCES for line in offending_lines(rule, path, path.relative_to(ROOT).as_posix())
    ]
    assert not offences, f"{len(offences)} line(s) break '{rule.name}' (write {rule.instead}):\n" + "\n".join(
        offences
    )


# For every rule: text the rule must catch, and the form the book writes, which it must pass.
PLANTED = {
    "lstm-blocks-i-f-g-o": (
        [
            "the gate blocks in the order i, f, c, o, then the Dense kernel",
            'keys `"i"`, `"f"`, `"c"` and `"o"`',
            "blocks $i, f, c, o$ of W",
            "the blocks i/f/c/o of b",
        ],
        [
            "the four blocks in the order i, f, g, o",
            "the candidate g (Keras' c): Keras' order is i, f, c, o",
            "in Keras' order\n    i, f, c, o; y (B, T, 2H)",
            "a dict with keys i, f, g, o",
        ],
    ),
    "gru-update-gate-u": (
        [
            "the blocks are the update gate ``z``, the reset gate ``r``",
            "the GRU has one update gate\nz that does both",
            "$z_t$, the update gate, keeps a share of the old state",
            "$z_t$ decides how much to update",
            "h_t &= z \\odot h_{t-1} + (1 - z) \\odot n",
            "Keras keeps the old state with z: h_t = z * h_(t-1) + (1 - z) * candidate.",
        ],
        [
            "the update gate $u_t$ keeps a share of the old state",
            "h_t &= u \\odot h_{t-1} + (1 - u) \\odot n",
            "pre-activations $z_t = x_t W + h_{t-1} U + b$, split into $z^i, z^f, z^g, z^o$",
            "the update of the weights",
        ],
    ),
    "gru-blocks-u-r-n": (
        ["the blocks of W split into z, r, n parts"],
        ["the blocks of W split into u, r, n parts (Keras: z, r, h)"],
    ),
    "gru-blocks-z-r-h-only-as-keras": (
        ["`recurrent_kernel` $(H, 3H)$, with its three blocks in the order z, r, h, and a bias"],
        ["blocks u, r, n, which Keras calls z, r, h", "Keras' blocks are z, r, h."],
    ),
    "gru-blocks-r-z-n-only-as-pytorch": (
        ["in the other library the blocks come in the order r, z, n"],
        ["`torch.nn.GRU` has its blocks in the order r, z, n", "PyTorch's order is r, z, n"],
    ),
    "gru-candidate-n": (
        ["$\\tilde h = \\tanh(a_h + r \\odot u_h)$", "the candidate \\tilde{h}_t", "h_tilde = np.tanh(a)"],
        ["$n_t = \\tanh(a_n + r_t \\odot b_n)$", "the candidate n"],
    ),
}


def test_every_rule_has_planted_forms() -> None:
    assert set(PLANTED) == {rule.name for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_each_rule_catches_its_bad_form(rule: Rule) -> None:
    bad, good = PLANTED[rule.name]
    assert [text for text in bad if not list(rule.offsets(text))] == []
    assert [text for text in good if list(rule.offsets(text))] == []


def test_a_module_is_read_for_its_prose_and_reported_by_line(tmp_path: Path) -> None:
    """A bad form in a docstring, a message and a comment is reported at its own line;
    the same letters in code are not (they are names, not prose)."""
    module = tmp_path / "gru_like.py"
    module.write_text(
        '"""A cell.\n\nIts blocks are\nthe update gate ``z`` and the rest."""\n'  # line 4
        "blocks = ('z', 'r', 'n')\n"  # line 5: three strings, not a list in prose
        "z, r, n = blocks  # the order z, r, n\n"  # line 6: the comment
        "def check():\n"
        "    raise ValueError(f'wrong: {blocks} should be z, r, n')\n",  # line 8: an f-string message
        encoding="utf-8",
    )
    rules = {rule.name: rule for rule in RULES}

    def where(rule_name: str) -> list[str]:
        return [line.split(": ")[0] for line in offending_lines(rules[rule_name], module, "gru_like.py")]

    assert where("gru-update-gate-u") == ["gru_like.py:4"]
    assert where("gru-blocks-u-r-n") == ["gru_like.py:6", "gru_like.py:8"]
