"""Chapters as notebooks: run top to bottom a second time, as a reader runs them, they print what
the book printed (the same numbers on every clean run); their .ipynb twins are kept current.

The second run (started by ``conftest.built_book``, in the background while the book builds)
executes the exercise notebook of a chapter with exercises, which is the chapter without its
worked solutions, and the paired .ipynb of a chapter without. Cells whose output is a
measurement of time (tagged ``timing``) are exempt from the comparison; everything else,
text and figures alike, must match exactly.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import OUT, ROOT, notebook_chapters, second_run_chapters, second_run_name

sys.path.insert(0, str(ROOT / "_ext"))
from clean_streams import join_streams, merge_streams

ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


def outputs_of(
    notebook: nbformat.NotebookNode, skip_tags: tuple[str, ...] = ("timing",)
) -> list[tuple[str, list[str]]]:
    """(source, normalised outputs) of every code cell with none of ``skip_tags``.

    Stream chunks are joined as the book's notebooks join them (``join_streams`` of
    ``_ext/clean_streams``: exactly the text printed, wherever the kernel cut it). The
    book's own notebooks hold one chunk per stream already, which joining leaves as it
    is; a stale chunk left beside it would show up twice.
    """
    result = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or set(skip_tags) & set(cell.metadata.get("tags", [])):
            continue
        parts = []
        streams: dict[str, str] = {}
        outputs = join_streams([nbformat.from_dict(o) for o in cell.get("outputs", [])])
        for output in outputs:
            if "scrapbook" in output.get("metadata", {}):
                continue  # a value glued into the text: the book build moves it there, out of the notebook
            if output.output_type == "stream":
                streams[output.name] = streams.get(output.name, "") + output.text
            elif output.output_type in ("execute_result", "display_data"):
                for mime, data in sorted(output.data.items()):
                    text = data if isinstance(data, str) else str(data)
                    parts.append(f"{mime}: {text}")
            elif output.output_type == "error":
                parts.append(f"error: {output.ename}: {output.evalue}")
        parts += [f"{name}: {text}" for name, text in sorted(streams.items())]
        result.append((cell.source, [ADDRESS.sub("0x…", p) for p in parts]))
    return result


@pytest.mark.parametrize("chapter", second_run_chapters(), ids=lambda p: p.stem)
def test_chapter_runs_again_as_a_notebook_and_reproduces_the_book(chapter: Path, second_run: Path) -> None:
    """Run top to bottom a second time, in a fresh kernel, the chapter prints what the book printed."""
    name = second_run_name(chapter)
    error = second_run / f"{name}.error"
    assert not error.exists(), error.read_text()[-4000:]
    notebook = nbformat.read(second_run / f"{name}.ipynb", as_version=4)
    in_book = nbformat.read(
        OUT / "_build" / "jupyter_execute" / "book" / f"{chapter.stem}.ipynb", as_version=4
    )
    ours = outputs_of(notebook)
    # The exercise notebook leaves out the worked solutions.
    theirs = outputs_of(in_book, skip_tags=("timing", "exercise-solution"))
    assert [source for source, _ in ours] == [source for source, _ in theirs]
    assert ours, chapter.stem
    for (source, a), (_, b) in zip(ours, theirs, strict=True):
        assert a == b, f"{chapter.stem}: this cell printed something else on a second clean run:\n{source}"


def test_paired_notebooks_are_in_sync() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "sync_notebooks.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    for chapter in notebook_chapters():
        paired = nbformat.read(chapter.with_suffix(".ipynb"), as_version=4)
        nbformat.validate(paired)
        source = [c.source for c in jupytext.read(chapter).cells]
        assert [c.source for c in paired.cells] == source
        assert all(not c.get("outputs") for c in paired.cells if c.cell_type == "code")


def test_md_chapters_open_as_notebooks_in_jupyter() -> None:
    """Jupyter's contents API, with jupytext's contents manager, serves a chapter .md as a notebook."""
    # What `jupyter lab book/` uses once jupytext is installed (its server extension).
    from jupytext import TextFileContentsManager

    manager = TextFileContentsManager(root_dir=str(ROOT / "book"))
    for chapter in notebook_chapters():
        model = manager.get(chapter.name, type="notebook")
        assert model["type"] == "notebook"
        code_cells = [c for c in model["content"].cells if c.cell_type == "code"]
        assert len(code_cells) == chapter.read_text().count("```{code-cell}")


def test_download_and_launch_buttons_use_the_repository(built_book: Path) -> None:
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    org_repo = repo.split("github.com/")[1]
    for chapter in notebook_chapters():
        page = (built_book / "book" / f"{chapter.stem}.html").read_text()
        ipynb = f"book/{chapter.stem}.ipynb"
        assert f'href="../_sources/{ipynb}"' in page
        executed = nbformat.read(built_book / "_sources" / ipynb, as_version=4)
        assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")
        for cell in executed.cells:  # one stream per name: no line twice in Jupyter (_ext/clean_streams)
            names = [o.name for o in cell.get("outputs", []) if o.output_type == "stream"]
            assert len(names) == len(set(names)), (ipynb, cell.source[:200])
        assert f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{ipynb}" in page
        assert f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{ipynb}" in page
        assert f"{repo}/edit/{branch}/book/{chapter.name}" in page
        assert (ROOT / ipynb).exists()  # what Colab and Binder open


def test_stream_chunks_are_merged_once_whether_or_not_myst_nb_merged_them() -> None:
    def chunks(*texts: str) -> list[nbformat.NotebookNode]:
        return [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]

    expected = ["a\nb\nc\n"]
    # As myst-nb leaves them: the first chunk holds all the text, the later ones are stale copies.
    outputs, changed = merge_streams(chunks("a\nb\nc\n", "b\n", "c"))
    assert changed and [o.text for o in outputs] == expected
    # Not merged yet (a cell myst-nb did not render): merged here.
    outputs, changed = merge_streams(chunks("a\n", "b\n", "c"))
    assert changed and [o.text for o in outputs] == expected
    single = [*chunks("a\n"), nbformat.v4.new_output("stream", name="stderr", text="w\n")]
    assert merge_streams(single) == (single, False)


def test_joined_streams_are_the_printed_text_wherever_the_kernel_cut_it() -> None:
    def texts(*chunks: str) -> list[str]:
        outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in chunks]
        return [o.text for o in join_streams(outputs)]

    printed = "loss 1.88\n  against 7.6e-17\n"
    # Cut between a line and its newline (a loaded kernel's flush timer does that),
    # within a line, or not at all: the same text. myst-nb's merge would leave a blank
    # line in the first case.
    assert texts("loss 1.88", "\n  against 7.6e-17\n") == [printed]
    assert texts("loss 1", ".88\n  against", " 7.6e-17\n") == [printed]
    assert texts(printed) == [printed]
    assert texts("x\n", "x") == ["x\nx\n"]  # a repeated line is kept, not taken for a stale copy
    mixed = [
        nbformat.v4.new_output("stream", name="stdout", text="a"),
        nbformat.v4.new_output("display_data", data={"text/plain": "fig"}),
        nbformat.v4.new_output("stream", name="stdout", text="b\n"),
    ]
    joined = join_streams(mixed)
    assert [o.output_type for o in joined] == ["stream", "display_data"] and joined[0].text == "ab\n"
    assert mixed[0].text == "a"  # the outputs given are left as they were
