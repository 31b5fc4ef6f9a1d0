"""``python -m lstm_tutorial``: see ``lstm_tutorial.cli``."""

from .cli import main

raise SystemExit(main())
