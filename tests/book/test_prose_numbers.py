"""The prose cannot contradict its outputs: no measured-looking number is typed into a chapter's text.

Every number the text quotes from a computation comes from that computation, through myst-nb's
``{glue:text}`` role (``lstm_tutorial.book.glue.glue`` in a cell, the role in the text). This test reads the
prose of every chapter (the Markdown between code cells, without code, math, roles, directive options
and exercise blocks) and fails on a decimal (0.121, 1.8e-05), a percentage, a time (307 s, 5 minutes)
or a ratio (15.1x, 12.5 times, twentyfold) that is neither glued nor one of the constants on the
allow-list below. Plain integers (periods, look_back, epochs, sizes, seeds, years in citations) and
fractions such as the 1/6 of the adding problem are settings or exact values, not measurements, and
pass as they are; exact values written as math (sigma(1) = 0.73 in math) are math, not prose. The
allow-list holds the few decimal or ratio settings the text names in words (learning rates, spectral
radii, the noise level, counts of steps), each with its reason. A number measured elsewhere (a
``FULL_RUN``, another day) is recorded in a cell with where and when, and glued like the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "book").glob("*.md"))

NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|several|many"
)
DIGITS = r"\d+(?:[.,]\d+)*(?:e[-+]?\d+)?"

# What looks measured: a decimal or a number in scientific notation; a percentage; a number with a unit
# of time; a number of times, -fold or x (a ratio); a count of orders of magnitude or of digits.
MEASURED = re.compile(
    rf"""
    (?<![\w.])\d+\.\d+(?:e[-+]?\d+)?(?!\w|\.\d)                                   # 0.121, 1.8e-05
  | (?<![\w.])\d+e[-+]?\d+(?!\w|\.\d)                                              # 2e-6
  | (?<![\w.]){DIGITS}\s*(?:%|percent\b)                                          # 10%, 10 percent
  | \b(?:{NUMBER_WORDS}|a|an|one)\s+percent\b                                      # ten percent
  | (?<![\w.]){DIGITS}\s*(?:s|ms|µs|us|seconds?|minutes?|min|hours?)\b            # 307 s, 5 minutes
  | \b(?:{NUMBER_WORDS}|a\s+few)\s+(?:seconds|minutes|hours)\b                     # a few seconds
  | (?<![\w.]){DIGITS}\s*(?:x|×)(?!\w)                                             # 15.1x
  | \b(?:{DIGITS}|{NUMBER_WORDS})(?:\s+|-)(?:times|fold)\b                          # 12.5 times
  | \b(?:{NUMBER_WORDS})fold\b                                                      # twentyfold
  | \b(?:{DIGITS}|{NUMBER_WORDS}|one|an)\s+orders?\s+of\s+magnitude\b               # six orders of magnitude
  | \b(?:{DIGITS}|{NUMBER_WORDS})\s+significant\s+(?:digits|figures)\b             # five significant digits
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Constants the text may type: each pattern matches the phrase around an allowed number (line breaks
# count as spaces), and says why the number is not a measurement.
ALLOWED: list[tuple[str, str]] = [
    (
        r"learning rate (?:of |at )?\d\.\d+|step size raised to \d\.\d+|\(0\.1\), once",
        "a learning rate the text chose",
    ),
    (r"(?:ten|three) times Keras' default", "a learning rate the text chose, against Keras' default"),
    (r"spectral radius (?:\d\.\d+(?:, | and )?)+", "a spectral radius the experiment sets"),
    (
        r"(?:standard deviation|σ =),? \d\.\d+|(?:fresh noise of|so) 0\.1\b",
        "the noise level chosen for the noisy sine",
    ),
    (r"(?:\d+|four) times as many (?:steps|weights|as)", "a count of steps or weights, by construction"),
    (r"gains less than 0\.005 bits", "the n-gram sweep's stopping rule, a setting (ngram.sweep_orders)"),
    (r"first 2% of the steps|down to 5% of its peak", "the learning-rate schedule's settings (tasks.recipe)"),
    (r"(?:[Aa]t|here it is at) temperature 0\.5", "a sampling temperature the text chose"),
    (r"at least three times as often as an ordinary", "a threshold the text chose for a clear restart"),
]


ADMONITIONS = "admonition|note|tip|hint|important|warning|caution|attention|seealso|dropdown|topic"
"""Directives whose body is prose (MyST's admonitions and sphinx-design's dropdown)."""


def _blank(pattern: str, text: str, flags: int = 0, mark: str = " ") -> str:
    """``text`` with every match of ``pattern`` replaced by ``mark``, keeping its line breaks."""
    return re.sub(pattern, lambda m: mark + "\n" * m.group(0).count("\n"), text, flags=flags)


def prose(text: str) -> str:
    """The Markdown prose of a MyST chapter, everything else blanked out (line numbers kept)."""
    text = _blank(r"\A---\n.*?\n---\n", text, re.DOTALL)  # front matter
    # exercise and solution blocks set constants of their own (sizes, tolerances): not measurements
    text = _blank(r"```\{(exercise|solution)-start\}.*?```\{\1-end\}\s*?\n```", text, re.DOTALL)
    # Folded deep dives, notes and other admonitions are prose: their fences and options go, their
    # text stays and is checked like the rest (a code cell cannot sit inside one).
    text = re.sub(
        rf"^(```+)\{{(?:{ADMONITIONS})\}}[^\n]*\n((?::[^\n]*\n)*)(.*?)^\1[ \t]*$",
        lambda m: "\n" * (1 + m.group(2).count("\n")) + m.group(3),
        text,
        flags=re.DOTALL | re.MULTILINE,
    )
    text = _blank(r"^(```+).*?^\1\s*$", text, re.DOTALL | re.MULTILINE)  # code cells, code blocks
    text = _blank(r"\$\$.*?\$\$", text, re.DOTALL, " MATH ")  # display math
    text = _blank(r"(?<!\\)\$[^$\n]+\$", text, 0, " MATH ")  # inline math
    text = _blank(r"\{[\w:-]+\}`[^`]*`", text, 0, " ROLE ")  # {glue:text}`…`, {cite:t}`…`, {numref}`…`
    return _blank(r"`[^`\n]*`", text, 0, " CODE ")  # inline code


def unglued_numbers(text: str) -> list[str]:
    """Every measured-looking number in the prose of ``text`` that the allow-list does not cover."""
    body = prose(text)
    flat = body.replace("\n", " ")  # the same offsets, phrases joined across line breaks
    allowed_spans = [
        m.span() for pattern, _ in ALLOWED for m in re.finditer(pattern.replace(" ", r"\s+"), flat)
    ]
    found = []
    for match in MEASURED.finditer(flat):
        start, end = match.span()
        if any(a <= start and end <= b for a, b in allowed_spans):
            continue
        line = body[:start].count("\n") + 1
        context = body[max(0, start - 40) : end + 20].replace("\n", " ")
        found.append(f"line {line}: {match.group(0)!r} in …{context}…")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_glued_or_a_constant(chapter: Path) -> None:
    found = unglued_numbers(chapter.read_text())
    assert not found, f"{chapter.name}: measured-looking numbers typed into the text:\n" + "\n".join(found)


PLANTED = """---
kernelspec:
  name: python3
---

# A chapter

```{{code-cell}} ipython3
seconds = 307.2
```

{sentence}

$$
\\sigma(1) \\approx 0.7311
$$
"""


@pytest.mark.parametrize(
    "sentence",
    [
        "The run took 307 s.",
        "The error is 0.121 on the test windows.",
        "It agrees to 1.8e-05.",
        "Keras is 15.1x slower.",
        "NumPy is 12.5 times faster.",
        "The whole run takes about 5 minutes.",
        "Truncation changes the gradient by about 10%.",
        "The loss changed twentyfold.",
        "The two agree to six significant digits.",
    ],
)
def test_a_planted_measured_number_is_caught(sentence: str) -> None:
    assert unglued_numbers(PLANTED.format(sentence=sentence)), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The run took {glue:text}`seconds:.0f` s.",
        "The error is {glue:text}`test_error:.3f` on the test windows.",
        "NumPy is {glue:text}`speed_ratio:.1f` times faster.",
        "Adam at a learning rate of 0.01 trains it; see {cite:t}`greff2017lstm`.",
        "Math is not prose: $\\sigma(1) \\approx 0.73$, and code is not either: `eps=1e-6`.",
    ],
)
def test_glued_numbers_constants_math_and_code_pass(sentence: str) -> None:
    assert unglued_numbers(PLANTED.format(sentence=sentence)) == [], sentence


