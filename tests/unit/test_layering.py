"""The package's layers, read from its source with ``ast`` (nothing here imports the package).

The layers, bottom to top: ``nn`` (the NumPy core) <- ``frameworks`` (Keras and PyTorch) <-
``tasks`` <- ``book`` <- ``cli`` and ``exercises``; the package's own ``__init__`` and
``__main__`` sit above them all. A module may import from its own layer and the layers below.
Every import counts, wherever it is written: at the top, inside a function (a lazy import),
under ``if TYPE_CHECKING:``, and ``importlib.import_module("...")`` with a literal name.

An import is an edge to a module: ``from lstm_tutorial.nn import cell`` (``cell`` a module) to
``lstm_tutorial.nn.cell``, ``from lstm_tutorial.nn.lstm import LSTMParams`` to
``lstm_tutorial.nn.lstm``, ``from lstm_tutorial.nn import LSTMParams`` (a name its
``__init__`` re-exports) to ``lstm_tutorial.nn``. The parent packages a dotted import runs
first are not edges: ``from . import cell`` inside ``nn`` does not make ``nn.cell`` depend on
``nn/__init__.py``, which imports nothing of its own before it.

Besides the layers: no import cycle, no module over 450 lines, and the LSTM's fast path
is the LSTM's business: outside ``nn/lstm.py`` and ``nn/lstm_fast.py`` no code names
``lstm_fast`` (docstrings and comments may) and none branches on a value being an
``LSTMParams``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lstm_tutorial"
ROOT_NAME = "lstm_tutorial"
LAYERS = ("nn", "frameworks", "tasks", "book", "cli", "exercises")
# What each layer may import from the package, its own layer included. "package" is the
# package's __init__ (which re-exports from every layer) and __main__.
MAY_IMPORT = {
    "nn": {"nn"},
    "frameworks": {"nn", "frameworks"},
    "tasks": {"nn", "frameworks", "tasks"},
    "book": {"nn", "frameworks", "tasks", "book"},
    "cli": {"nn", "frameworks", "tasks", "book", "cli"},
    "exercises": {"nn", "frameworks", "tasks", "book", "exercises"},
    "package": {*LAYERS, "package"},
}
NOT_IN_THE_CORE = ("keras", "torch", "matplotlib")
MAX_LINES = 450
FAST_PATH_OWNERS = {"lstm_tutorial/nn/lstm.py", "lstm_tutorial/nn/lstm_fast.py"}


def module_name(path: Path) -> str:
    """``lstm_tutorial/nn/lstm.py`` -> ``lstm_tutorial.nn.lstm``; a package's ``__init__.py``: the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def where(module: str, line: int | None = None) -> str:
    """The module's file relative to the repository, with a line: ``lstm_tutorial/nn/lstm.py:12``."""
    path = SOURCES[module].relative_to(PACKAGE.parent).as_posix()
    return path if line is None else f"{path}:{line}"


def layer_of(module: str) -> str:
    """The layer a module of the package belongs to: one of LAYERS, or "package"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "package"


@dataclass(frozen=True)
class Import:
    module: str  # the module that imports
    line: int
    target: str  # the module imported: "lstm_tutorial.nn.cell", "torch.nn", "numpy"

    def __str__(self) -> str:
        return f"{where(self.module, self.line)} imports {self.target}"


def _resolve(module: str, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import ...`` written in ``module``."""
    if level == 0:
        return name or ""
    package = module if SOURCES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{name}" if name else package


