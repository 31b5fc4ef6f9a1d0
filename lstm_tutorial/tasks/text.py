"""Text for a character-level language model: a corpus, a vocabulary, batches, and labels.

    load_stdlib_corpus   Python's own standard library, split by module into training and held-out text
    Corpus               the two texts, the files they came from and a SHA-256 checksum
    Vocabulary           characters <-> integer ids, with one id for characters never seen in training
    stream_batches       (B, T) input and target ids for truncated BPTT with the state carried over
    python_labels        per-character ground truth from ``tokenize``: string, comment, bracket depth, column

Shapes: N characters (or ids) of text, V the vocabulary size, B parallel streams
(the batch size), T characters per batch (the truncation length of BPTT).

Nothing is downloaded: the corpus is read from the interpreter that runs the code,
so its exact text depends on the Python version. Print ``Corpus.summary()`` to show
which files, how many characters and the checksum.
"""

from __future__ import annotations

import io
import sys
import sysconfig
import tokenize
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

import numpy as np

from ..nn import _checks

__all__ = [
    "Corpus",
    "SourceLabels",
    "Vocabulary",
    "load_stdlib_corpus",
    "python_labels",
    "stream_batches",
]

TRAIN_CHARS = 1_000_000
HELDOUT_CHARS = 100_000


@dataclass(frozen=True)
class Corpus:
    """Training text and the held-out text that comes after it, module by module.

    Attributes:
        train: the training text, whole modules concatenated in sorted order.
        heldout: the held-out text, the whole modules that follow the training modules.
        train_files: ``(file name, number of characters)`` of each training module, in order.
        heldout_files: the same for the held-out modules.
        skipped: file names that were left out (see ``load_stdlib_corpus``).
        sha256: hex SHA-256 of ``(train + heldout).encode("utf-8")``.
        source: the directory the modules were read from.
        python_version: ``sys.version`` of the interpreter that supplied them.
    """

    train: str = field(repr=False)  # a million characters would flood a notebook
    heldout: str = field(repr=False)
    train_files: tuple[tuple[str, int], ...]
    heldout_files: tuple[tuple[str, int], ...]
    skipped: tuple[str, ...]
    sha256: str
    source: str
    python_version: str

    def file_offsets(self, part: str) -> np.ndarray:
        """Where each module starts in ``train`` or ``heldout``.

        Args:
            part: ``"train"`` or ``"heldout"``.

        Returns:
            (n_files + 1,) int64 character offsets: module i is ``text[offsets[i]:offsets[i + 1]]``.
        """
        if part == "train":
            files = self.train_files
        elif part == "heldout":
            files = self.heldout_files
        else:
            raise ValueError(f"part must be 'train' or 'heldout', got {part!r}")
        return np.concatenate([[0], np.cumsum([n for _, n in files], dtype=np.int64)]).astype(np.int64)

    def summary(self) -> str:
        """A short, printable account of the corpus: files, characters and checksum."""

        def span(files: tuple[tuple[str, int], ...]) -> str:
            if not files:
                return "no files"
            return f"{len(files)} files, {files[0][0]} to {files[-1][0]}"

        version = self.python_version.split()[0]
        lines = [
            f"Python {version} standard library, {self.source}",
            f"training: {len(self.train):,} characters, {span(self.train_files)}",
            f"held-out: {len(self.heldout):,} characters, {span(self.heldout_files)}",
            f"SHA-256:  {self.sha256}",
        ]
        if self.skipped:
            lines.insert(3, f"skipped:  {', '.join(self.skipped)}")
        return "\n".join(lines)