def test_glue_hands_myst_nb_plain_python_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """myst-nb formats a glued value from its repr: a NumPy scalar must arrive as a Python number."""
    import myst_nb
    import numpy as np

    from lstm_tutorial.book.glue import glue

    received: dict[str, object] = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: received.update({name: value}))
    glue("ratio", np.float64(12.5))
    glue("steps", np.int64(54))
    glue("phrase", "NumPy is faster")
    assert received == {"ratio": 12.5, "steps": 54, "phrase": "NumPy is faster"}
    assert type(received["ratio"]) is float and type(received["steps"]) is int
    with pytest.raises(ValueError, match=r"name must be a Python identifier .* got 'two words'"):
        glue("two words", 1.0)
    with pytest.raises(TypeError, match="value must be a number or a string, got list for 'xs'"):
        glue("xs", [1.0])


DEEP_DIVE = """Text before.

```{{admonition}} Deep dive: a detour
:class: dropdown deep-dive
{sentence}
```

```{{code-cell}} ipython3
print(f"took {{307.2:.1f}} s, 0.121 error")
```
"""


def test_a_number_typed_into_a_deep_dive_is_caught() -> None:
    """Folded blocks are prose too: the fold hides them on the page, not from this test."""
    found = unglued_numbers(DEEP_DIVE.format(sentence="The long run took 307 s."))
    assert len(found) == 1 and "307 s" in found[0] and found[0].startswith("line 5:")
    assert unglued_numbers(DEEP_DIVE.format(sentence="It took {glue:text}`seconds:.0f` s.")) == []
