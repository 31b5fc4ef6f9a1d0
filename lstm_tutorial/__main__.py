"""``python -m lstm_tutorial``: see ``lstm_tutorial.cli.main``."""

from .cli import main

raise SystemExit(main())