def load_stdlib_corpus(
    train_chars: int = TRAIN_CHARS, heldout_chars: int = HELDOUT_CHARS, directory: str | Path | None = None
) -> Corpus:
    """Read Python's standard library and split it by module into training and held-out text.

    The modules are the top-level ``*.py`` files of ``directory`` (by default
    ``sysconfig.get_paths()["stdlib"]`` of the running interpreter), in sorted
    order of their names (code-point order, so ``cProfile.py`` comes before
    ``calendar.py``). Each file is read as bytes and decoded as strict UTF-8; a
    file that fails to decode is skipped whole (listed in ``Corpus.skipped``),
    never patched with replacement characters. Files named ``_sysconfigdata*``
    are skipped too: they are generated when Python is built and hold that
    machine's build paths, so they would make the text differ between machines
    with the same Python version; so is anything that is not a file (a folder
    named ``x.py``). Text is kept exactly as read (no newline
    translation) and the modules are concatenated with nothing in between.

    Training text is the first modules, whole: as many as bring its length
    nearest to ``train_chars`` (at least one module). Held-out text is the modules
    right after them, as many as bring its length nearest to ``heldout_chars``
    (at least one). So the held-out text never overlaps the training text and
    always comes after it, and each length differs from the one asked for by at
    most half a module (unless a single module is already longer).

    Args:
        train_chars: characters of training text to reach, >= 1 (default 1,000,000).
        heldout_chars: characters of held-out text to reach, >= 1 (default 100,000).
        directory: where to read the modules, or None for the running Python's stdlib.

    Returns:
        The ``Corpus``.
    """
    train_chars = _checks.positive_int("train_chars", train_chars)
    heldout_chars = _checks.positive_int("heldout_chars", heldout_chars)
    if directory is None:
        directory = sysconfig.get_paths()["stdlib"]
    if not isinstance(directory, (str, Path)):
        raise TypeError(f"directory must be a path (str or Path) or None, got {_checks.describe(directory)}")
    folder = Path(directory)
    if not folder.is_dir():
        raise ValueError(f"directory must be an existing directory, got {str(directory)!r}")

    modules: list[tuple[str, str]] = []
    skipped: list[str] = []
    for path in sorted(folder.glob("*.py"), key=lambda p: p.name):
        if path.name.startswith("_sysconfigdata") or not path.is_file():
            skipped.append(path.name)
            continue
        try:
            modules.append((path.name, path.read_bytes().decode("utf-8")))
        except UnicodeDecodeError:
            skipped.append(path.name)
    if not modules:
        raise ValueError(f"directory must hold Python modules (*.py files), found none in {str(folder)!r}")
    train_end = _nearest_boundary(modules, 0, train_chars)
    heldout_end = _nearest_boundary(modules, train_end, heldout_chars)
    if heldout_end == train_end:
        total = sum(len(content) for _, content in modules)
        raise ValueError(
            f"train_chars = {train_chars:,} leaves no module for the held-out text: the modules "
            f"in {str(folder)!r} hold {total:,} characters in all"
        )
    parts = (modules[:train_end], modules[train_end:heldout_end])
    train = "".join(content for _, content in parts[0])
    heldout = "".join(content for _, content in parts[1])
    return Corpus(
        train=train,
        heldout=heldout,
        train_files=tuple((name, len(content)) for name, content in parts[0]),
        heldout_files=tuple((name, len(content)) for name, content in parts[1]),
        skipped=tuple(skipped),
        sha256=sha256((train + heldout).encode("utf-8")).hexdigest(),
        source=str(folder),
        python_version=sys.version,
    )


def _nearest_boundary(modules: list[tuple[str, str]], begin: int, chars: int) -> int:
    """The end index e > begin for which modules[begin:e] holds nearest to ``chars`` characters."""
    if begin >= len(modules):
        return begin
    end, filled = begin + 1, len(modules[begin][1])
    while end < len(modules) and filled < chars:
        longer = filled + len(modules[end][1])
        if longer - chars >= chars - filled:  # one more module would overshoot by more
            break
        end, filled = end + 1, longer
    return end


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_checks.describe(value)}")
    return value


