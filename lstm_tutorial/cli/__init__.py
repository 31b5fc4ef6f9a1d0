"""The command line: ``python -m lstm_tutorial sine ...``, ``agree`` and ``text ...``.

main  the argument parser and the ``sine`` and ``agree`` commands
text  the ``text`` command: train or sample the character language model
"""

from .main import main

__all__ = ["main"]
