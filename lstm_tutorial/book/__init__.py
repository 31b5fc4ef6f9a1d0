"""The book's own plumbing: what the chapters need besides the library.

glue           numbers from a chapter's code into its text (myst-nb's glue)
plots          the chapters' figures (the book's style, heatmaps, curves)
diagrams       the LSTM cell drawn gate by gate, and a chain of cells
rnn_diagrams   the recurrent network unrolled in time
weight_layout  the gate blocks of the LSTM's W, U and b
kept           a trained model kept on disk for a later chapter
viewer         Karpathy's viewer, offline: a passage coloured by a unit, the next characters on hover
timing         medians of wall time on a shared machine, Markdown tables of results
benchmark      the NumPy LSTM and language model against PyTorch and Keras: speed and memory
"""

__all__: list[str] = []