@dataclass(frozen=True)
class Vocabulary:
    """A character vocabulary: id i is ``chars[i]``, and one more id for unknown characters.

    The ids 0 .. len(chars) - 1 are the distinct characters of the training
    text in sorted (code-point) order; the last id, ``unknown_id = len(chars)``,
    stands for any character never seen in training (a held-out text may have
    some). ``size`` counts it, so a model's softmax has ``size`` outputs, and an
    n-gram model gives it a small, non-zero probability.

    Attributes:
        chars: the known characters, sorted and distinct.
        unknown_char: what ``decode`` writes for the unknown id (default U+FFFD).
    """

    chars: str
    unknown_char: str = "\ufffd"
    _codes: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _text("chars", self.chars)
        if list(self.chars) != sorted(set(self.chars)):
            raise ValueError("chars must be distinct characters in sorted order; use Vocabulary.from_text")
        _text("unknown_char", self.unknown_char)
        if len(self.unknown_char) != 1:
            raise ValueError(f"unknown_char must be one character, got {self.unknown_char!r}")
        if not self.chars:
            raise ValueError("chars must hold at least one character, got an empty string")
        codes = np.frombuffer(self.chars.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        object.__setattr__(self, "_codes", codes)

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The vocabulary of ``text`` (normally the training text): its sorted distinct characters."""
        return cls("".join(sorted(set(_text("text", text)))))

    @property
    def size(self) -> int:
        """V, the number of ids: the known characters plus the unknown id."""
        return len(self.chars) + 1

    @property
    def unknown_id(self) -> int:
        """The id of every character not in ``chars``: ``size - 1``."""
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Characters to ids.

        Args:
            text: N characters.

        Returns:
            (N,) int64 ids; characters not in ``chars`` get ``unknown_id``.
        """
        # surrogatepass: a str may hold lone surrogates (from errors="surrogateescape"); each is
        # one character, with its own code point, like any other.
        codes = np.frombuffer(_text("text", text).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        known = self._codes
        position = np.minimum(np.searchsorted(known, codes), known.shape[0] - 1)
        found = known[position] == codes  # chars is sorted, so its position is the id
        return np.where(found, position, self.unknown_id).astype(np.int64)

    def decode(self, ids: np.ndarray) -> str:
        """Ids to characters; the unknown id becomes ``unknown_char``.

        Args:
            ids: (N,) integer ids in [0, size - 1], N >= 0.

        Returns:
            The N-character string. ``decode(encode(text)) == text`` for any text made
            of known characters.
        """
        ids = _checks.ids("ids", ids, self.size, allow_empty=True)
        table = self.chars + self.unknown_char
        return "".join([table[i] for i in ids.tolist()])


def stream_batches(ids: np.ndarray, batch_size: int, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Batches for truncated BPTT with the state carried from batch to batch (Keras' ``stateful=True``).

    The text is cut into ``B = batch_size`` parallel streams of equal length S,
    a multiple of ``T = seq_len``: stream i is ``ids[i S : (i + 1) S]``, its
    targets the same shifted by one, ``ids[i S + 1 : (i + 1) S + 1]``. Batch k
    holds characters ``k T : (k + 1) T`` of every stream, so row i of batch
    k + 1 continues row i of batch k and the final state of row i is the right
    initial state for row i of the next batch. S is the largest multiple of T
    with ``B S + 1 <= N``; the last ``N - B S - 1`` ids are not used.

    Args:
        ids: (N,) integer ids of the text, >= 0.
        batch_size: B >= 1, the number of parallel streams.
        seq_len: T >= 1, characters per batch and stream.

    Returns:
        ``(inputs, targets)``, each (n_batches, B, T) with ``n_batches = S / T``, as int64;
        ``targets[k, i, t]`` is the character after ``inputs[k, i, t]``. Both are new
        arrays, whatever the shapes: writing to one changes neither the other nor ``ids``.
    """
    checked = _checks.ids("ids", ids)
    if ids.min() < 0 or ids.max() > np.iinfo(np.int64).max:  # the int64 cast would wrap 2**64 - 1 to -1
        raise ValueError(f"ids must be >= 0 and below 2**63, got values from {ids.min()} to {ids.max()}")
    ids = checked
    batch_size = _checks.positive_int("batch_size", batch_size)
    seq_len = _checks.positive_int("seq_len", seq_len)
    n_batches = (ids.shape[0] - 1) // (batch_size * seq_len)
    if n_batches < 1:
        raise ValueError(
            f"ids must hold at least batch_size * seq_len + 1 = {batch_size * seq_len + 1} ids for one "
            f"batch of shape ({batch_size}, {seq_len}), got {ids.shape[0]}"
        )
    stream = n_batches * seq_len
    used = batch_size * stream

    def layout(flat: np.ndarray) -> np.ndarray:
        # (B, S) streams -> (B, n_batches, T) -> (n_batches, B, T). A copy, always: with one
        # stream or one batch the transpose is already contiguous, and ascontiguousarray would
        # hand back a view of ``ids`` (inputs and targets would then share memory).
        return flat.reshape(batch_size, n_batches, seq_len).transpose(1, 0, 2).copy()

    return layout(ids[:used]), layout(ids[1 : used + 1])


@dataclass(frozen=True)
class SourceLabels:
    """Per-character ground truth for a piece of Python source, from ``tokenize``.

    Every array has shape (N,) for a source of N characters.

    Attributes:
        in_string: True for every character of a string literal token, its prefix
            and quotes included (``f"..."`` whole, replacement fields too).
        in_comment: True for every character of a comment, from ``#`` to the end of
            the line (the newline itself excluded).
        bracket_depth: int64, how many ``( [ {`` operators enclose the character.
            A bracket belongs to the region it delimits, so in ``f(x)`` the depths are
            0, 1, 1, 1. Brackets inside strings and comments are not operators and
            do not count.
        column: int64, the character's position in its line, 0 for the first
            character after a line ending (the ending itself gets the line's length; the
            ``"\\n"`` of ``"\\r\\n"`` one more).
    """

    in_string: np.ndarray
    in_comment: np.ndarray
    bracket_depth: np.ndarray
    column: np.ndarray


def _line_ends(source: str) -> np.ndarray:
    """Offsets of the last character of every line ending: each "\\n", the "\\n" of each
    "\\r\\n" and each lone "\\r" (as ``io.StringIO(source, newline="")`` splits lines)."""
    codes = np.frombuffer(source.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    feed = codes == ord("\n")
    ret = codes == ord("\r")
    ret[:-1] &= ~feed[1:]  # the "\r" of "\r\n" ends nothing: its "\n" does
    return np.flatnonzero(feed | ret)


_OPENING = {"(", "[", "{"}
_CLOSING = {")", "]", "}"}


def python_labels(source: str) -> SourceLabels:
    """Label every character of Python source: string, comment, bracket depth, column.

    The labels come from the standard library's ``tokenize``, which marks string
    literals, comments and bracket operators with exact positions. From Python
    3.12 on, an f-string is several tokens (``FSTRING_START`` ... ``FSTRING_END``);
    its whole span is labelled string and the brackets inside it are ignored, as
    on earlier versions where it is one ``STRING`` token.

    Lines end as Python reads them: at ``"\\n"``, ``"\\r\\n"`` or a lone ``"\\r"``
    (universal newlines), so a file saved with old Mac line endings has as many
    lines, and the same labels, as the same file with Unix ones.

    Args:
        source: N characters of complete Python source (e.g. one module, or several
            concatenated); tokenize must read it to the end without error.

    Returns:
        The ``SourceLabels``, arrays of shape (N,).
    """
    source = _text("source", source)
    n = len(source)
    ends = _line_ends(source)
    line_starts = [0, *(ends + 1).tolist()]

    def offset(position: tuple[int, int]) -> int:
        row, col = position
        return line_starts[row - 1] + col if row <= len(line_starts) else n

    string_edges = np.zeros(n + 1, dtype=np.int64)
    comment = np.zeros(n, dtype=bool)
    depth_edges = np.zeros(n + 1, dtype=np.int64)
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    fstring_open: list[int] = []
    try:
        # newline="": split at every line ending tokenize knows, and translate none of them,
        # so that token positions index the source as it is.
        for token in tokenize.generate_tokens(io.StringIO(source, newline="").readline):
            start, end = offset(token.start), offset(token.end)
            if token.type == fstring_start:
                fstring_open.append(start)
            elif token.type == fstring_end:
                begin = fstring_open.pop()
                if not fstring_open:
                    string_edges[begin] += 1
                    string_edges[end] -= 1
            elif fstring_open:
                continue  # inside an f-string: its span is marked whole at FSTRING_END
            elif token.type in (tokenize.STRING, tokenize.COMMENT, tokenize.OP):
                if source[start:end] != token.string:  # positions map to offsets exactly, or we stop
                    raise RuntimeError(f"tokenize position {token.start} does not match the source")
                if token.type == tokenize.STRING:
                    string_edges[start] += 1
                    string_edges[end] -= 1
                elif token.type == tokenize.COMMENT:
                    comment[start:end] = True
                elif token.string in _OPENING:
                    depth_edges[start] += 1
                elif token.string in _CLOSING:
                    depth_edges[end] -= 1
    except (tokenize.TokenError, SyntaxError) as error:
        raise ValueError(
            f"source must be complete Python that tokenize can read, got an error: {error}"
        ) from None
    column = np.arange(n, dtype=np.int64)
    line_of = np.searchsorted(ends, column, side="left")  # line endings strictly before each character
    column -= np.asarray(line_starts, dtype=np.int64)[line_of]
    return SourceLabels(
        in_string=np.cumsum(string_edges[:n]) > 0,
        in_comment=comment,
        bracket_depth=np.cumsum(depth_edges[:n]),
        column=column,
    )