def imports_of(module: str) -> Iterator[Import]:
    """Every import written in ``module``'s source, wherever it stands."""
    tree = ast.parse(SOURCES[module].read_text(), filename=str(SOURCES[module]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node.level, node.module)
            for alias in node.names:
                # from a package import a module of it: the edge goes to that module
                submodule = f"{base}.{alias.name}"
                yield Import(module, node.lineno, submodule if submodule in SOURCES else base)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(module, node.lineno, node.args[0].value)


IMPORTS = list(dict.fromkeys(found for module in SOURCES for found in imports_of(module)))  # once a line
EDGES = [found for found in IMPORTS if found.target in SOURCES and found.target != found.module]


def _cycles() -> list[list[str]]:
    """The import graph's strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {module: set() for module in SOURCES}
    for edge in EDGES:
        graph[edge.module].add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return components


def test_the_scan_sees_every_layer_and_their_imports() -> None:
    """The checks below pass vacuously if the scan finds nothing: it finds every layer's modules."""
    layers = {layer_of(module) for module in SOURCES}
    assert layers == {*LAYERS, "package"}, f"layers found under {PACKAGE}: {sorted(layers)}"
    assert len(SOURCES) >= 40, f"only {len(SOURCES)} modules under {PACKAGE}"
    importing = {layer_of(edge.module) for edge in EDGES}
    assert importing == {*LAYERS, "package"}, f"layers with imports inside the package: {sorted(importing)}"


def test_no_import_cycle() -> None:
    cycles = _cycles()
    report = []
    for component in cycles:
        inside = [str(edge) for edge in EDGES if edge.module in component and edge.target in component]
        report.append(f"{', '.join(component)}:\n    " + "\n    ".join(inside))
    assert not cycles, (
        f"{len(cycles)} import cycle(s), each a set of modules and the imports between them:\n"
        + "\n".join(report)
    )


def test_the_core_imports_no_other_layer_and_no_framework() -> None:
    core = [found for found in IMPORTS if layer_of(found.module) == "nn"]
    above = [str(found) for found in core if found.target in SOURCES and layer_of(found.target) != "nn"]
    frameworks = [str(found) for found in core if found.target.split(".")[0] in NOT_IN_THE_CORE]
    assert not above, "lstm_tutorial.nn imports from above it:\n" + "\n".join(above)
    assert not frameworks, f"lstm_tutorial.nn imports one of {NOT_IN_THE_CORE}:\n" + "\n".join(frameworks)


@pytest.mark.parametrize("layer", [*LAYERS, "package"])
def test_the_layers_import_one_way(layer: str) -> None:
    wrong = [
        f"{edge} (a module of {layer_of(edge.target)})"
        for edge in EDGES
        if layer_of(edge.module) == layer and layer_of(edge.target) not in MAY_IMPORT[layer]
    ]
    assert not wrong, f"{layer} may import only {sorted(MAY_IMPORT[layer])}:\n" + "\n".join(wrong)


def test_no_module_is_over_450_lines() -> None:
    lengths = {module: len(path.read_text().splitlines()) for module, path in SOURCES.items()}
    long = [f"{where(module)}: {n} lines" for module, n in sorted(lengths.items()) if n > MAX_LINES]
    assert not long, f"modules over {MAX_LINES} lines:\n" + "\n".join(long)


def _names_lstm_params(node: ast.AST) -> bool:
    """``node`` is ``LSTMParams`` or ``something.LSTMParams``, or a tuple holding one."""
    return any(
        (isinstance(n, ast.Name) and n.id == "LSTMParams")
        or (isinstance(n, ast.Attribute) and n.attr == "LSTMParams")
        for n in ast.walk(node)
    )


def _is_type_of(node: ast.AST) -> bool:
    """``type(x)`` or ``x.__class__``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type") or (
        isinstance(node, ast.Attribute) and node.attr == "__class__"
    )


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of ``tree`` (prose, which may name anything)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def fast_path_leaks(module: str) -> Iterator[str]:
    """Where ``module`` names ``lstm_fast`` or branches on a value being an ``LSTMParams``."""
    tree = ast.parse(SOURCES[module].read_text())
    docstrings = _docstrings(tree)
    tests = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, (ast.If, ast.IfExp, ast.While, ast.comprehension))
        for test in ([node.test] if not isinstance(node, ast.comprehension) else node.ifs)
        for n in ast.walk(test)
    }
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        named = (
            (isinstance(node, ast.Name) and "lstm_fast" in node.id)
            or (isinstance(node, ast.Attribute) and "lstm_fast" in node.attr)
            or (isinstance(node, ast.alias) and "lstm_fast" in node.name)
            or (isinstance(node, ast.ImportFrom) and "lstm_fast" in (node.module or ""))
            or (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "lstm_fast" in node.value
                and id(node) not in docstrings
            )
        )
        if named:
            yield f"{where(module, line)} names lstm_fast"
        if isinstance(node, ast.Compare) and all(
            isinstance(op, (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)) for op in node.ops
        ):
            sides = [node.left, *node.comparators]
            by_type = any(_is_type_of(side) for side in sides) and any(_names_lstm_params(s) for s in sides)
            by_name = any(isinstance(s, ast.Constant) and s.value == "LSTMParams" for s in sides)
            if by_type or by_name:
                yield f"{where(module, line)} compares a type with LSTMParams: {ast.unparse(node)}"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("isinstance", "issubclass")
            and len(node.args) == 2
            and _names_lstm_params(node.args[1])
            and id(node) in tests
        ):
            yield f"{where(module, line)} branches on {ast.unparse(node)}"
        if isinstance(node, ast.MatchClass) and _names_lstm_params(node.cls):
            yield f"{where(module, line)} matches the case {ast.unparse(node)}"


def test_only_the_lstm_knows_its_fast_path() -> None:
    leaks = [
        leak
        for module in SOURCES
        if where(module) not in FAST_PATH_OWNERS
        for leak in fast_path_leaks(module)
    ]
    assert not leaks, f"outside {sorted(FAST_PATH_OWNERS)}:\n" + "\n".join(leaks)
