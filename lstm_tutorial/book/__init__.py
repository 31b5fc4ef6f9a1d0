"""The book's own plumbing: what the chapters need besides the library.

glue       numbers from a chapter's code into its text (myst-nb's glue)
plots      the chapters' figures; diagrams draws the cell and the unrolled network
diagrams   the LSTM drawn gate by gate
kept       a trained model kept on disk for a later chapter
benchmark  the timings of the performance appendix and ``benchmarks/run.py``
"""

__all__: list[str] = []
