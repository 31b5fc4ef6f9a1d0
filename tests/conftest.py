"""Shared test set-up: Keras on the torch backend unless the environment says otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")
